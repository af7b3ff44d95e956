// Runs on a stock 6.1 kernel (hugesim kernel-check boots the swap device as a rotational virtio disk). THP swap-out by MADV_PAGEOUT to a rotational disk: on 6.1,
// swapon() allocates cluster_info only for a non-rotational device (SWP_SOLIDSTATE), so get_swap_pages() has
// no whole cluster for a THP and shrink_folio_list() splits it (thp_swpout_fallback, thp_split_page; the PMD
// first, thp_split_pmd) and writes its 4 KiB pages. Since 6.14 ("mm, swap: remove old allocation path for
// HDD") a rotational disk has clusters too and the THPs go out whole: drop kernel '6.1' to see it.
name 'thp-swapout-hdd'
description 'On 6.1 a rotational swap disk has no whole-THP clusters: MADV_PAGEOUT splits each THP first.'

machine {
    memory 1.GB
    swap 64.MB, device: 'hdd'
    kernel '6.1'
}

policy thp()

int RW = PROT_READ | PROT_WRITE
int ANON = MAP_PRIVATE | MAP_ANONYMOUS

process('p') {
    long a = mmap(0, 8.MB, RW, ANON)
    assert madvise(a, 8.MB, MADV_HUGEPAGE) == 0
    touch a, 8.MB
    assert madvise(a, 8.MB, MADV_PAGEOUT) == 0
    sleep 1.s                                               // the writes complete (8 MiB at 150 MB/s)
    assert vmstat('thp_swpout') == 0
    assert vmstat('thp_swpout_fallback') == 4
    assert vmstat('thp_split_page') == 4
    assert vmstat('thp_split_pmd') == 4
    assert vmstat('thp_deferred_split_page') == 4           // 6.1: page_remove_rmap() of the first page queues it
    assert vmstat('pswpout') == 4 * 512
    assert smaps(a).Swap == 8192
    assert meminfo('SwapCached') == 8192                    // written, waiting in the swap cache
}

run until: 2.s, sample: 1.s
