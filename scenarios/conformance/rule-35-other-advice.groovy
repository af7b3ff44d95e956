// Rule 35 (docs/model.md 1.6): "Other advice (WILLNEED, POPULATE_READ/WRITE, DONTFORK, WIPEONFORK,
// DONTDUMP, …) is not restricted by the RFC; those that split the VMA are subject to rule 36."
// WILLNEED and POPULATE_* change no flags and split nothing: any page-aligned range works. RANDOM,
// SEQUENTIAL, DONTFORK and DOFORK change vm_flags: a range that starts or ends inside the reserved VMA at a
// non-PMD address makes madvise_update_vma() split it there, which __split_vma() refuses (EINVAL).
// (DONTDUMP, DODUMP and WIPEONFORK are not in the model.)
// RFC patch 8/8 adds checks only for COLD, PAGEOUT, FREE, DONTNEED(_LOCKED), COLLAPSE and the hugepage
// advice; RFC patch 6/8, mm/vma.c, __split_vma():
//     if ((vma->vm_flags & VM_RESERVED_THP) && !IS_ALIGNED(addr, HPAGE_PMD_SIZE))
//             return -EINVAL;
name 'rule-35-other-advice'
description 'Other advice is unrestricted on reserved VMAs unless it must split them at a non-PMD address.'

machine {
    memory 1.GB
    cmdline 'thp_reserved_nr=4'
}

policy thp()

process('p') {
    long a = mmap(0, 4.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(a, 4.MB, MADV_RESERVED_THP) == 0
    assert madvise(a + 4.KB, 4.KB, MADV_WILLNEED) == 0
    assert madvise(a + 4.KB, 4.KB, MADV_POPULATE_WRITE) == 0   // one PMD fault maps the whole window
    assert smaps(a).AnonHugePages == 2048
    assert madvise(a + 2.MB + 4.KB, 4.KB, MADV_POPULATE_READ) == 0
    assert smaps(a).AnonHugePages == 4096                      // no huge zero page (rule 45)
    for (int advice in [MADV_RANDOM, MADV_SEQUENTIAL, MADV_DONTFORK]) {
        assert madvise(a + 4.KB, 4.KB, advice) == -EINVAL     // would split at a + 4K
    }
    assert smaps(a).Size == 4096
    assert madvise(a, 2.MB, MADV_DONTFORK) == 0               // split at a + 2M: allowed
    assert smaps(a).VmFlags.split(' ').contains('dc')
    assert madvise(a, 4.KB, MADV_DOFORK) == -EINVAL
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 2
}

run until: 1.s, sample: 1.s
