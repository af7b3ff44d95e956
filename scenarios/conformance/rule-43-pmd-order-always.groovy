// Rule 43 (docs/model.md 1.8): "a reserved VMA always gets the PMD order, regardless of the global or
// per-size THP enabled settings (even never) and regardless of prctl 'disable except advised' mode."
// With /sys/kernel/mm/transparent_hugepage/enabled = never, a MADV_HUGEPAGE VMA gets 4 KiB pages and a
// reserved VMA still gets a PMD THP. (prctl(PR_SET_THP_DISABLE) is not in the scenario DSL.)
// RFC patch 7/8, include/linux/huge_mm.h, thp_vma_allowable_orders():
//     if (vm_flags & VM_RESERVED_THP)
//             mask |= BIT(PMD_ORDER);
// vma_thp_disabled(): if (vm_flags & (VM_HUGEPAGE | VM_RESERVED_THP)) return false;
name 'rule-43-pmd-order-always'
description 'With THP enabled=never a reserved VMA still faults PMD THPs; a MADV_HUGEPAGE VMA does not.'

machine {
    memory 1.GB
    cmdline 'thp_reserved_nr=2'
}

policy thp()

process('p') {
    assert sysfs('kernel/mm/transparent_hugepage/enabled', 'never') == 0
    assert sysfs('kernel/mm/transparent_hugepage/enabled') == 'always madvise [never]'
    long h = mmap(0, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(h, 2.MB, MADV_HUGEPAGE) == 0
    touch h, 2.MB
    assert smaps(h).AnonHugePages == 0
    assert vmstat('thp_fault_alloc') == 0
    long r = mmap(0, 4.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(r, 4.MB, MADV_RESERVED_THP) == 0
    touch r, 4.MB
    assert smaps(r).AnonHugePages == 4096
    assert vmstat('thp_fault_alloc') == 2
}

run until: 1.s, sample: 1.s
