package hugesim.cli.kcheck;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a counter is compared, declared per counter. EXACT: the values must be equal. DELTA: the change since
 * the run's first checkpoint must agree within {@code within} (the kernel keeps memory for itself, and the
 * guest's own processes and page tables take some). MOVED: only whether the counter moved since the first
 * checkpoint (the model's reclaim works in rounds of its own size). SHOWN: in the report, never compared (the
 * kernel's count is mostly of what the model does not have).
 */
public record Tolerance(String counter, Mode mode, long within, String why) {
    public enum Mode { EXACT, DELTA, NEAR, MOVED, SHOWN }

    private static final Map<String, Tolerance> RULES = new LinkedHashMap<>();

    private static void rule(Mode mode, long within, String why, String... counters) {
        for (String c : counters) RULES.put(c, new Tolerance(c, mode, within, why));
    }

    static {
        rule(Mode.EXACT, 0, "HugeTLB pool counters", "HugePages_Total", "HugePages_Free", "HugePages_Rsvd", "HugePages_Surp",
                "Hugepagesize", "Hugetlb", "htlb_buddy_alloc_success", "htlb_buddy_alloc_fail");
        rule(Mode.EXACT, 0, "THP events on a quiet guest: only the replayed processes fault",
                "AnonHugePages", "thp_fault_alloc", "thp_fault_fallback", "thp_fault_fallback_charge", "thp_split_page",
                "thp_split_pmd", "thp_deferred_split_page", "thp_zero_page_alloc", "thp_swpout", "thp_swpout_fallback",
                "thp_collapse_alloc_failed", "thp_migration_success", "thp_migration_fail",
                "thp_migration_split", "oom_kill", "ShmemHugePages", "ShmemPmdMapped", "thp_file_alloc", "thp_file_fallback",
                "thp_file_fallback_charge", "thp_file_mapped");
        rule(Mode.DELTA, 0, "the guest's own tmpfs (its initramfs root, about 900 kB) does not change while the replay runs", "Shmem");
        rule(Mode.EXACT, 0, "the swap disk has the model's size plus its header page", "SwapTotal");
        rule(Mode.DELTA, 0, "RAM the kernel keeps for itself is not the model's; it must not change", "MemTotal");
        rule(Mode.DELTA, 4096, "the guest's own allocations move it, at some reads by 2 MiB at once: page tables, "
                + "process stacks, pipes, slab, the harness's buffers (the kernel's value includes the per-CPU lists' free pages, "
                + "/proc/zoneinfo count)", "MemFree");
        rule(Mode.DELTA, 1024, "the replay processes' own stacks and data (about 100 kB each)", "AnonPages");
        rule(Mode.DELTA, 96, "each replay process but the first brings 24 kB of page tables of its own (the guest program's text, "
                + "data and stack), which a model process has not; the scenarios run up to four", "PageTables");
        rule(Mode.DELTA, 0, "only the replayed processes swap on a quiet guest", "pswpin", "pswpout");
        rule(Mode.DELTA, 256, "the per-CPU swap slot cache (mm/swap_slots.c) holds up to SWAP_BATCH = 64 slots it took from the device", "SwapFree");
        rule(Mode.DELTA, 0, "no CMA user on the guest but the scenario", "CmaTotal", "CmaFree", "cma_alloc_success", "cma_alloc_fail",
                "pgmigrate_success", "pgmigrate_fail");
        rule(Mode.DELTA, 16, "swap-in faults of the replayed processes; the guest program itself is not paged", "pgmajfault");
        rule(Mode.DELTA, 1, "a khugepaged scan on the guest's clock may take a huge page for a split THP's range between two "
                + "operations, and give it back when the range is not collapsible (seen about once in ten runs of s18)",
                "thp_collapse_alloc");
        rule(Mode.DELTA, 0, "swap readahead of the replayed processes' faults; the guest program locks its own pages", "swap_ra", "swap_ra_hit");
        rule(Mode.MOVED, 0, "the model's direct reclaim works in rounds of its own size", "allocstall_normal", "pgsteal_direct",
                "pgscan_direct");
        rule(Mode.MOVED, 0, "kswapd runs on both or neither; the kernel's also reclaims the guest's own page cache, which the replay does not have",
                "pgscan_kswapd", "pgsteal_kswapd", "pageoutrun");
        rule(Mode.SHOWN, 0, "the kernel's LRU counts are mostly of the page cache and the guest's own processes, which the "
                + "model's anonymous lists do not have", "pgactivate", "pgdeactivate", "pgrefill", "kswapd_low_wmark_hit_quickly");
        rule(Mode.SHOWN, 0, "the kernel counts a refault only for a page evicted with a shadow entry, and a swap-cache hit "
                + "reads nothing; the model counts every page it reads back", "workingset_refault_anon");
        rule(Mode.SHOWN, 0, "khugepaged scans on the guest's clock, which the replay does not keep (a guest runs for a minute)",
                "thp_scan_exceed_none_pte", "thp_scan_exceed_swap_pte", "thp_scan_exceed_share_pte");
        rule(Mode.DELTA, 64, "a split THP's pages are written one by one, and a page whose write completed within the pass "
                + "is freed from the swap cache at once (shrink_folio_list())", "SwapCached");
        rule(Mode.SHOWN, 0, "the guest's own processes, files and VMAs take slab (task, mm, vm_area_struct, pipes, dentries); the "
                + "model's slab is only what a scenario allocates with kernelAlloc, which kernel-check cannot replay",
                "KReclaimable", "Slab", "SReclaimable", "SUnreclaim");
        rule(Mode.SHOWN, 0, "the guest's own page cache (its root file system, the replay program and its libraries); the replay "
                + "reads and writes no file", "Buffers", "Cached", "Active(file)", "Inactive(file)", "Dirty", "Writeback",
                "workingset_refault_file", "workingset_activate_file", "pgscan_file", "pgsteal_file");
        rule(Mode.DELTA, 0, "nothing on the guest but the replay writes vm.drop_caches", "drop_pagecache", "drop_slab");
        rule(Mode.DELTA, 0, "direct compaction by the replayed processes' faults", "compact_stall", "compact_success", "compact_fail");
        rule(Mode.MOVED, 0, "the model's scanners count whole blocks and the pages they move, not every page the kernel's look at",
                "compact_migrate_scanned", "compact_free_scanned", "compact_isolated");
        rule(Mode.SHOWN, 0, "kcompactd works on the guest's clock (a look every 500 ms, wake-ups from kswapd), which the replay "
                + "does not keep", "compact_daemon_wake", "compact_daemon_migrate_scanned", "compact_daemon_free_scanned");
        // memory cgroup files (bytes), named FILE or FILE.KEY; the others are compared exactly
        rule(Mode.NEAR, 512 << 10, "the kernel also charges the process's kernel stack, page tables and slab, and its own "
                + "stack and data faulted after it joined the cgroup", "memory.current");
        rule(Mode.NEAR, 1 << 20, "the replay process's own stack and data faulted after it joined the cgroup; under memory.max "
                + "the kernel also charges page tables and slab (about 4 KiB per 2 MiB mapped), so it swaps that much more",
                "memory.stat.anon", "memory.swap.current");
        rule(Mode.NEAR, 512 << 10, "a page whose write completed within the reclaim pass is freed at once (shrink_folio_list())",
                "memory.stat.swapcached");
        rule(Mode.MOVED, 0, "the kernel counts one per charge over the limit and reclaims at least 32 pages for it; the model "
                + "reclaims a window's 512 pages at a time", "memory.events.max", "memory.events.high", "memory.stat.pgscan", "memory.stat.pgsteal");
        rule(Mode.MOVED, 0, "the charge retries while the OOM victim's memory is freed (exit, the oom reaper) and counts an oom "
                + "event per round; the model frees the victim at once", "memory.events.oom");
        rule(Mode.SHOWN, 0, "kernel memory the model does not charge: the process's kernel stack, page tables and slab",
                "memory.stat.kernel", "memory.stat.kernel_stack", "memory.stat.pagetables", "memory.stat.sec_pagetables",
                "memory.stat.slab", "memory.stat.slab_reclaimable", "memory.stat.slab_unreclaimable", "memory.stat.percpu",
                "memory.stat.sock", "memory.stat.vmalloc");
        rule(Mode.SHOWN, 0, "the kernel's LRU and event counts also move for the replay process's own pages",
                "memory.stat.active_anon", "memory.stat.inactive_anon", "memory.stat.pgfault", "memory.stat.pgactivate",
                "memory.stat.pgdeactivate", "memory.stat.pgrefill");
    }

    /** The rule for a counter; counters without one are compared exactly. */
    public static Tolerance of(String counter) {
        Tolerance t = RULES.get(counter);
        return t != null ? t : new Tolerance(counter, Mode.EXACT, 0, "no declared tolerance");
    }

    public static Map<String, Tolerance> all() { return java.util.Collections.unmodifiableMap(RULES); }

    /** Whether model and kernel agree, given each side's value at the run's first checkpoint. */
    public boolean agrees(long model, long kernel, long modelBase, long kernelBase) {
        return switch (mode) {
            case EXACT -> model == kernel;
            case DELTA -> Math.abs((model - modelBase) - (kernel - kernelBase)) <= within;
            case NEAR -> Math.abs(model - kernel) <= within;
            case MOVED -> (model != modelBase) == (kernel != kernelBase);
            case SHOWN -> true;
        };
    }

    public String describe() {
        return switch (mode) {
            case EXACT -> "exact";
            case DELTA -> within == 0 ? "change, exact" : "change, within " + within;
            case NEAR -> "within " + within;
            case MOVED -> "moved or not";
            case SHOWN -> "shown, not compared";
        };
    }
}
