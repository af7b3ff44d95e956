// Rule 33 (docs/model.md 1.6): "MADV_COLLAPSE on a reserved VMA -> EINVAL (khugepaged cannot allocate
// from the reserve)." Scenario S12: MADV_COLLAPSE -> EINVAL.
// The EINVAL must come from the reserved flag: once the same range (already PMD-mapped) is switched to
// MADV_HUGEPAGE, MADV_COLLAPSE succeeds, as madvise_collapse() counts a PMD-mapped range
// (SCAN_PMD_MAPPED) as collapsed and returns 0.
// RFC patch 8/8, mm/madvise.c, madvise_vma_behavior():
//     case MADV_COLLAPSE:
//             if (vma->vm_flags & VM_RESERVED_THP)
//                     return -EINVAL;
//             return madvise_collapse(vma, range->start, range->end, &madv_behavior->lock_dropped);
name 'rule-33-collapse'
description 'MADV_COLLAPSE is EINVAL on a reserved VMA, and only because it is reserved.'

machine {
    memory 1.GB
    cmdline 'thp_reserved_nr=2'
}

policy thp()

process('p') {
    long a = mmap(0, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(a, 2.MB, MADV_RESERVED_THP) == 0
    touch a, 2.MB
    assert smaps(a).AnonHugePages == 2048
    assert madvise(a, 2.MB, MADV_COLLAPSE) == -EINVAL
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 1
    assert madvise(a, 2.MB, MADV_HUGEPAGE) == 0
    assert madvise(a, 2.MB, MADV_COLLAPSE) == 0               // PMD-mapped already: success
}

run until: 1.s, sample: 1.s
