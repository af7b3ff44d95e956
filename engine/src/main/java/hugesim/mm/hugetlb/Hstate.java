package hugesim.mm.hugetlb;

import hugesim.uapi.Errno;

import java.util.ArrayDeque;

/**
 * One HugeTLB page size's pool (struct hstate in mm/hugetlb.c): persistent and surplus pages, free pages
 * and reservations. Counters follow /proc/meminfo: HugePages_Total = persistent + surplus, Free, Rsvd, Surp.
 */
public final class Hstate {
    /** Where pool pages come from and go back to: the buddy allocator, memblock or a CMA area. */
    public interface Source {
        /** A free huge page's handle, or -1 (this may take time: see {@link #lastCostNanos}). */
        long alloc();

        void free(long handle);

        /** Time the last alloc took, e.g. migrating movable pages out of a CMA range. */
        default long lastCostNanos() { return 0; }
    }

    public final long size;
    private final Source source;
    private final ArrayDeque<Long> freeList = new ArrayDeque<>();
    private long nr;        // persistent + surplus
    private long free;
    private long resv;
    private long surplus;
    private long overcommit;
    private long allocCostNanos;
    /** The hugetlb cgroup each page in use was charged to. */
    private final java.util.HashMap<Long, HugetlbCgroup> charged = new java.util.HashMap<>();

    public Hstate(long size, Source source) {
        this.size = size;
        this.source = source;
    }

    public long total() { return nr; }
    public long free() { return free; }
    public long resv() { return resv; }
    public long surplus() { return surplus; }
    public long persistent() { return nr - surplus; }
    public long overcommit() { return overcommit; }
    public long inUse() { return nr - free; }

    public void setOvercommit(long n) { overcommit = n; }

    /** Time spent by the last pool change in its source (CMA migration). */
    public long takeAllocCost() {
        long c = allocCostNanos;
        allocCostNanos = 0;
        return c;
    }

    /** A page allocated at boot outside the buddy allocator (hugepages= from memblock). */
    public void addBootPage(long handle) {
        freeList.add(handle);
        nr++;
        free++;
    }

    /**
     * set_max_huge_pages(): converts surplus to persistent first, allocates the rest (may fall short
     * silently), and when shrinking frees only free unreserved pages; pages still in use above the new
     * count become surplus.
     */
    public void setPersistent(long want) {
        long persistent = nr - surplus;
        while (surplus > 0 && persistent < want) { surplus--; persistent++; }
        while (persistent < want) {
            long h = source.alloc();
            allocCostNanos += source.lastCostNanos();
            if (h < 0) break;
            freeList.add(h);
            nr++;
            free++;
            persistent++;
        }
        long minCount = resv + nr - free;   // pages that cannot go: in use or reserved
        long target = Math.max(want, minCount);
        while (nr > target && free - resv > 0 && persistent > want) {
            source.free(freeList.pollLast());
            nr--;
            free--;
            persistent--;
        }
        // what is still above the wanted count stays as surplus
        surplus = Math.max(0, nr - want);
    }

    /**
     * hugetlb_acct_memory(+delta): succeeds when free − resv covers it, after gathering surplus pages from
     * the source up to the overcommit limit; otherwise -ENOMEM and nothing changes.
     */
    public int reserve(long delta) {
        if (delta <= 0) return 0;
        long needed = resv + delta - free;
        if (needed > 0) {
            if (surplus + needed > overcommit) return -Errno.ENOMEM;
            long got = 0;
            ArrayDeque<Long> fresh = new ArrayDeque<>();
            while (got < needed) {
                long h = source.alloc();
                allocCostNanos += source.lastCostNanos();
                if (h < 0) break;
                fresh.add(h);
                got++;
            }
            if (got < needed) {
                for (Long h : fresh) source.free(h);
                return -Errno.ENOMEM;
            }
            freeList.addAll(fresh);
            nr += got;
            free += got;
            surplus += got;
        }
        resv += delta;
        return 0;
    }

    /** hugetlb_acct_memory(−delta): returns reservations, and surplus pages no longer needed. */
    public void unreserve(long delta) {
        if (delta <= 0) return;
        resv -= delta;
        if (resv < 0) throw new IllegalStateException("HugePages_Rsvd went negative");
        returnUnusedSurplus();
    }

    private void returnUnusedSurplus() {
        while (surplus > 0 && free > resv) {
            source.free(freeList.pollLast());
            nr--;
            free--;
            surplus--;
        }
    }

    /**
     * dequeue for a fault: a reserved fault consumes its reservation; an unreserved one needs
     * free − resv &gt; 0, or a new surplus page within the overcommit limit. Returns -1: SIGBUS.
     */
    /**
     * alloc_hugetlb_folio() for a task in {@code cg}: the page is charged to the cgroup's hugetlb.max;
     * over it, -1 (SIGBUS) and nothing changes.
     */
    public long allocForFault(boolean reserved, HugetlbCgroup cg) {
        if (cg != null && !cg.tryCharge(size, size)) return -1;
        long p = allocForFault(reserved);
        if (p < 0) {
            if (cg != null) cg.uncharge(size, size);
            return -1;
        }
        if (cg != null) charged.put(p, cg);
        return p;
    }

    public long allocForFault(boolean reserved) {
        if (!reserved && free - resv <= 0) {
            if (surplus >= overcommit) return -1;
            long h = source.alloc();
            allocCostNanos += source.lastCostNanos();
            if (h < 0) return -1;
            nr++;
            surplus++;
            return h;
        }
        free--;
        if (reserved) resv--;
        return freeList.poll();
    }

    /** free_huge_folio(): while the node has surplus pages, a freed page leaves the pool; else it is queued. */
    public void freePage(long handle) {
        HugetlbCgroup cg = charged.remove(handle);
        if (cg != null) cg.uncharge(size, size);
        if (surplus > 0) {
            source.free(handle);
            nr--;
            surplus--;
            return;
        }
        freeList.add(handle);
        free++;
    }
}
