// Rule 45 (docs/model.md 1.8): "No huge zero page: read faults allocate a real reserved THP (consumes a
// reserved block)."
// Rule 46: "success is a normal anonymous THP: thp_fault_alloc +1, anon_fault_alloc (2048kB) +1,
// AnonHugePages +2048 kB, RSS +512 pages, memcg charged as usual, placed on LRU ..."
// Scenario S7: T=4, one reserved 2 MiB VMA, one read of one byte: thp_fault_alloc +1, thp_zero_page_alloc
// unchanged, AnonHugePages +2048 kB, free reserved pages −512, U unchanged. A MADV_HUGEPAGE VMA read the
// same way maps the huge zero page instead. (The per-size anon_fault_alloc counter and memcg have no view.)
// RFC patch 7/8, mm/huge_memory.c, do_huge_pmd_anonymous_page():
//     if (!(vma->vm_flags & VM_RESERVED_THP) &&
//         !(vmf->flags & FAULT_FLAG_WRITE) && !mm_forbids_zeropage(vma->vm_mm) &&
//         transparent_hugepage_use_zero_page()) {      /* the huge zero page */
// vma_alloc_anon_folio_pmd(): if (vma->vm_flags & VM_RESERVED_THP) gfp |= __GFP_RESERVED_THP;
name 'rules-45-46-reserved-fault'
description 'A read fault in a reserved VMA allocates a real THP from a reserved block, counted as any THP.'

machine {
    memory 1.GB
    cmdline 'thp_reserved_nr=4'
}

policy thp()

process('p') {
    long h = mmap(0, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(h, 2.MB, MADV_HUGEPAGE) == 0
    long alloc = vmstat('thp_fault_alloc')
    read h, 4.KB                                            // the huge zero page, allocated if need be
    assert vmstat('thp_fault_alloc') == alloc
    assert smaps(h).AnonHugePages == 0 && smaps(h).Rss == 0

    long r = mmap(0, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(r, 2.MB, MADV_RESERVED_THP) == 0
    long anon = meminfo('AnonPages'), huge = meminfo('AnonHugePages'), free = meminfo('MemFree')
    long zero = vmstat('thp_zero_page_alloc')
    read r, 4.KB
    assert vmstat('thp_zero_page_alloc') == zero
    assert vmstat('thp_fault_alloc') == alloc + 1
    assert vmstat('thp_fault_fallback') == 0
    assert meminfo('AnonHugePages') == huge + 2048
    assert meminfo('AnonPages') == anon + 2048
    assert meminfo('MemFree') == free - 2048                // one reserved block taken
    assert smaps(r).Rss == 2048                             // 512 pages
    assert smaps(r).AnonHugePages == 2048
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 1
}

run until: 1.s, sample: 1.s
