// Runs on a stock kernel (hugesim kernel-check). THP swap-out by MADV_PAGEOUT on a swap block device; the written
// folios stay in the swap cache (SwapCached), so MemFree does not rise on an idle machine.
// mm/madvise.c madvise_cold_or_pageout_pte_range(): a PMD-mapped THP wholly inside the range is isolated
// whole and reclaim_pages() -> shrink_folio_list() -> add_to_swap() asks for a whole cluster:
// get_swap_pages() -> swap_alloc_cluster() on a non-rotational block device (SWP_BLKDEV with cluster_info),
// counted thp_swpout; without a free cluster the THP is split and its pages go one by one
// (thp_swpout_fallback). Either way try_to_unmap() or unmap_folio() first splits the PMD (thp_split_pmd).
name 'thp-swapout'
description 'MADV_PAGEOUT writes THPs to a non-rotational swap disk whole.'

machine {
    memory 1.GB
    swap 64.MB
}

policy thp()

int RW = PROT_READ | PROT_WRITE
int ANON = MAP_PRIVATE | MAP_ANONYMOUS

process('p') {
    long a = mmap(0, 8.MB, RW, ANON)
    assert madvise(a, 8.MB, MADV_HUGEPAGE) == 0
    touch a, 8.MB
    assert vmstat('thp_fault_alloc') == 4
    assert meminfo('AnonHugePages') == 8192
    long swapFree = meminfo('SwapFree')
    assert madvise(a, 8.MB, MADV_PAGEOUT) == 0
    sleep 1.s                                               // the writes complete
    assert vmstat('thp_swpout') == 4                        // four whole clusters
    assert vmstat('thp_swpout_fallback') == 0
    assert vmstat('pswpout') == 4 * 512
    assert vmstat('thp_split_pmd') == 4                     // try_to_unmap(TTU_SPLIT_HUGE_PMD): swap entries in PTEs
    assert meminfo('AnonHugePages') == 0
    assert swapFree - meminfo('SwapFree') == 8192
    assert smaps(a).Swap == 8192
    assert meminfo('SwapCached') == 8192                    // freed when reclaim next meets them
}

run until: 2.s, sample: 1.s
