package hugesim.mm.hugetlb;

import hugesim.uapi.Errno;

import java.util.ArrayDeque;
import java.util.BitSet;

/**
 * One HugeTLB page size's pool (struct hstate in mm/hugetlb.c): persistent and surplus pages, free pages
 * and reservations, kept per NUMA node as the kernel does (nr_huge_pages_node[], free_huge_pages_node[],
 * surplus_huge_pages_node[], hugepage_freelists[]). Counters follow /proc/meminfo: HugePages_Total =
 * persistent + surplus, Free, Rsvd, Surp. Reservations are global, as in the kernel.
 */
public final class Hstate {
    /** Where pool pages come from and go back to: the buddy allocator, memblock or a CMA area. */
    public interface Source {
        /**
         * alloc_buddy_hugetlb_folio(): a free huge page's handle, or -1; from {@code nid} only when
         * {@code thisNode} (__GFP_THISNODE), else from {@code nid}'s zonelist.
         */
        long alloc(int nid, boolean thisNode);

        /** {@link #alloc}, with the time it took (e.g. migrating movable pages out of a CMA range). */
        default PoolPage allocPage(int nid, boolean thisNode) {
            return new PoolPage(alloc(nid, thisNode), 0);
        }

        void free(long handle);

        /** folio_nid(): the node a page handed out by {@link #alloc} is on. */
        int nid(long handle);
    }

    /** A page for the pool from its source ({@code handle} -1: none), and the time getting it took. */
    public record PoolPage(long handle, long costNanos) {}

    /** NUMA_NO_NODE: a write to the global nr_hugepages. */
    public static final int NUMA_NO_NODE = -1;

    public final long size;
    private final Source source;
    private final int nodes;
    private final ArrayDeque<Long>[] freeLists;
    private final long[] nrNode, freeNode, surplusNode;
    /** Reservations held on one node (the memPool design's files, docs/model.md 9); part of {@link #resv}. */
    private final long[] resvNode;
    private long nr;        // persistent + surplus
    private long free;
    private long resv;
    private long surplus;
    private long overcommit;
    private long allocCostNanos;
    /** hugetlb_add_hstate(): both start at first_memory_node. */
    private final int[] nextNidToAlloc = {0};
    private int nextNidToFree;
    /** The hugetlb cgroup each page in use was charged to. */
    private final java.util.HashMap<Long, HugetlbCgroup> charged = new java.util.HashMap<>();
    /** Pages lent out as reserved THPs (the sharedPool design, docs/model.md 7.2): in use, not HugeTLB's. */
    private final java.util.HashSet<Long> lent = new java.util.HashSet<>();
    /** Reserved-THP charges not yet faulted, which the pool counts as reservations (rule 59); none by default. */
    private java.util.function.LongSupplier sharedResv = () -> 0;
    /** Runs whenever a page may have become available to a reserved THP's fault (the shared pool's waiters). */
    private Runnable available = () -> {};

    /** A pool on a one-node machine. */
    public Hstate(long size, Source source) {
        this(size, source, 1);
    }

    @SuppressWarnings("unchecked")
    public Hstate(long size, Source source, int nodes) {
        this.size = size;
        this.source = source;
        this.nodes = nodes;
        this.freeLists = new ArrayDeque[nodes];
        for (int n = 0; n < nodes; n++) freeLists[n] = new ArrayDeque<>();
        this.nrNode = new long[nodes];
        this.freeNode = new long[nodes];
        this.surplusNode = new long[nodes];
        this.resvNode = new long[nodes];
    }

    public long total() { return nr; }
    public long free() { return free; }
    /** HugePages_Rsvd: HugeTLB's reservations and, in the shared pool, the reserved-THP charges it counts. */
    public long resv() { return resv + shared(); }
    /** HugeTLB's own reservations (resv_huge_pages without the shared pool's reserved-THP charges). */
    public long hugetlbResv() { return resv; }
    /** Pages lent out as reserved THPs. */
    public long lent() { return lent.size(); }
    public long surplus() { return surplus; }
    public long persistent() { return nr - surplus; }
    public long overcommit() { return overcommit; }
    public long inUse() { return nr - free; }
    public int nodes() { return nodes; }

