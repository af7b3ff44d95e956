// Rule 31 (docs/model.md 1.6): "Switching a reserved range to MADV_HUGEPAGE or MADV_NOHUGEPAGE: after a
// successful VMA update the range's hpages are uncharged. The policy code does no alignment check here, but
// splitting a reserved VMA at a non-PMD address fails (rule 36), so in practice only PMD-aligned switches
// succeed (else EINVAL)." Scenario S6: madvise(A, 3M, MADV_NOHUGEPAGE) on a reserved VMA -> EINVAL.
// RFC patch 8/8, madvise_hugepage_policy():
//     *uncharge_reserved_thp = (vma->vm_flags & VM_RESERVED_THP) && !(*new_flags & VM_RESERVED_THP);
// madvise_vma_behavior():
//     error = madvise_update_vma(new_flags, madv_behavior);
//     ... else if (!error && uncharge_reserved_thp)
//             reserved_thp_uncharge(reserved_thp_hpage_nr(range->start, range->end));
// RFC patch 6/8, mm/vma.c, __split_vma(): if ((vma->vm_flags & VM_RESERVED_THP) &&
//                                            !IS_ALIGNED(addr, HPAGE_PMD_SIZE)) return -EINVAL;
name 'rule-31-switch-uncharges'
description 'MADV_HUGEPAGE/NOHUGEPAGE on a reserved range uncharge it; a split at a non-PMD address is EINVAL.'

machine {
    memory 1.GB
    cmdline 'thp_reserved_nr=4'
}

policy thp()

process('p') {
    long a = mmap(0, 8.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(a, 8.MB, MADV_RESERVED_THP) == 0
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 4
    assert madvise(a, 3.MB, MADV_NOHUGEPAGE) == -EINVAL      // split at a + 3M refused
    assert madvise(a + 4.KB, 2.MB, MADV_HUGEPAGE) == -EINVAL
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 4
    assert smaps(a).VmFlags.split(' ').contains('rt')
    assert madvise(a, 2.MB, MADV_HUGEPAGE) == 0
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 3
    assert sysfs('kernel/mm/reserved_thp/free_hpages') == 1
    assert smaps(a).VmFlags.split(' ').contains('hg')
    assert smaps(a + 2.MB).VmFlags.split(' ').contains('rt')
    assert madvise(a + 2.MB, 4.MB, MADV_NOHUGEPAGE) == 0
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 1
    assert smaps(a + 2.MB).VmFlags.split(' ').contains('nh')
    assert madvise(a + 2.MB, 4.MB, MADV_NOHUGEPAGE) == 0      // no longer reserved: nothing more
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 1
}

run until: 1.s, sample: 1.s
