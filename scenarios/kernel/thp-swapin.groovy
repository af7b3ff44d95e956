// Runs on a stock kernel (hugesim kernel-check), where it shows a known difference (README): THPs swapped
// out by MADV_PAGEOUT, then read back. In the model swap-out frees the pages once written, so the read
// faults 4 KiB pages back from the device (pswpin), never a THP (mm/memory.c do_swap_page()). The kernel
// keeps each written folio in the swap cache until reclaim frees it (shrink_folio_list() leaves a folio
// under writeback for a later pass), so on an idle machine the read finds the pages there: no pswpin, and
// the swap slots stay taken.
name 'thp-swapin'
description 'THPs swapped out by MADV_PAGEOUT come back as 4 KiB pages when read.'

machine {
    memory 1.GB
    swap 64.MB
}

policy thp()

process('p') {
    long a = mmap(0, 8.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(a, 8.MB, MADV_HUGEPAGE) == 0
    touch a, 8.MB
    assert madvise(a, 8.MB, MADV_PAGEOUT) == 0
    sleep 1.s                                               // the writes complete
    assert vmstat('thp_swpout') == 4
    read a, 8.MB                                            // swap-in: 4 KiB pages
    assert vmstat('pswpin') == 4 * 512
    assert meminfo('AnonHugePages') == 0
    assert smaps(a).Rss == 8192 && smaps(a).Swap == 0
}

run until: 2.s, sample: 1.s