    /** nr_huge_pages_node[nid]: the node's persistent and surplus pages. */
    public long total(int nid) { return nrNode[nid]; }
    /** free_huge_pages_node[nid]. */
    public long free(int nid) { return freeNode[nid]; }
    /** surplus_huge_pages_node[nid]. */
    public long surplus(int nid) { return surplusNode[nid]; }

    public void setOvercommit(long n) { overcommit = n; }

    /** folio_nid() of a page of this pool. */
    public int nid(long handle) { return source.nid(handle); }

    /** Reservations held on node {@code nid} (memPool's files, docs/model.md rule 81). */
    public long resv(int nid) { return resvNode[nid]; }

    /**
     * Free pages of node {@code nid} that no node-held reservation claims: what a fault or a reservation not
     * bound to the node may take from it (docs/model.md rule 83).
     */
    public long unclaimed(int nid) { return freeNode[nid] - resvNode[nid]; }

    /**
     * The memPool design (docs/model.md rule 81): reserves {@code delta} pages on node {@code nid}, held there
     * for the reserving file; they count in HugePages_Rsvd as any reservation. Needs that many free pages of
     * the node no other node-held reservation claims, and free − resv overall (so the global reservations
     * stay covered); no surplus page is gathered. Returns 0, or -ENOMEM and nothing changes.
     */
    public int reserveOnNode(long delta, int nid) {
        if (delta <= 0) return 0;
        if (unclaimed(nid) < delta || free - resv() < delta) return -Errno.ENOMEM;
        resv += delta;
        resvNode[nid] += delta;
        return 0;
    }

    /** Returns {@code delta} reservations held on node {@code nid} (a pool file truncated or freed). */
    public void unreserveOnNode(long delta, int nid) {
        if (delta <= 0) return;
        resvNode[nid] -= delta;
        if (resvNode[nid] < 0) throw new IllegalStateException("node " + nid + "'s reservations went negative");
        unreserve(delta);
    }

    /**
     * A page for a reservation held on node {@code nid} (a pool file's fault or fallocate): always there, since
     * nothing else may take the node's claimed pages. Charged to {@code cg}'s hugetlb.max as any fault's;
     * over it, -1 and the reservation stays.
     */
    public long allocReserved(int nid, HugetlbCgroup cg) {
        if (cg != null && !cg.tryCharge(size, size)) return -1;
        if (freeLists[nid].isEmpty()) throw new IllegalStateException("node " + nid + " holds " + resvNode[nid] + " reservations but no free page");
        free--;
        freeNode[nid]--;
        resv--;
        resvNode[nid]--;
        long p = freeLists[nid].poll();
        if (cg != null) charged.put(p, cg);
        return p;
    }

    /**
     * The sharedPool design (docs/model.md 7.2, rule 59): reserved-THP charges not yet faulted count as
     * reservations of this pool. Clamped to what is free beyond HugeTLB's own reservations: an overcommitted
     * charge (rule 63) reserves no page the pool does not have.
     */
    public void shareReservations(java.util.function.LongSupplier chargedNotFaulted) { sharedResv = chargedNotFaulted; }

    /** The shared pool's reserved faults wait on what {@code r} wakes: a page freed, a reservation returned, a resize. */
    public void onAvailable(Runnable r) { available = r; }

    private long shared() {
        return Math.max(0, Math.min(sharedResv.getAsLong(), free - resv));
    }

