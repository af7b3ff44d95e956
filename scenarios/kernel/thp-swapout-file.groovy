// Runs on a stock 6.1 kernel (hugesim kernel-check boots the swap file as a rotational virtio disk); 6.1 also
// counts a deferred split per THP split here, which kernel '6.1' makes the model count. THP swap-out by
// MADV_PAGEOUT where no whole-THP swap slot can be had: mm/swapfile.c get_swap_pages() gives a THP a whole cluster only on a block device with
// cluster_info (non-rotational, SWP_BLKDEV) in 6.1; a swap file (the model's file: true) and a rotational
// disk both make add_to_swap() fail for the folio, so shrink_folio_list() splits it (thp_swpout_fallback,
// thp_split_page; unmap_folio() splits the PMD first, thp_split_pmd) and writes its 4 KiB pages.
name 'thp-swapout-file'
description 'Without whole-THP swap slots (a swap file; on a kernel, a rotational disk) MADV_PAGEOUT splits each THP first.'

machine {
    memory 1.GB
    swap 64.MB, file: true
    kernel '6.1'                                            // as the guest: thp_deferred_split_page per split
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
    assert vmstat('thp_swpout') == 0                        // no cluster for a whole THP
    assert vmstat('thp_swpout_fallback') == 4              // split, then 4 KiB pages
    assert vmstat('pswpout') == 4 * 512
    assert vmstat('thp_split_pmd') == 4                     // unmap_folio() splits each PMD before the folio
    assert vmstat('thp_split_page') == 4
    assert vmstat('thp_deferred_split_page') == 4           // 6.1: page_remove_rmap() of the first page queues it
    assert meminfo('AnonHugePages') == 0
    assert swapFree - meminfo('SwapFree') == 8192
    assert smaps(a).Swap == 8192
}

run until: 2.s, sample: 1.s
