// Rule 47 (docs/model.md 1.8): "Allocation failure or memcg charge failure -> VM_FAULT_OOM instead of
// VM_FAULT_FALLBACK. Note that the shared allocation helper still counts thp_fault_fallback
// (+thp_fault_fallback_charge on charge failure) before the RFC converts the result."
// Rule 16 (1.3) [inferred]: when the fast path finds no free reserved block the slow path's behaviour is
// undefined by the RFC; "a simulator should treat a fast-path miss as failure."
// No reserved block is free (rule 32 left them in use) while ordinary memory is plentiful: the reserved
// fault takes nothing else, neither a 4 KiB page nor the huge zero page; MADV_POPULATE_* see ENOMEM.
// RFC patch 7/8, mm/huge_memory.c, __do_huge_pmd_anonymous_page():
//     folio = vma_alloc_anon_folio_pmd(vma, vmf->address);
//     if (unlikely(!folio)) {
//             if (vma->vm_flags & VM_RESERVED_THP)
//                     return VM_FAULT_OOM;
//             return VM_FAULT_FALLBACK;
// vma_alloc_anon_folio_pmd(): if (unlikely(!folio)) { count_vm_event(THP_FAULT_FALLBACK); ...
name 'rules-16-47-reserved-miss'
description 'With no free reserved block a reserved fault fails outright: no 4 KiB fallback, ENOMEM to populate.'

machine {
    memory 1.GB
    cmdline 'thp_reserved_nr=2'
}

policy thp()

process('p') {
    long a = mmap(0, 4.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(a, 4.MB, MADV_RESERVED_THP) == 0
    touch a, 4.MB                                           // both reserved blocks in use
    assert madvise(a, 4.MB, MADV_HUGEPAGE) == 0             // quota back, blocks still in use (rule 32)
    long b = mmap(0, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(b, 2.MB, MADV_RESERVED_THP) == 0
    long free = meminfo('MemFree'), anon = meminfo('AnonPages')
    assert madvise(b, 2.MB, MADV_POPULATE_WRITE) == -ENOMEM
    assert vmstat('thp_fault_fallback') == 1                // counted before VM_FAULT_OOM
    assert madvise(b, 2.MB, MADV_POPULATE_READ) == -ENOMEM  // no huge zero page either (rule 45)
    assert vmstat('thp_fault_fallback') == 2
    assert vmstat('thp_fault_alloc') == 2
    assert vmstat('thp_zero_page_alloc') == 0
    assert smaps(b).Rss == 0
    assert meminfo('MemFree') == free                       // nothing taken from ordinary memory
    assert meminfo('AnonPages') == anon
}

run until: 1.s, sample: 1.s