    /**
     * A reserved THP's fault in the shared pool (rule 60): a free page not promised to a HugeTLB mapping,
     * from the first node of {@code nid}'s zonelist that has one, as dequeue_hugetlb_folio_nodemask() takes
     * it; -1 when free − HugeTLB's reservations is 0. The page stays in use until {@link #returnLent}.
     */
    public long lendThp(int nid) {
        if (free - resv <= 0) return -1;
        for (int i = 0; i < nodes; i++) {
            int node = (nid + i) % nodes;
            if (unclaimed(node) <= 0) continue;
            free--;
            freeNode[node]--;
            long h = freeLists[node].poll();
            lent.add(h);
            return h;
        }
        throw new IllegalStateException("HugePages_Free is " + free + " but no node has a free page");
    }

    /** A reserved THP's page freed (unmapped, swapped out whole): back to the pool; false if it is not a lent page. */
    public boolean returnLent(long handle) {
        if (!lent.remove(handle)) return false;
        freePage(handle);
        return true;
    }

    /** Whether {@code handle} is a page of this pool lent as a reserved THP. */
    public boolean isLent(long handle) { return lent.contains(handle); }

    /** Time spent by the last pool change in its source (CMA migration). */
    public long takeAllocCost() {
        long c = allocCostNanos;
        allocCostNanos = 0;
        return c;
    }

    /** A page allocated at boot outside the buddy allocator (hugepages= from memblock). */
    public void addBootPage(long handle) {
        addFree(handle, false);
    }

    /** Global nr_hugepages (sysctl vm.nr_hugepages, /sys/kernel/mm/hugepages/…): interleaved over all nodes. */
    public void setPersistent(long count) {
        setMaxHugePages(count, NUMA_NO_NODE);
    }

    /**
     * __nr_hugepages_store_common(): the node's nr_hugepages file (nid &gt;= 0) restricts allocating and
     * freeing to that node (init_nodemask_of_node); the global one uses node_states[N_MEMORY].
     */
    public void setPersistent(int nid, long count) {
        setMaxHugePages(count, nid);
    }

    /**
     * set_max_huge_pages(): a node's count is turned into a global one (count + persistent pages of the
     * other nodes); converts surplus to persistent first, allocates the rest round-robin over the allowed
     * nodes (may fall short silently, and then frees nothing), and when shrinking frees only free pages
     * down to resv + pages in use; what is still above the count becomes surplus.
     */
    private void setMaxHugePages(long count, int nid) {
        resizePool(count, nid);
        available.run();
    }

    private void resizePool(long count, int nid) {
        BitSet allowed = new BitSet();
        if (nid == NUMA_NO_NODE) allowed.set(0, nodes);
        else allowed.set(nid);
        if (nid != NUMA_NO_NODE) {
            long old = count;
            count += persistent() - (nrNode[nid] - surplusNode[nid]);
            if (count < old) count = Long.MAX_VALUE;   // the kernel's overflow check: as many as possible
        }
        while (surplus > 0 && count > persistent()) {
            if (!adjustPoolSurplus(allowed, -1)) break;
        }
        while (count > persistent()) {
            long h = allocPoolHugeFolio(allowed);
            if (h < 0) return;   // goto out: the pool does not shrink either
            addFree(h, false);
        }
        long persistentFree = free;
        if (free > persistent()) persistentFree = free > surplus ? free - surplus : 0;
        long minCount = Math.max(count, resv() + persistent() - persistentFree);
        while (minCount < persistent()) {
            long h = removePoolHugetlbFolio(allowed, false);
            if (h < 0) break;
            source.free(h);
        }
        while (count < persistent()) {
            if (!adjustPoolSurplus(allowed, 1)) break;
        }
    }

    /** alloc_pool_huge_folio(): one fresh page, __GFP_THISNODE, from the next allowed node that has one. */
    private long allocPoolHugeFolio(BitSet allowed) {
        for (int n = allowed.cardinality(); n > 0; n--) {
            int node = nextNode(nextNidToAlloc, allowed);
            PoolPage p = source.allocPage(node, true);
            allocCostNanos += p.costNanos();
            if (p.handle() >= 0) return p.handle();
        }
        return -1;
    }

