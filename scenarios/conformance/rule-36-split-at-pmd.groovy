// Rule 36 (docs/model.md 1.7): "Split: splitting a reserved VMA at an address that is not PMD-aligned
// fails with EINVAL. This affects munmap, mprotect, mlock, madvise flag changes and mremap on partial
// ranges." Splits at PMD boundaries succeed and keep the charge: the pieces stay reserved.
// (mremap has its own alignment checks: rules 40-42.)
// RFC patch 6/8, mm/vma.c, __split_vma():
//     if ((vma->vm_flags & VM_RESERVED_THP) &&
//         !IS_ALIGNED(addr, HPAGE_PMD_SIZE))
//             return -EINVAL;
name 'rule-36-split-at-pmd'
description 'munmap, mprotect, mlock and madvise split a reserved VMA only at PMD boundaries; the pieces keep rt and the charge.'

machine {
    memory 1.GB
    cmdline 'thp_reserved_nr=4'
}

policy thp()

process('p') {
    long a = mmap(0, 6.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(a, 6.MB, MADV_RESERVED_THP) == 0
    touch a, 6.MB
    // non-PMD split points: munmap, mprotect, mlock and madvise flag changes alike (each refused at its
    // first split, so nothing is split; mainline keeps a first split that succeeded when a later one fails)
    assert munmap(a + 2.MB + 4.KB, 4.KB) == -EINVAL
    assert mprotect(a + 4.KB, 4.KB, PROT_READ) == -EINVAL
    assert mprotect(a, 3.MB, PROT_READ) == -EINVAL
    assert mlock(a + 1.MB, 2.MB) == -EINVAL
    assert madvise(a + 1.MB, 2.MB, MADV_DONTFORK) == -EINVAL
    assert madvise(a, 3.MB, MADV_HUGEPAGE) == -EINVAL
    assert smaps(a).Size == 6144
    assert !smaps(a).VmFlags.split(' ').contains('lo')
    assert smaps(a).AnonHugePages == 6144
    assert vmstat('thp_split_pmd') == 0
    // PMD split points
    assert madvise(a + 2.MB, 2.MB, MADV_DONTFORK) == 0
    assert mprotect(a, 2.MB, PROT_READ) == 0
    assert mlock(a + 4.MB, 2.MB) == 0
    assert smaps(a).Size == 2048
    assert smaps(a + 2.MB).Size == 2048
    assert smaps(a + 4.MB).Size == 2048
    for (long at in [a, a + 2.MB, a + 4.MB]) assert smaps(at).VmFlags.split(' ').contains('rt')
    assert !smaps(a).VmFlags.split(' ').contains('wr')
    assert smaps(a + 2.MB).VmFlags.split(' ').contains('dc')
    assert smaps(a + 4.MB).VmFlags.split(' ').contains('lo')
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 3
    assert vmstat('thp_split_pmd') == 0                     // no THP was cut
}

run until: 1.s, sample: 1.s
