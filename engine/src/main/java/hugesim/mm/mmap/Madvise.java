package hugesim.mm.mmap;

import hugesim.mm.KernelVersion;
import hugesim.mm.model.MemoryModel;
import hugesim.mm.reclaim.Reclaim;
import hugesim.uapi.Errno;

import java.util.List;

import static hugesim.mm.vma.VmFlags.*;
import static hugesim.uapi.Mman.*;
import hugesim.mm.vma.Vma;
import hugesim.mm.vma.Mm;

/**
 * madvise(2) (mm/madvise.c) with the RFC's MADV_RESERVED_THP range policy (patch 8/8). Populate advice is
 * the caller's: it needs the fault path.
 */
public final class Madvise {
    /** Applies one advice to one VMA's part; returns 0 or a negative errno. */
    @FunctionalInterface
    public interface Populate {
        int range(Mm mm, Vma v, long from, long to, boolean write);
    }

    private final MemoryModel m;
    private final Mmap mmap;
    private final Reclaim reclaim;
    private final hugesim.mm.thp.Khugepaged khugepaged;
    private final Populate populate;
    private final Punch punch;

    /** Punches a hole of file indices [from, to) in a hugetlbfs or shmem file (MADV_REMOVE): huge pages, or PMD-sized stretches. */
    @FunctionalInterface
    public interface Punch {
        void hole(hugesim.mm.Inode file, long from, long to);
    }

    public Madvise(MemoryModel m, Mmap mmap, Reclaim reclaim, hugesim.mm.thp.Khugepaged khugepaged, Populate populate, Punch punch) {
        this.m = m;
        this.mmap = mmap;
        this.reclaim = reclaim;
        this.khugepaged = khugepaged;
        this.populate = populate;
        this.punch = punch;
    }

    private long pmd() { return m.geometry.pmdSize(); }

    public int madvise(Mm mm, long start, long len, int advice) {
        if (!known(advice)) return -Errno.EINVAL;
        if (start % m.geometry.pageSize() != 0 || len < 0) return -Errno.EINVAL;
        long end = start + (len + m.geometry.pageSize() - 1) / m.geometry.pageSize() * m.geometry.pageSize();
        if (end < start) return -Errno.EINVAL;
        if (end == start) return 0;
        // madvise_walk_vmas(): VMA by VMA, not atomic; a hole gives ENOMEM after the mapped parts are done
        boolean hole = false;
        long at = start;
        while (at < end) {
            // by address, not over a list made beforehand: a behaviour may split or merge VMAs
            List<Vma> rest = mm.intersecting(at, end);
            if (rest.isEmpty()) break;
            Vma v = rest.get(0);
            if (v.start > at) hole = true;
            long from = Math.max(at, v.start), to = Math.min(end, v.end);
            int err = behavior(mm, v, from, to, advice);
            // madvise_vma_behavior(): an -ENOMEM from the behaviour itself reaches userspace as -EAGAIN;
            // populate advice goes through madvise_populate() instead and keeps its -ENOMEM
            boolean populate = advice == MADV_POPULATE_READ || advice == MADV_POPULATE_WRITE;
            if (err == -Errno.ENOMEM && !populate) return -Errno.EAGAIN;
            if (err != 0) return err;
            at = to;
        }
        if (at < end) hole = true;
        return hole ? -Errno.ENOMEM : 0;
    }

    private static boolean known(int advice) {
        return switch (advice) {
            case MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL, MADV_WILLNEED, MADV_DONTNEED, MADV_FREE,
                 MADV_DONTFORK, MADV_DOFORK, MADV_REMOVE, MADV_HUGEPAGE, MADV_NOHUGEPAGE, MADV_COLD, MADV_PAGEOUT,
                 MADV_POPULATE_READ, MADV_POPULATE_WRITE, MADV_COLLAPSE, MADV_RESERVED_THP -> true;
            default -> false;
        };
    }

    private boolean pmdAligned(long from, long to) {
        return from % pmd() == 0 && to % pmd() == 0;
    }

