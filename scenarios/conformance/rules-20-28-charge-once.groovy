// Rule 20 (docs/model.md 1.4): "hpages of a range = (end − start) >> PMD shift (floor)."
// Rule 28 (1.6): "Charging: only if the VMA was not already reserved, charge (end − start) / 2 MiB.
// Re-advising an already reserved range charges nothing and returns 0." Scenario S4: repeat -> 0, U=2.
// A range over a reserved VMA and a plain one charges only the plain one. (The floor of rule 20 cannot
// show: madvise only charges PMD-aligned ranges, rule 26.)
// RFC patch 4/8, reserved_thp_hpage_nr(): return (end - start) >> HPAGE_PMD_SHIFT;
// RFC patch 8/8, mm/madvise.c, madvise_hugepage_policy():
//     if (!(vma->vm_flags & VM_RESERVED_THP)) {
//             hpages = reserved_thp_hpage_nr(range->start, range->end);
//             error = reserved_thp_charge(hpages);
name 'rules-20-28-charge-once'
description 'madvise charges (end - start) / 2 MiB per VMA, and only VMAs not reserved yet.'

machine {
    memory 1.GB
    cmdline 'thp_reserved_nr=8'
}

policy thp()

process('p') {
    long a = mmap(0, 8.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(a, 4.MB, MADV_RESERVED_THP) == 0
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 2    // 4 MiB >> 21
    assert madvise(a, 4.MB, MADV_RESERVED_THP) == 0            // already reserved: no charge
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 2
    assert madvise(a + 4.KB, 2.MB, MADV_RESERVED_THP) == -EINVAL   // the alignment check comes first
    assert madvise(a, 8.MB, MADV_RESERVED_THP) == 0            // only [a + 4M, a + 8M) is charged
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 4
    assert madvise(a, 8.MB, MADV_RESERVED_THP) == 0
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 4
    assert munmap(a, 8.MB) == 0
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 0
}

run until: 1.s, sample: 1.s
