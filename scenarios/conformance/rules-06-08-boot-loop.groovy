// Rule 6 (docs/model.md 1.2): "block order = max(PMD order, pageblock order); hpages per block =
// 2^(block order − PMD order) (1 on x86_64) ... Stop at the first failure."
// Rule 7: "The result can fall short of the request (log: 'reserved X/Y PMD THP pageblocks (Z bytes
// each)') ... total_hpages = X."
// Rule 8 [inferred]: the loop stops where ordinary free memory meets the watermark, since every reserved
// block at once counts as unusable free memory (rule 14). The code's consequence is the MIN watermark:
// the fast path fails at low, __alloc_pages_slowpath() retries with ALLOC_WMARK_MIN, and __GFP_NORETRY
// ends the attempt after one reclaim/compaction pass. So in the one zone of this machine the ordinary
// free memory left is at least min and less than min plus one 2 MiB block.
// Scenario S3: 2 GiB machine, thp_reserved_nr=100000 -> T < 100000, log "reserved T/100000".
// RFC patch 2/8, mm/page_alloc.c, reserved_thp_pageblocks():
//     gfp_t gfp = (GFP_HIGHUSER | __GFP_COMP | __GFP_NOMEMALLOC | __GFP_NOWARN | __GFP_NORETRY);
//     while (reserved < nr_hpages) {
//             page = alloc_pages(gfp, order);
//             if (!page)
//                     break;
//             change_pageblock_range(page, order, MIGRATE_RESERVED_THP);
//             ...
//             reserved += hpages_per_block;
// RFC patch 1/8, __zone_watermark_unusable_free(): unusable_free += READ_ONCE(z->nr_free_reserved_thp);
name 'rules-06-08-boot-loop'
description 'thp_reserved_nr=100000 on 2 GiB: the boot loop reserves until ordinary free memory meets min.'

machine {
    memory 2.GB
    cmdline 'thp_reserved_nr=100000'
}

policy thp()

process('check') {
    long total = sysfs('kernel/mm/reserved_thp/total_hpages')
    assert total > 0 && total < 100000                      // rule 7: a shortfall
    assert pagetypeinfo()['ReserveTHP'] == total            // rule 6: one pageblock per hpage on x86_64
    assert sysfs('kernel/mm/reserved_thp/free_hpages') == total
    // rule 8: MemFree still counts the free reserved pages (rule 14); what ordinary allocations can use is
    // MemFree minus them, and the loop stopped when that could no longer give a block above min
    long ordinary = meminfo('MemFree') - total * 2048
    long min = sysctl('vm.min_free_kbytes')
    assert ordinary >= min && ordinary < min + 2048
}

run until: 1.s, sample: 1.s