    /**
     * remove_pool_hugetlb_folio(): a free page off the next allowed node to free (with {@code acctSurplus},
     * only nodes holding surplus pages), out of the pool; -1 if none.
     */
    private long removePoolHugetlbFolio(BitSet allowed, boolean acctSurplus) {
        for (int n = allowed.cardinality(); n > 0; n--) {
            int node = nextNodeToFree(allowed);
            if ((!acctSurplus || surplusNode[node] > 0) && unclaimed(node) > 0) {
                long h = freeLists[node].poll();
                nr--;
                nrNode[node]--;
                free--;
                freeNode[node]--;
                if (acctSurplus) {
                    surplus--;
                    surplusNode[node]--;
                }
                return h;
            }
        }
        return -1;
    }

    /**
     * adjust_pool_surplus(): −1 makes a surplus page persistent on the next node to allocate on that has
     * one; +1 marks a page surplus on the next node to free whose pages are not all surplus already.
     */
    private boolean adjustPoolSurplus(BitSet allowed, int delta) {
        for (int n = allowed.cardinality(); n > 0; n--) {
            int node = delta < 0 ? nextNode(nextNidToAlloc, allowed) : nextNodeToFree(allowed);
            if (delta < 0 ? surplusNode[node] > 0 : surplusNode[node] < nrNode[node]) {
                surplus += delta;
                surplusNode[node] += delta;
                return true;
            }
        }
        return false;
    }

    /** hstate_next_node_to_alloc(): the cursor's node if allowed, else the next allowed one; the cursor moves on. */
    private static int nextNode(int[] cursor, BitSet allowed) {
        int nid = allowed.get(cursor[0]) ? cursor[0] : nextNodeIn(cursor[0], allowed);
        cursor[0] = nextNodeIn(nid, allowed);
        return nid;
    }

    /** hstate_next_node_to_free(). */
    private int nextNodeToFree(BitSet allowed) {
        int[] cursor = {nextNidToFree};
        int nid = nextNode(cursor, allowed);
        nextNidToFree = cursor[0];
        return nid;
    }

    /** next_node_in(): the next set node after {@code nid}, wrapping around. */
    private static int nextNodeIn(int nid, BitSet allowed) {
        int next = allowed.nextSetBit(nid + 1);
        return next >= 0 ? next : allowed.nextSetBit(0);
    }

    /** A fresh page enters the pool free on its node (prep_new_hugetlb_folio + enqueue), as surplus or not. */
    private void addFree(long handle, boolean asSurplus) {
        int node = source.nid(handle);
        freeLists[node].push(handle);   // enqueue_hugetlb_folio(): list_move to the head
        nr++;
        nrNode[node]++;
        free++;
        freeNode[node]++;
        if (asSurplus) {
            surplus++;
            surplusNode[node]++;
        }
    }

    /** hugetlb_acct_memory(+delta) on a one-node machine. */
    public int reserve(long delta) {
        return reserve(delta, 0);
    }

    /**
     * hugetlb_acct_memory(+delta) for a task on node {@code nid}: succeeds when free − resv covers it,
     * after gathering surplus pages up to the overcommit limit (gather_surplus_pages(): the current node's
     * zonelist first); otherwise -ENOMEM and nothing changes.
     */
    public int reserve(long delta, int nid) {
        if (delta <= 0) return 0;
        long needed = resv() + delta - free;
        if (needed > 0) {
            // gather_surplus_pages() allocates page by page: the pages below the overcommit limit come from
            // the buddy allocator (htlb_buddy_alloc_success) before alloc_surplus_hugetlb_folio() refuses one
            // over it, and are then freed
            ArrayDeque<Long> fresh = new ArrayDeque<>();
            while (fresh.size() < needed) {
                if (surplus + fresh.size() >= overcommit) break;
                long h = allocSurplus(nid);
                if (h < 0) break;
                fresh.add(h);
            }
            if (fresh.size() < needed) {
                for (Long h : fresh) source.free(h);
                return -Errno.ENOMEM;
            }
            for (Long h : fresh) addFree(h, true);
        }
        resv += delta;
        return 0;
    }

