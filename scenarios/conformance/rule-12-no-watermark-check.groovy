// Rule 12 (docs/model.md 1.3): a reserved THP request "skips the per-CPU lists, skips the zone watermark
// check entirely, takes only from the RESERVED_THP free list of each allowed zone (smallest order ≥ 9),
// never from HIGHATOMIC, and never falls back to other types."
// Here the boot loop has left ordinary free memory at the min watermark (rule 8), where no ordinary
// order-9 allocation passes a watermark check; every reserved fault still succeeds, and takes nothing
// but reserved blocks. (The "not exactly PMD order fails" branch has no caller a process can reach. On a
// real machine the THPs' page tables need a little ordinary memory, which the model does not count.)
// RFC patch 3/8, mm/page_alloc.c:
//     get_page_from_freelist():  if (alloc_flags & ALLOC_RESERVED_THP) goto try_this_zone;
//     __rmqueue():               if (alloc_flags & ALLOC_RESERVED_THP)
//                                        return __rmqueue_smallest(zone, order, MIGRATE_RESERVED_THP);
//     rmqueue():                 if (likely(pcp_allowed_order(order)) && !(alloc_flags & ALLOC_RESERVED_THP))
name 'rule-12-no-watermark-check'
description 'Reserved faults succeed with ordinary free memory at the min watermark, and take only reserved blocks.'

machine {
    memory 256.MB
    cmdline 'thp_reserved_nr=100000'
}

policy thp()

process('p') {
    long total = sysfs('kernel/mm/reserved_thp/total_hpages')
    long ordinary = meminfo('MemFree') - total * 2048
    assert ordinary - 2044 <= sysctl('vm.min_free_kbytes')     // an ordinary order-9 request fails min
    long a = mmap(0, total * 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(a, total * 2.MB, MADV_RESERVED_THP) == 0
    touch a, total * 2.MB
    assert vmstat('thp_fault_alloc') == total
    assert vmstat('thp_fault_fallback') == 0
    assert smaps(a).AnonHugePages == total * 2048
    // ordinary free memory gave only the page tables: each THP's deposited table and the PMD table, taken from
    // the per-CPU list, which holds the rest of the batches it took (MemFree leaves those out)
    long perCpu = zoneinfo().sum { it.pcp_count } * 4
    assert meminfo('PageTables') == (total + 1) * 4
    assert meminfo('MemFree') + perCpu == ordinary - meminfo('PageTables')
}

run until: 1.s, sample: 1.s
