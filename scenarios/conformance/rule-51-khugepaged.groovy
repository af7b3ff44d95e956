// Rule 51 (docs/model.md 1.8) [inferred]: "Faults other than missing-page faults know nothing of the reserve:
// swap-in (do_swap_page()), ..., khugepaged's collapse." Rule 33: MADV_COLLAPSE on a reserved VMA is EINVAL.
// What khugepaged does with a reserved VMA follows from the patches' code, not their text:
//   patch 7/8, include/linux/huge_mm.h thp_vma_allowable_orders():
//         if (vm_flags & VM_RESERVED_THP)
//                 mask |= BIT(PMD_ORDER);
//     (for every caller but a forced collapse, khugepaged's TVA_ENFORCE_SYSFS included, whatever `enabled` says)
//   patch 7/8, mm/huge_memory.c do_huge_pmd_anonymous_page() keeps khugepaged_enter_vma(vma, vma->vm_flags)
//     before the reserved fault's allocation: the mm is registered.
//   patch 8/8 blocks only MADV_COLLAPSE (madvise_vma_behavior(), "case MADV_COLLAPSE: if (vma->vm_flags &
//     VM_RESERVED_THP) return -EINVAL;"); khugepaged_scan_mm_slot() and collapse_huge_page() are untouched,
//     and alloc_charge_folio() asks with alloc_hugepage_khugepaged_gfpmask(), without __GFP_RESERVED_THP.
// So khugepaged scans a reserved VMA and collapses the 4 KiB ordinary pages of a swapped-in reserved THP into
// an ordinary THP, outside the reserve (rule 13): the reserved block stays free, the quota charged (rule 21).
name 'rule-51-khugepaged'
description 'khugepaged collapses a swapped-in reserved THP into an ordinary THP; MADV_COLLAPSE is still EINVAL.'

machine {
    memory 1.GB
    swap 64.MB, device: 'zram'                              // freed once written, read back from the device
    cmdline 'thp_reserved_nr=2'
}

policy thp()

String KH = 'kernel/mm/transparent_hugepage/khugepaged/'

process('p') {
    assert sysfs(KH + 'scan_sleep_millisecs', '100') == 0
    long a = mmap(0, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(a, 2.MB, MADV_RESERVED_THP) == 0
    touch a, 2.MB                                           // a reserved THP; the fault registers the mm
    assert zoneinfo()[0].nr_free_reserved_thp == 512
    assert madvise(a, 2.MB, MADV_PAGEOUT) == 0
    sleep 1.s                                               // written out whole; its reserved block is free
    assert vmstat('thp_swpout') == 1 && zoneinfo()[0].nr_free_reserved_thp == 1024
    read a, 2.MB                                            // swap-in: 512 ordinary 4 KiB pages (rule 51)
    assert smaps(a).AnonHugePages == 0 && smaps(a).Rss == 2048
    assert madvise(a, 2.MB, MADV_COLLAPSE) == -EINVAL       // rule 33
    sleep 1.s
    assert smaps(a).AnonHugePages == 2048                   // khugepaged collapsed it
    assert vmstat('thp_collapse_alloc') == 1
    assert zoneinfo()[0].nr_free_reserved_thp == 1024       // into an ordinary THP: the reserve stays free
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 1
    assert smaps(a).VmFlags.contains('rt')
}

run until: 3.s, sample: 1.s
