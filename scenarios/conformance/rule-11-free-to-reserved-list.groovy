// Rule 11 (docs/model.md 1.3): "Freeing into a reserved pageblock always bypasses the per-CPU page lists
// and goes straight to the buddy free list of type RESERVED_THP (same treatment as ISOLATE)."
// Observable: a reserved THP freed by MADV_DONTNEED is at once free memory again, and at once available to
// the next reserved fault (which takes only from the RESERVED_THP list, rule 12).
// RFC patch 1/8, mm/page_alloc.c, __free_frozen_pages():
//     if (unlikely(is_migrate_reserved_thp(migratetype) ||
//                  is_migrate_isolate(migratetype))) {
//             free_one_page(zone, page, pfn, order, fpi_flags);
//             return;
//     }
// and free_unref_folios(): if (is_migrate_reserved_thp(migratetype)) { free_one_page(...); continue; }
name 'rule-11-free-to-reserved-list'
description 'A freed reserved THP goes straight back to the ReserveTHP free list: the next reserved fault gets it.'

machine {
    memory 1.GB
    cmdline 'thp_reserved_nr=2'
}

policy thp()

process('p') {
    long a = mmap(0, 4.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(a, 4.MB, MADV_RESERVED_THP) == 0
    touch a, 4.MB                                           // both reserved blocks hold a THP
    assert vmstat('thp_fault_alloc') == 2
    long free = meminfo('MemFree')
    assert madvise(a, 2.MB, MADV_DONTNEED) == 0
    assert meminfo('MemFree') == free + 2048                // freed at once, no per-CPU list holds it
    assert smaps(a).AnonHugePages == 2048
    assert madvise(a, 2.MB, MADV_POPULATE_WRITE) == 0       // the freed block is on the RESERVED_THP list
    assert vmstat('thp_fault_alloc') == 3
    assert vmstat('thp_fault_fallback') == 0
    assert smaps(a).AnonHugePages == 4096
    assert meminfo('MemFree') == free
}

run until: 1.s, sample: 1.s
