// Rule 26 (docs/model.md 1.6): "The per-VMA range (the user range clipped to each VMA it touches) must
// start and end on a PMD boundary -> otherwise EINVAL. Usual madvise rules still apply: start must be
// page-aligned, length rounded up to pages, holes in the range give ENOMEM after the mapped parts are
// processed, multi-VMA ranges are handled VMA by VMA and are not atomic (earlier VMAs stay charged if a
// later one fails)." Scenario S4: madvise(A+4K, 2M) -> EINVAL.
// RFC patch 8/8, mm/madvise.c, madvise_hugepage_policy():
//     if (!IS_ALIGNED(range->start, HPAGE_PMD_SIZE) ||
//         !IS_ALIGNED(range->end, HPAGE_PMD_SIZE))
//             return -EINVAL;
// with range = the user range clipped to the VMA by madvise_walk_vmas() (mm/madvise.c, mainline).
name 'rule-26-per-vma-range'
description 'The range clipped to each VMA must be PMD-aligned; holes give ENOMEM; VMAs are done one by one.'

machine {
    memory 1.GB
    cmdline 'thp_reserved_nr=16'
}

policy thp()

process('p') {
    // an 8 MiB PMD-aligned hole to place mappings in with MAP_FIXED
    long A = mmap(0, 8.MB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert A % 2.MB == 0 && munmap(A, 8.MB) == 0

    // alignment of the per-VMA range
    assert mmap(A, 4.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED) == A
    assert madvise(A + 4.KB, 2.MB, MADV_RESERVED_THP) == -EINVAL     // start not on a PMD boundary
    assert madvise(A, 2.MB + 4.KB, MADV_RESERVED_THP) == -EINVAL     // end not on a PMD boundary
    assert madvise(A + 1, 2.MB, MADV_RESERVED_THP) == -EINVAL        // start not page-aligned
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 0
    assert madvise(A, 2.MB - 4095, MADV_RESERVED_THP) == 0           // length rounded up to 2 MiB
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 1
    assert munmap(A, 4.MB) == 0

    // a 3 MiB VMA: the user range [A, A+4M) is clipped to [A, A+3M), whose end is not on a PMD boundary
    assert mmap(A, 3.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED) == A
    assert madvise(A, 4.MB, MADV_RESERVED_THP) == -EINVAL
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 0
    assert munmap(A, 3.MB) == 0

    // a hole: both VMAs are charged, then ENOMEM for the hole
    assert mmap(A, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED) == A
    assert mmap(A + 4.MB, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED) == A + 4.MB
    assert madvise(A, 6.MB, MADV_RESERVED_THP) == -ENOMEM
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 2
    assert smaps(A).VmFlags.split(' ').contains('rt')
    assert smaps(A + 4.MB).VmFlags.split(' ').contains('rt')
    assert munmap(A, 6.MB) == 0
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 0

    // not atomic: [A, A+2M) is charged, then [A+2M, A+5M) (another VMA: other protection) fails
    assert mmap(A, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED) == A
    assert mmap(A + 2.MB, 3.MB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED) == A + 2.MB
    assert madvise(A, 5.MB, MADV_RESERVED_THP) == -EINVAL
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 1
    assert smaps(A).VmFlags.split(' ').contains('rt')
    assert !smaps(A + 2.MB).VmFlags.split(' ').contains('rt')
}

run until: 1.s, sample: 1.s
