// Scenario S20 (docs/model.md section 6): "With RTHP, a normal order-0 allocation must fail the
// fast-path (low) check when free - free_reserved <= low + lowmem_reserve, even if free alone is above
// low; the slow path then wakes kswapd and retries against min." Section 4.3: "Unusable free memory
// (... and in the RFC free RESERVED_THP) is subtracted first"; watermark_scale_factor "default 10 (0.1%),
// max 3000 (30%)". Rule 14: "MemFree and zone nr_free_pages still include free reserved pages, so they
// overstate what ordinary allocations can use".
// Here: 128 MiB of free reserved pageblocks on a 256 MiB machine, no swap. A process faulting 4 KiB pages
// runs out when ordinary free memory meets min (nothing is reclaimable, so the OOM killer picks it),
// while MemFree still shows the 128 MiB of reserved pages free.
// Sources: mm/page_alloc.c __zone_watermark_unusable_free() (RFC patch 1/8: unusable_free +=
// z->nr_free_reserved_thp), __zone_watermark_ok(), __alloc_pages_slowpath() (ALLOC_WMARK_MIN),
// __setup_per_zone_wmarks(); kernel/sysctl.c watermark_scale_factor (extra1 = SYSCTL_ONE,
// extra2 = 3000); mm/oom_kill.c.
name 's20-watermarks'
description 'Order-0 allocations stop at the min watermark counting only ordinary free pages, not free reserved ones.'

machine {
    memory 256.MB
    cmdline 'thp_reserved_nr=64'
}

policy thp()

long lastMemFree = 0

process('filler') {
    assert sysctl('vm.watermark_scale_factor') == 10
    assert sysctl('vm.watermark_scale_factor', 0) == -EINVAL
    assert sysctl('vm.watermark_scale_factor', 3001) == -EINVAL
    assert sysfs('kernel/mm/reserved_thp/total_hpages') == 64
    long a = mmap(0, 256.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    for (long off = 0; off < 256.MB; off += 2.MB) {
        lastMemFree = meminfo('MemFree')
        touch a + off, 2.MB                                 // 4 KiB faults: enabled=madvise, no advice
    }
    assert false : 'ordinary memory is 128 MiB: the filler must be OOM-killed'
}

process('check', start: 1.s) {
    long min = sysctl('vm.min_free_kbytes')
    long reservedFree = 64 * 2048                           // no reserved fault ran: all 64 blocks free
    assert vmstat('oom_kill') == 1
    assert sysfs('kernel/mm/reserved_thp/free_hpages') == 64
    // the last 2 MiB step that could not be completed started with MemFree far above min ...
    assert lastMemFree > reservedFree + min
    // ... but with ordinary free memory (MemFree less free reserved pages) within 2 MiB of min
    assert lastMemFree - reservedFree - min <= 2048
}

run until: 2.s, sample: 100.ms
