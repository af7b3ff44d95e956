// Rule 14 (docs/model.md 1.3): "for every allocation without ALLOC_RESERVED_THP, nr_free_reserved_thp is
// added to 'unusable free' and subtracted before comparing against min/low/high ... MemFree and zone
// nr_free_pages still include free reserved pages, so they overstate what ordinary allocations can use."
// Scenario S20: an ordinary allocation fails the watermark check when free − free_reserved is at the mark,
// even if free alone is well above it. Here the HugeTLB pool is grown as far as it goes (order-9 ordinary
// allocations, retried down to the min watermark): it stops with ordinary free memory at min, while
// MemFree, which still counts the 32 MiB of free reserved pages, is far above min and low.
// RFC patch 1/8 and 3/8, mm/page_alloc.c, __zone_watermark_unusable_free():
//     if (!(alloc_flags & ALLOC_RESERVED_THP))
//             unusable_free += READ_ONCE(z->nr_free_reserved_thp);
// __zone_watermark_ok(): free_pages -= __zone_watermark_unusable_free(z, order, alloc_flags);
//                        if (free_pages <= min + z->lowmem_reserve[highest_zoneidx]) return false;
name 'rule-14-unusable-free'
description 'Order-9 ordinary allocations stop at the min watermark net of free reserved pages, though MemFree is high.'

machine {
    memory 64.MB
    kernelReserved 0        // 6.1 would keep 48 MiB of 64 for itself (docs/model.md 4.7), leaving the rule nothing to act on
    cmdline 'thp_reserved_nr=16'
}

policy thp()

process('p') {
    long reservedFree = 16 * 2048                           // kB, all 16 reserved blocks free
    // __setup_per_zone_wmarks() for the one zone, in kB: low = min + max(min / 4, managed × scale / 10000)
    long min = sysctl('vm.min_free_kbytes')
    long managed = meminfo('MemTotal').intdiv(4)
    long low = min + Math.max(min.intdiv(4), (managed * sysctl('vm.watermark_scale_factor')).intdiv(10000) * 4)

    assert sysctl('vm.nr_hugepages', 1000) == 0             // as many as the buddy allocator gives
    long pool = meminfo('HugePages_Total')
    assert pool > 0 && pool < 1000
    long free = meminfo('MemFree')
    // no order-9 ordinary allocation passes min once the free reserved pages are discounted ...
    assert free - reservedFree - 2044 <= min
    assert free - reservedFree >= min
    // ... while MemFree alone would pass even low, many times over
    assert free - 2044 > low
    assert sysfs('kernel/mm/reserved_thp/free_hpages') == 16

    long a = mmap(0, 32.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(a, 32.MB, MADV_RESERVED_THP) == 0
    assert madvise(a, 32.MB, MADV_POPULATE_WRITE) == 0      // the reserved blocks were free all along
}

run until: 1.s, sample: 1.s
