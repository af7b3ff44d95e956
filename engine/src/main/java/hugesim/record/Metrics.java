package hugesim.record;

import java.util.List;

/**
 * Names of the sampled metrics. Kernel metrics carry the kernel's names and units
 * ({@code meminfo.*} in kB or pages as /proc/meminfo prints them, {@code vmstat.*} as counts,
 * {@code reserved_thp.*} in hpages). The {@code hugesim.*} metrics are derived, policy-independent views
 * of huge memory, in kB, so that one chart compares HugeTLB, CMA, THP and Reserved THP.
 */
public final class Metrics {
    /** Memory set aside for huge pages: HugeTLB pools of all sizes + reserved THP blocks. */
    public static final String RESERVED = "hugesim.reserved_kB";
    /** Huge memory promised: HugeTLB pages in use + HugePages_Rsvd, or reserved_thp used_hpages. */
    public static final String USED = "hugesim.used_kB";
    /** Huge memory mapped: HugeTLB pages in use + PMD-mapped THPs (AnonHugePages, ShmemPmdMapped). */
    public static final String RESIDENT = "hugesim.resident_kB";
    /** Swap in use: SwapTotal − SwapFree. */
    public static final String SWAP_USED = "hugesim.swap_used_kB";
    /**
     * Memory set aside for huge pages that holds none: free pool pages (HugePages_Free, every size) and free
     * reserved-THP or NoSplit pageblocks. A CMA area's free memory is not counted: movable pages may use it.
     */
    public static final String IDLE = "hugesim.idle_reserved_kB";

    /**
     * A memory cgroup's metrics, after its files (bytes, as memory.current and memory.swap.current print
     * them): {@code memcg.NAME.current}, {@code memcg.NAME.swap.current}, and under the memPool design
     * {@code memcg.NAME.pool.current}. A run has them for every cgroup
     * whose memory files the script reads or writes, after the metrics of {@link #ALL}.
     */
    public static String memcg(String cgroup, String file) { return "memcg." + cgroup + "." + file; }

    public static final List<String> ALL = List.of(
            "reserved_thp.total_hpages", "reserved_thp.used_hpages", "reserved_thp.free_hpages",
            "reserved_thp.resident_hpages",
            "meminfo.HugePages_Total", "meminfo.HugePages_Free", "meminfo.HugePages_Rsvd", "meminfo.HugePages_Surp",
            "meminfo.Hugetlb", "meminfo.AnonHugePages", "meminfo.AnonPages", "meminfo.MemFree",
            "meminfo.SwapTotal", "meminfo.SwapFree", "meminfo.SwapCached", "meminfo.CmaTotal", "meminfo.CmaFree",
            "meminfo.Slab", "meminfo.SReclaimable", "meminfo.SUnreclaim", "meminfo.Cached", "meminfo.Dirty", "meminfo.Writeback",
            "meminfo.PageTables", "meminfo.Shmem", "meminfo.ShmemHugePages",
            "vmstat.thp_fault_alloc", "vmstat.thp_fault_fallback", "vmstat.thp_split_page", "vmstat.thp_swpout",
            "vmstat.thp_swpout_fallback", "vmstat.pswpin", "vmstat.pswpout", "vmstat.oom_kill",
            "vmstat.cma_alloc_success", "vmstat.cma_alloc_fail",
            RESERVED, USED, RESIDENT, SWAP_USED, IDLE);

    private Metrics() {}
}