    /** alloc_surplus_hugetlb_folio()'s page: from {@code nid}'s zonelist, no __GFP_THISNODE. */
    private long allocSurplus(int nid) {
        PoolPage p = source.allocPage(nid, false);
        allocCostNanos += p.costNanos();
        return p.handle();
    }

    /**
     * hugetlb_acct_memory(−delta) → return_unused_surplus_pages(): returns the reservations, and frees
     * up to min(delta, surplus) free surplus pages, round-robin over the nodes that hold surplus.
     */
    public void unreserve(long delta) {
        if (delta <= 0) return;
        resv -= delta;
        if (resv < 0) throw new IllegalStateException("HugePages_Rsvd went negative");
        available.run();
        BitSet all = new BitSet();
        all.set(0, nodes);
        for (long n = Math.min(delta, surplus); n > 0; n--) {
            long h = removePoolHugetlbFolio(all, true);
            if (h < 0) break;
            source.free(h);
        }
    }

    /**
     * alloc_hugetlb_folio() for a task in {@code cg}: the page is charged to the cgroup's hugetlb.max;
     * over it, -1 (SIGBUS) and nothing changes.
     */
    public long allocForFault(boolean reserved, HugetlbCgroup cg, int nid) {
        if (cg != null && !cg.tryCharge(size, size)) return -1;
        long p = allocForFault(reserved, nid);
        if (p < 0) {
            if (cg != null) cg.uncharge(size, size);
            return -1;
        }
        if (cg != null) charged.put(p, cg);
        return p;
    }

    /** A fault on a one-node machine. */
    public long allocForFault(boolean reserved) {
        return allocForFault(reserved, 0);
    }

    /**
     * dequeue for a fault by a task on node {@code nid}: a reserved fault consumes its reservation; an
     * unreserved one needs free − resv &gt; 0, or a new surplus page within the overcommit limit. The page
     * is taken from the first node of {@code nid}'s zonelist that has a free one
     * (dequeue_hugetlb_folio_nodemask() with the default local policy). Returns -1: SIGBUS.
     */
    public long allocForFault(boolean reserved, int nid) {
        if (!reserved && free - resv() <= 0) {
            if (surplus >= overcommit) return -1;
            long h = allocSurplus(nid);
            if (h < 0) return -1;
            int node = source.nid(h);
            nr++;
            nrNode[node]++;
            surplus++;
            surplusNode[node]++;
            return h;
        }
        for (int i = 0; i < nodes; i++) {
            int node = (nid + i) % nodes;   // node_zonelist(nid): local node first (the model's distance order)
            if (unclaimed(node) <= 0) continue;   // a node's pages held for its pool files are not this fault's
            free--;
            freeNode[node]--;
            if (reserved) resv--;
            return freeLists[node].poll();   // dequeue_hugetlb_folio_node_exact(): from the head
        }
        throw new IllegalStateException("HugePages_Free is " + free + " but no node has a free page");
    }

    /**
     * free_huge_folio(): while the page's node has surplus pages, the page leaves the pool; else it is
     * queued on its node's free list.
     */
    public void freePage(long handle) {
        HugetlbCgroup cg = charged.remove(handle);
        if (cg != null) cg.uncharge(size, size);
        int node = source.nid(handle);
        if (surplusNode[node] > 0) {
            source.free(handle);
            nr--;
            nrNode[node]--;
            surplus--;
            surplusNode[node]--;
            return;
        }
        freeLists[node].push(handle);
        free++;
        freeNode[node]++;
        available.run();
    }
}