    private int behavior(Mm mm, Vma v, long from, long to, int advice) {
        boolean reserved = v.has(VM_RESERVED_THP);
        switch (advice) {
            case MADV_RESERVED_THP:
                return reserve(mm, v, from, to);
            case MADV_HUGEPAGE:
            case MADV_NOHUGEPAGE:
                return hugepage(mm, v, from, to, advice == MADV_HUGEPAGE);
            case MADV_DONTFORK:
                return setFlags(mm, v, from, to, v.flags | VM_DONTCOPY);
            case MADV_DOFORK:
                return setFlags(mm, v, from, to, v.flags & ~VM_DONTCOPY);
            case MADV_NORMAL:
                return setFlags(mm, v, from, to, v.flags & ~(VM_SEQ_READ | VM_RAND_READ));
            case MADV_RANDOM:
                return setFlags(mm, v, from, to, (v.flags & ~VM_SEQ_READ) | VM_RAND_READ);
            case MADV_SEQUENTIAL:
                return setFlags(mm, v, from, to, (v.flags & ~VM_RAND_READ) | VM_SEQ_READ);
            case MADV_DONTNEED:
            case MADV_FREE: {
                if (reserved && !pmdAligned(from, to)) return -Errno.EINVAL;   // rule 34
                if (v.has(VM_LOCKED)) return -Errno.EINVAL;
                if (advice == MADV_FREE && v.shmem != null) return -Errno.EINVAL;   // madvise_free_single_vma(): anonymous only
                if (v.has(VM_HUGETLB)) {
                    if (advice == MADV_FREE) return -Errno.EINVAL;
                    // hugetlb: start must be aligned; the end is rounded down to a huge page
                    if (from % v.hstate.size != 0) return -Errno.EINVAL;
                    to = to / v.hstate.size * v.hstate.size;
                    if (to <= from) return 0;
                    // shared hugetlb pages stay in the page cache: nothing is freed
                    if (v.has(VM_SHARED)) return 0;
                }
                // 6.1 keeps the emptied PTE tables; later kernels free an empty one on MADV_DONTNEED
                // (CONFIG_PT_RECLAIM, x86_64 since 6.14: zap_page_range_single_batched() with reclaim_pt)
                boolean keepTables = advice == MADV_FREE || m.swap.version == KernelVersion.V6_1;
                mmap.releaseRange(mm, v, from, to, false, keepTables);
                return 0;
            }
            case MADV_COLD:
            case MADV_PAGEOUT: {
                if (reserved && !pmdAligned(from, to)) return -Errno.EINVAL;   // rule 34
                if (v.has(VM_HUGETLB) || v.has(VM_LOCKED)) return -Errno.EINVAL;   // can_madv_lru_vma()
                // Simplification: shmem pages are on no LRU list in the model, so there is nothing to deactivate or reclaim
                if (v.shmem != null) return 0;
                int ps = m.geometry.pageSize();
                for (int i = v.slotOf(from); i <= v.slotOf(to - 1); i++) {
                    long s0 = v.slotStart(i);
                    int first = (int) ((Math.max(from, s0) - s0) / ps), last = (int) ((Math.min(to, s0 + v.slotSize) - s0) / ps);
                    reclaim.coldOrPageout(mm, v, i, first, last, advice == MADV_PAGEOUT);
                }
                return 0;
            }
            case MADV_REMOVE: {
                // madvise_remove(): shared mappings only; shmem and hugetlbfs punch a hole in the file
                if (v.shmem != null) {
                    long pmdSize = pmd();
                    long first = v.pgoff + Math.floorDiv(from - v.slotBase + pmdSize - 1, pmdSize), last = v.pgoff + (to - v.slotBase) / pmdSize;
                    if (last > first) punch.hole(v.shmem, first, last);
                    return 0;
                }
                if (!v.has(VM_SHARED) || v.file == null) return -Errno.EINVAL;
                long size = v.hstate.size;
                long first = v.pgoff + (from - v.start + size - 1) / size, last = v.pgoff + (to - v.start) / size;
                if (last > first) punch.hole(v.file, first, last);
                return 0;
            }
            case MADV_POPULATE_READ:
            case MADV_POPULATE_WRITE:
                return populate.range(mm, v, from, to, advice == MADV_POPULATE_WRITE);
            case MADV_COLLAPSE:
                if (reserved) return -Errno.EINVAL;   // rule 33: khugepaged cannot allocate from the reserve
                return khugepaged.madviseCollapse(mm, v, from, to);
            default:
                return 0;
        }
    }

