// khugepaged after swap-in (mm/khugepaged.c, docs/model.md 3.6). MADV_PAGEOUT writes 32 THPs out whole; reading
// them back maps 4 KiB pages (do_swap_page() never allocates a THP, docs/model.md 5.1). khugepaged, registered
// by the first THP fault (do_huge_pmd_anonymous_page() -> khugepaged_enter_vma()), wakes every
// scan_sleep_millisecs, here 100 ms, and each wake scans pages_to_scan = 4096 pages' worth (8 PMD ranges,
// khugepaged_do_scan()): each range of 512 young 4 KiB pages, none of them none or swapped, is collapsed
// into a new THP (hpage_collapse_scan_pmd(), collapse_huge_page(): thp_collapse_alloc). On a 6.1 kernel
// with the same steps (swap on zram) all 32 THPs were back within about 1 s.
name 'khugepaged-swapin'
description 'After swap-in, khugepaged collapses the 4 KiB pages of 32 MADV_HUGEPAGE THPs back into THPs.'

machine {
    memory 1.GB
    swap 128.MB, device: 'zram'                              // freed once written, read back from the device
}

policy thp()

int RW = PROT_READ | PROT_WRITE, ANON = MAP_PRIVATE | MAP_ANONYMOUS
String KH = 'kernel/mm/transparent_hugepage/khugepaged/'

process('p') {
    assert sysfs(KH + 'scan_sleep_millisecs') == 10000 && sysfs(KH + 'pages_to_scan') == 4096
    assert sysfs(KH + 'max_ptes_none') == 511 && sysfs(KH + 'max_ptes_swap') == 64 && sysfs(KH + 'max_ptes_shared') == 256
    assert sysfs(KH + 'scan_sleep_millisecs', '100') == 0
    long a = mmap(0, 64.MB, RW, ANON)
    assert madvise(a, 64.MB, MADV_HUGEPAGE) == 0
    touch a, 64.MB
    assert vmstat('thp_fault_alloc') == 32
    assert madvise(a, 64.MB, MADV_PAGEOUT) == 0
    sleep 1.s                                               // the writes complete
    assert vmstat('thp_swpout') == 32 && meminfo('AnonHugePages') == 0
    assert vmstat('thp_collapse_alloc') == 0                // nothing to collapse while the ranges are swapped out
    read a, 64.MB                                           // swap-in: 4 KiB pages
    assert vmstat('pswpin') == 32 * 512
    double back = now
    while (meminfo('AnonHugePages') < 64.MB / 1.KB && now - back < 5) sleep 10.ms
    assert meminfo('AnonHugePages') == 64.MB / 1.KB         // all 32 THPs back
    assert now - back <= 1                                  // within a second, as on the kernel
    assert vmstat('thp_collapse_alloc') == 32 && vmstat('thp_collapse_alloc_failed') == 0
    assert sysfs(KH + 'pages_collapsed') == 32
    assert smaps(a).AnonHugePages == 65536 && smaps(a).Rss == 65536 && smaps(a).Swap == 0
}

run until: 4.s, sample: 100.ms
