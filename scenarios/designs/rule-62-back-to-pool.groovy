// Rule 62 (docs/model.md 7.2), the sharedPool design: a reserved THP's page goes back to the pool when it is
// freed (free_huge_folio(): HugePages_Free + 1), never to the buddy allocator: by munmap or exit, by
// MADV_DONTNEED, and when reclaim swaps it out whole (thp_swpout; never split: a pool page is a HugeTLB page).
// The charge stays (rule 21), so the freed page is counted in HugePages_Rsvd again until the range is
// unmapped. Swap-in follows the swapIn: option (default 'fallback': 4 KiB ordinary pages, as mainline).
name 'rule-62-back-to-pool'
description 'A freed or swapped-out reserved THP returns its page to the pool, not to the buddy allocator.'

machine {
    memory 1.GB
    swap 64.MB, write: 1.GBps, read: 1.GBps
}

policy sharedPool(pool: 16.MB)     // 8 pages

process('p') {
    long r = mmap(0, 8.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(r, 8.MB, MADV_RESERVED_THP) == 0
    touch r, 8.MB
    assert meminfo('HugePages_Free') == 4 && meminfo('HugePages_Rsvd') == 0
    long memFree = meminfo('MemFree')

    assert madvise(r, 2.MB, MADV_DONTNEED) == 0
    assert meminfo('HugePages_Free') == 5 && meminfo('HugePages_Rsvd') == 1   // the charge holds the page again

    assert madvise(r + 2.MB, 2.MB, MADV_PAGEOUT) == 0
    sleep 100.ms                                              // the 2 MiB write completes
    assert vmstat('thp_swpout') == 1 && vmstat('thp_swpout_fallback') == 0
    assert meminfo('HugePages_Free') == 6 && meminfo('HugePages_Rsvd') == 2
    assert meminfo('MemFree') == memFree                       // not one page went to the buddy allocator
    assert meminfo('AnonHugePages') == 4096

    read r + 2.MB, 2.MB                                       // swapIn: 'fallback': 4 KiB ordinary pages
    assert vmstat('pswpin') == 512 && meminfo('HugePages_Free') == 6
    assert meminfo('MemFree') == memFree - 2048

    assert munmap(r, 8.MB) == 0
    assert meminfo('HugePages_Free') == 8 && meminfo('HugePages_Rsvd') == 0
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 0
}

run until: 1.s, sample: 1.s
