package hugesim.mm;

/** /proc/vmstat event counters the model moves, under the kernel's names (include/linux/vm_event_item.h). */
public enum VmStat {
    thp_fault_alloc, thp_fault_fallback, thp_fault_fallback_charge, thp_split_page, thp_split_pmd,
    thp_deferred_split_page, thp_zero_page_alloc, thp_swpout, thp_swpout_fallback,
    thp_collapse_alloc, thp_collapse_alloc_failed, thp_file_alloc, thp_file_fallback, thp_file_fallback_charge, thp_file_mapped, thp_scan_exceed_none_pte, thp_scan_exceed_swap_pte, thp_scan_exceed_share_pte,
    pswpin, pswpout, pgmajfault, swap_ra, swap_ra_hit, oom_kill, htlb_buddy_alloc_success, htlb_buddy_alloc_fail,
    cma_alloc_success, cma_alloc_fail, pgmigrate_success, pgmigrate_fail, thp_migration_success, thp_migration_fail,
    thp_migration_split, allocstall_normal, pgsteal_direct,
    compact_migrate_scanned, compact_free_scanned, compact_isolated, compact_stall, compact_fail, compact_success,
    pgscan_kswapd, pgscan_direct, pgsteal_kswapd, pgrefill, pgactivate, pgdeactivate, pageoutrun,
    kswapd_low_wmark_hit_quickly, workingset_refault_anon,
    compact_daemon_wake, compact_daemon_migrate_scanned, compact_daemon_free_scanned,
    workingset_refault_file, workingset_activate_file, pgscan_file, pgsteal_file, drop_pagecache, drop_slab;

    public static final VmStat[] VALUES = values();
}
