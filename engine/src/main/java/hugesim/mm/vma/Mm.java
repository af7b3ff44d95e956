package hugesim.mm.vma;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** An mm_struct: the VMAs of one process, by start address, and its page counters. */
public final class Mm {
    /** Top of the mmap area; mappings are placed top-down below it (the x86_64 default layout). */
    public static final long MMAP_BASE = 0x7f00_0000_0000L;
    /** Lowest address an mmap may return (vm.mmap_min_addr). */
    public static final long MMAP_MIN = 0x10000L;

    public final int pid;
    public final String name;
    private final TreeMap<Long, Vma> vmas = new TreeMap<>();
    private final AnonStat total;
    private long anonPages;
    private long thps;
    /** Swap entries held. */
    public long swapEntries;
    public boolean exited;
    /** Swap reads and writes of this process's memory not yet completed. */
    public int swapIoInFlight;
    /** The NUMA node the process runs on: its faults allocate there first (default local policy). */
    public int node;
    /** The hugetlb cgroup the process belongs to, or null (the root: no limits). */
    public hugesim.mm.hugetlb.HugetlbCgroup cgroup;
    /** The memory cgroup its anonymous memory is charged to, or null (the root: no limits). */
    public hugesim.mm.memcg.MemCgroup memcg;

    /** What each of its THP faults that entered direct compaction spent in it, in nanoseconds, in order. */
    private long[] compactStalls = new long[0];
    private int nrCompactStalls;

    /** A THP fault of this process ran direct compaction (a compact_stall) for {@code nanos}. */
    public void compactStall(long nanos) {
        if (nrCompactStalls == compactStalls.length) compactStalls = java.util.Arrays.copyOf(compactStalls, Math.max(8, 2 * nrCompactStalls));
        compactStalls[nrCompactStalls++] = nanos;
    }

    /** The direct compaction time of each THP fault that entered it. */
    public long[] compactStalls() { return java.util.Arrays.copyOf(compactStalls, nrCompactStalls); }

    /** MMF_DISABLE_THP_COMPLETELY and MMF_DISABLE_THP_EXCEPT_ADVISED (prctl(PR_SET_THP_DISABLE)); kept across fork. */
    public boolean disableThpCompletely, disableThpExceptAdvised;

    /** MMF_VM_HUGEPAGE: the mm has a slot on khugepaged's list (set and cleared by khugepaged alone). */
    public boolean vmHugepage;

    /**
     * vma_thp_disabled() (include/linux/huge_mm.h, with the RFC's patch 7/8): VM_NOHUGEPAGE or the "completely"
     * mode disable THP; VM_HUGEPAGE, VM_RESERVED_THP or a forced collapse are advice the "except advised"
     * mode honours.
     */
    public boolean thpDisabled(long vmFlags, boolean forcedCollapse) {
        if ((vmFlags & VmFlags.VM_NOHUGEPAGE) != 0 || disableThpCompletely) return true;
        if ((vmFlags & (VmFlags.VM_HUGEPAGE | VmFlags.VM_RESERVED_THP)) != 0 || forcedCollapse) return false;
        return disableThpExceptAdvised;
    }

    /** Its page tables, which follow what its VMAs' windows hold. */
    public final PageTables tables;

    /**
     * @param total  the machine-wide counters this mm's own counters add to
     * @param tables where its page tables' pages come from
     */
    public Mm(int pid, String name, AnonStat total, PageTables.Machine tables) {
        this.pid = pid;
        this.name = name;
        this.total = total;
        this.tables = new PageTables(tables, this);
    }

    /** 4 KiB anonymous pages resident (RSS anon, not counting THPs). */
    public long anonPages() { return anonPages; }

    /** PMD-mapped THPs. */
    public long thps() { return thps; }

    public void addAnonPages(long n) {
        anonPages += n;
        total.anonPages += n;
        if (memcg != null) memcg.anonPages(n);
    }

    /** Shmem pages mapped (MM_SHMEMPAGES: RssShmem), a PMD-mapped THP counting all its pages. */
    public long shmemPages() { return shmemPages; }

    private long shmemPages;

    public void addShmemPages(long n) { shmemPages += n; }

