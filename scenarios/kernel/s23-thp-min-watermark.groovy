// Scenario S23 (docs/model.md section 6): a THP fault "succeeds as THP only while order-9 blocks
// exist". Section 4.3: "Fast path checks the low watermark; slow path uses min". A THP fault's
// allocation that fails the fast path (low) enters __alloc_pages_slowpath(), which recomputes the flags
// as ALLOC_WMARK_MIN and tries the free lists again before anything else, with or without
// __GFP_DIRECT_RECLAIM. So with defrag=never (GFP_TRANSHUGE_LIGHT: no reclaim, no compaction) THP faults
// succeed until free - 511 pages <= min, and only then fall back.
// mm/page_alloc.c __alloc_pages_slowpath():
//     alloc_flags = gfp_to_alloc_flags(gfp_mask, order);      /* ALLOC_WMARK_MIN | ALLOC_CPUSET */
//     ...
//     page = get_page_from_freelist(gfp_mask, order, alloc_flags, ac);
// __zone_watermark_ok(): free_pages -= (1 << order) - 1; if (free_pages <= min + lowmem_reserve) fail.
// With nothing reclaimable and no swap, the first 4 KiB fallback fault finds memory at min already and
// ends in the OOM killer.
name 's23-thp-min-watermark'
description 'THP faults succeed down to the min watermark (slow path), not just down to low.'

machine {
    memory 256.MB
}

policy thp()

long before = 0

process('n') {
    assert sysfs('kernel/mm/transparent_hugepage/defrag', 'never') == 0
    long n = mmap(0, 256.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(n, 256.MB, MADV_HUGEPAGE) == 0
    for (long off = 0; off < 256.MB && vmstat('thp_fault_fallback') == 0; off += 2.MB) {
        before = meminfo('MemFree')
        touch n + off, 2.MB
    }
}

process('check', start: 1.s) {
    assert vmstat('thp_fault_fallback') == 1
    // the order-9 request that failed saw free - 511 pages <= min: the min watermark, not low
    assert before - 2044 <= sysctl('vm.min_free_kbytes')
}

run until: 2.s, sample: 1.s
