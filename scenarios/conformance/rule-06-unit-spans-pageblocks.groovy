// Rule 6 (docs/model.md 1.2): "block order = max(PMD order, pageblock order); hpages per block =
// 2^(block order − PMD order) ... on success mark every pageblock of it MIGRATE_RESERVED_THP, add the
// block's pages to the zone's nr_reserved_thp, free it back into the buddy allocator ... and add
// hpages-per-block to the count."
// Section 4.1: "pageblock_order = min(PMD order, PAGE_BLOCK_MAX_ORDER) ... arm64 with 64 KiB pages: PMD =
// 512 MiB (order 13) ... a smaller PAGE_BLOCK_MAX_ORDER (e.g. 5 → 2 MiB) can be configured. In the RFC this
// is the case where a reserved unit spans several pageblocks."
// Here CONFIG_PAGE_BLOCK_MAX_ORDER=5: 2 MiB pageblocks under a 512 MiB PMD, so each reserved unit is order
// 13, one hpage, and 256 ReserveTHP pageblocks. khugepaged's set_recommended_min_free_kbytes() counts
// pageblock_nr_pages (32 pages of 64 KiB), so min_free_kbytes = 32 × 1 zone × (2 + 3 × 3) pages = 22528 kB.
// RFC patch 2/8, mm/page_alloc.c, reserved_thp_pageblocks():
//     unsigned int order = max_t(unsigned int, HPAGE_PMD_ORDER, pageblock_order);
//     unsigned long hpages_per_block = 1UL << (order - HPAGE_PMD_ORDER);
//             page = alloc_pages(gfp, order);
//             change_pageblock_range(page, order, MIGRATE_RESERVED_THP);
//             zone->nr_reserved_thp += 1UL << order;
//             __free_pages(page, order);
//             reserved += hpages_per_block;
// RFC patch 3/8: a reserved fault takes __rmqueue_smallest(zone, order, MIGRATE_RESERVED_THP).
name 'rule-06-unit-spans-pageblocks'
description 'arm64-64k with 2 MiB pageblocks: each reserved 512 MiB unit marks 256 pageblocks ReserveTHP and is one hpage.'

machine {
    kernelReserved 0        // the model types whole 512 MiB blocks: the kernel's 47 MiB would turn two of them Unmovable
    arch 'arm64-64k'
    pageblockOrder 5
    memory 4.GB
    cmdline 'thp_reserved_nr=2'
}

policy thp()

process('check') {
    long unitPages = 512.MB.intdiv(64.KB)                   // 8192 pages of 64 KiB per order-13 unit
    assert sysfs('kernel/mm/transparent_hugepage/hpage_pmd_size') == 536870912
    assert sysfs('kernel/mm/reserved_thp/total_hpages') == 2     // hpages_per_block = 2^(13 - 13) = 1
    assert pagetypeinfo()['ReserveTHP'] == 2 * 256              // every pageblock of both units
    assert pagetypeinfo()['Movable'] == 4.GB.intdiv(2.MB) - 2 * 256
    assert zoneinfo()[0].nr_reserved_thp == 2 * unitPages
    assert zoneinfo()[0].nr_free_reserved_thp == 2 * unitPages
    assert sysctl('vm.min_free_kbytes') == 32 * 1 * (2 + 3 * 3) * 64

    long a = mmap(0, 512.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(a, 512.MB, MADV_RESERVED_THP) == 0
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 1
    touch a, 64.KB
    assert vmstat('thp_fault_alloc') == 1 && vmstat('thp_fault_fallback') == 0
    assert smaps(a).AnonHugePages == 512 * 1024             // one 512 MiB THP
    assert zoneinfo()[0].nr_free_reserved_thp == unitPages  // taken from one reserved unit
    assert pagetypeinfo()['ReserveTHP'] == 2 * 256          // an allocated unit keeps its pageblocks' type
}

run until: 1.s, sample: 1.s