    public void addThps(long n) {
        thps += n;
        total.thps += n;
        if (memcg != null) memcg.thps(n);
    }

    /** stack_guard_gap (mm/mmap.c): 256 pages by default, kept free below a VM_GROWSDOWN VMA. */
    public long stackGuardGap = 256 * 4096L;

    /** find_vma(): the first VMA that ends above {@code addr}, or null. */
    public Vma findVma(long addr) {
        Vma v = find(addr);
        if (v != null) return v;
        Map.Entry<Long, Vma> e = vmas.higherEntry(addr);
        return e == null ? null : e.getValue();
    }

    /** The VMA just below {@code v} (vma_prev()), or null. */
    public Vma prev(Vma v) {
        Map.Entry<Long, Vma> e = vmas.lowerEntry(v.start);
        return e == null ? null : e.getValue();
    }

    /** The VMA containing {@code addr}, or null. */
    public Vma find(long addr) {
        Vma c = cached;
        // the last VMA found answers a run of faults in one mapping (the kernel's old per-thread vmacache)
        if (c != null && addr >= c.start && addr < c.end) return c;
        Map.Entry<Long, Vma> e = vmas.floorEntry(addr);
        Vma v = e != null && addr < e.getValue().end ? e.getValue() : null;
        if (v != null) cached = v;
        return v;
    }

    /** The VMA {@link #find} answered last; forgotten whenever the tree changes (bounds never change in place). */
    private Vma cached;

    /** VMAs that intersect [start, end), in address order. */
    public List<Vma> intersecting(long start, long end) {
        List<Vma> out = new ArrayList<>();
        Map.Entry<Long, Vma> first = vmas.floorEntry(start);
        Long from = first != null && first.getValue().end > start ? first.getKey() : start;
        for (Vma v : vmas.subMap(from, true, end, false).values()) out.add(v);
        return out;
    }

    public List<Vma> vmas() { return new ArrayList<>(vmas.values()); }

    public int mapCount() { return vmas.size(); }

    public void insert(Vma v) {
        cached = null;
        vmas.put(v.start, v);
        v.tables = tables;
        tables.vma(v, true);
    }

    public void remove(Vma v) {
        cached = null;
        vmas.remove(v.start);
        tables.vma(v, false);
        v.tables = null;
        if (v.file != null) v.file.put();
        if (v.shmem != null) v.shmem.put();
    }

    /** Open file descriptors (hugetlbfs and shmem files), from 3 as after stdin, stdout and stderr. */
    public final java.util.TreeMap<Integer, hugesim.mm.Inode> files = new java.util.TreeMap<>();
    private int nextFd = 3;

    /** dup_fd() at fork: the child holds every file the parent has open, under the same numbers. */
    public void inheritFiles(Mm parent) {
        for (var e : parent.files.entrySet()) {
            e.getValue().get();
            files.put(e.getKey(), e.getValue());
        }
        nextFd = parent.nextFd;
    }

    public int open(hugesim.mm.Inode f) {
        int fd = nextFd++;
        f.get();
        files.put(fd, f);
        return fd;
    }

    /**
     * get_unmapped_area(): the highest free gap below {@link #MMAP_BASE} that fits {@code len} at
     * {@code align} (anonymous mappings whose length is a PMD multiple are PMD-aligned, thp_get_unmapped_area).
     */
    public long unmappedArea(long len, long align) {
        long top = MMAP_BASE;
        for (Vma v : vmas.descendingMap().values()) {
            long gapStart = vmStartGap(v);
            if (v.start >= top) { top = Math.min(top, gapStart); continue; }
            long cand = Math.floorDiv(top - len, align) * align;
            if (cand >= v.end) return cand;
            top = gapStart;
        }
        long cand = Math.floorDiv(top - len, align) * align;
        return cand >= MMAP_MIN ? cand : -1;
    }

    /** vm_start_gap(): a VMA that grows down keeps the guard gap below it free of new mappings. */
    private long vmStartGap(Vma v) {
        return (v.flags & VmFlags.VM_GROWSDOWN) != 0 ? Math.max(0, v.start - stackGuardGap) : v.start;
    }

    public boolean isFree(long start, long end) {
        return intersecting(start, end).isEmpty();
    }
}