    /**
     * RFC patch 8/8: private anonymous VMAs only (rule 25), PMD-aligned per-VMA range (rule 26), charge
     * only when the VMA was not reserved yet (rule 28), flags VM_HUGEPAGE/VM_NOHUGEPAGE cleared (rule 27),
     * and the charge returned if the VMA update fails (rule 30).
     */
    private int reserve(Mm mm, Vma v, long from, long to) {
        if (v.has(VM_SHARED) || v.has(VM_HUGETLB)) return -Errno.EINVAL;
        if (!pmdAligned(from, to)) return -Errno.EINVAL;
        if (v.has(VM_RESERVED_THP)) return 0;
        long hpages = (to - from) / pmd();
        int err = m.rthp.charge(hpages);
        if (err != 0) return err;
        int[] e = {0};
        Vma part = mmap.isolate(mm, v, from, to, e);
        if (part == null) {
            m.rthp.uncharge(hpages);
            return e[0];
        }
        part.flags = (part.flags & ~(VM_HUGEPAGE | VM_NOHUGEPAGE)) | VM_RESERVED_THP;
        mmap.merge(mm, part);   // rule 23: adjacent reserved VMAs merge; their charges simply add up
        return 0;
    }

    /**
     * madvise_update_vma(): new flags for [from, to); the VMA is split only when they differ (a reserved VMA
     * only at PMD boundaries, rule 36) and merged back with neighbours that now match (rule 23).
     */
    private int setFlags(Mm mm, Vma v, long from, long to, long flags) {
        if (flags == v.flags) return 0;
        int[] err = {0};
        Vma part = mmap.isolate(mm, v, from, to, err);
        if (part == null) return err[0];
        part.flags = flags;
        mmap.merge(mm, part);
        return 0;
    }

    /** Whether a window of [from, to) maps a page the shared pool lent (sharedPool: it cannot become an ordinary THP). */
    private boolean holdsPoolPages(Vma v, long from, long to) {
        if (!m.rthp.pooled()) return false;
        for (int i = v.slotOf(from); i <= v.slotOf(to - 1); i++) {
            if (v.kind(i) == Vma.PMD_THP && m.rthp.isPoolPage(v.page(i))) return true;
        }
        return false;
    }

    /** MADV_HUGEPAGE / MADV_NOHUGEPAGE clear VM_RESERVED_THP and return its quota (rules 27, 31). */
    private int hugepage(Mm mm, Vma v, long from, long to, boolean huge) {
        if (v.has(VM_HUGETLB)) return 0;
        boolean wasReserved = v.has(VM_RESERVED_THP);
        if (wasReserved && holdsPoolPages(v, from, to)) return -Errno.EINVAL;   // docs/model.md rule 61
        int[] e = {0};
        Vma part = mmap.isolate(mm, v, from, to, e);
        if (part == null) return e[0];
        long f = part.flags & ~(VM_HUGEPAGE | VM_NOHUGEPAGE | VM_RESERVED_THP);
        part.flags = f | (huge ? VM_HUGEPAGE : VM_NOHUGEPAGE);
        mmap.merge(mm, part);
        // hugepage_madvise(): "If the vma become good for khugepaged to scan, register it here"
        if (huge) khugepaged.enterVma(mm, mm.find(from));
        if (wasReserved) m.rthp.uncharge(part.length() / pmd());
        return 0;
    }
}
