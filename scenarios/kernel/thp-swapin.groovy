// Runs on a stock kernel (hugesim kernel-check): THPs swapped out by MADV_PAGEOUT to a disk, then read back.
// shrink_folio_list() unmaps them at once and leaves the written folios in the swap cache for a later
// reclaim pass (mm/vmscan.c); on an idle machine none comes, so the read finds them there: no pswpin, no
// major fault (mm/memory.c do_swap_page(), swap_cache_get_folio()). Each comes back as a large folio mapped
// by PTEs (its PMD was split at swap-out), and a read keeps it in the swap cache with its slots
// (should_try_to_free_swap() frees them only for a write, or when swap is half full). As the guest, the machine
// runs 6.1, which maps copies instead: ksm_might_need_to_copy() copies each tail page of a swap-cached THP
// (only the head's page->index matches the fault's), so the THP stays in the swap cache and 8 MiB more is used;
// later kernels (mainline) map the THP's own pages.
name 'thp-swapin'
description 'THPs swapped out by MADV_PAGEOUT wait in the swap cache; reading them back is a swap-cache hit.'

machine {
    memory 1.GB
    swap 64.MB
    kernel '6.1'                                            // as the guest: the tail pages copied
}

policy thp()

process('p') {
    long a = mmap(0, 8.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(a, 8.MB, MADV_HUGEPAGE) == 0
    touch a, 8.MB
    long swapFree = meminfo('SwapFree')
    assert madvise(a, 8.MB, MADV_PAGEOUT) == 0
    assert smaps(a).Rss == 0 && smaps(a).Swap == 8192       // unmapped at once
    sleep 1.s                                               // the writes complete
    assert vmstat('thp_swpout') == 4
    assert meminfo('SwapCached') == 8192                    // written, still in memory
    long free = meminfo('MemFree')
    read a, 8.MB                                            // swap-cache hits: no I/O
    assert vmstat('pswpin') == 0
    assert free - meminfo('MemFree') == 8192                // 6.1's copies (the kernel maps each head page: 8176 kB)
    assert meminfo('SwapCached') == 8192                    // the THPs stay in the swap cache
    assert meminfo('AnonHugePages') == 0                    // mapped by PTEs
    assert smaps(a).Rss == 8192 && smaps(a).Swap == 0
    assert swapFree - meminfo('SwapFree') == 8192           // the slots stay taken
}

run until: 2.s, sample: 1.s
