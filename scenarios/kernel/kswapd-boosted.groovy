// Boosted kswapd reclaims clean page cache and nothing else (mm/vmscan.c balance_pgdat(): while
// nr_boost_reclaim is set, sc.may_writepage = 0 and sc.may_swap = 0). A fragmenting fallback, an unmovable
// allocation that claims part of a movable pageblock, raises the zone's watermarks (boost_watermark()); the
// next allocation that may wake kswapd does (rmqueue(): ZONE_BOOSTED_WATERMARK). With free memory above even
// the boosted high watermark, kswapd reclaims the boost's worth: clean page cache of a finished read goes,
// but no anonymous page is swapped and no dirty page is written back; then it takes the boost off and wakes
// kcompactd (kswapd_try_to_sleep()). `hugesim kernel-check` cannot replay it (kernelAlloc is the model's).
name 'kswapd-boosted'
description 'After a fragmenting fallback boosts the watermarks, kswapd reclaims clean page cache only: no swap, no writeback.'

machine {
    memory 1.GB
    swap 256.MB
}

policy thp()

int RW = PROT_READ | PROT_WRITE

process('p') {
    assert sysctl('vm.compaction_proactiveness', 0) == 0
    readFile 'data', 128.MB                                  // clean page cache
    writeFile 'log', 16.MB                                   // dirty for 30 s (dirty_expire_centisecs)
    long fill = meminfo('MemFree') * 1.KB - 96.MB
    fill -= fill % 2.MB
    long a = mmap(0, fill, RW, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(a, fill, MADV_NOHUGEPAGE) == 0
    touch a, fill
    for (long p = a; p < a + fill; p += 8.KB) madvise(p, 4.KB, MADV_DONTNEED)   // every block half free
    long cached = meminfo('Cached')
    kernelAlloc 128.MB                                       // more than the free blocks: part of a movable block claimed
    long boost = zoneinfo()[0].boost                        // pages
    assert boost > 0
    long b = mmap(0, 4.KB, RW, MAP_PRIVATE | MAP_ANONYMOUS)
    touch b, 4.KB                                            // an allocation that may wake kswapd
    sleep 1.s
    assert zoneinfo()[0].boost == 0                          // kswapd took it off
    assert vmstat('pgsteal_kswapd') == boost                 // nr_boost_reclaim: the boost's worth
    assert cached - meminfo('Cached') == boost * 4           // all of it clean page cache (kB)
    assert vmstat('pswpout') == 0                            // no anonymous page swapped
    assert meminfo('Dirty') == 16 * 1024                     // no dirty page written back
    assert vmstat('compact_daemon_wake') == 1
}

run until: 2.s, sample: 1.s
