// Rule 25 (docs/model.md 1.6): "Target must be a private anonymous VMA: file-backed VMAs,
// MAP_SHARED|MAP_ANONYMOUS (shmem-backed), and special VMAs (IO, PFN-map, mixed-map, don't-expand) ->
// EINVAL. Sealed VMAs -> EPERM (generic check)." Scenario S4: MAP_SHARED|MAP_ANONYMOUS -> EINVAL.
// A MAP_HUGETLB mapping is not anonymous in vma_is_anonymous()'s sense (it has hugetlb_vm_ops): EINVAL.
// File-backed: a hugetlbfs file (memfd_create(MFD_HUGETLB)) mapped shared or private: EINVAL.
// (Special VMAs and mseal() cannot be made from a scenario.)
// RFC patch 8/8, mm/madvise.c, madvise_hugepage_policy():
//     if (!vma_is_anonymous(vma) || (*new_flags & VM_SHARED) ||
//         (*new_flags & VM_SPECIAL))
//             return -EINVAL;
name 'rule-25-private-anon-only'
description 'MADV_RESERVED_THP on shared anonymous, HugeTLB or file mappings is EINVAL and charges nothing.'

machine {
    memory 1.GB
    cmdline 'thp_reserved_nr=4 hugepages=4'
}

policy thp()

process('p') {
    long shared = mmap(0, 2.MB, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS)
    assert madvise(shared, 2.MB, MADV_RESERVED_THP) == -EINVAL
    long huge = mmap(0, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB)
    assert huge > 0
    assert madvise(huge, 2.MB, MADV_RESERVED_THP) == -EINVAL
    int fd = memfd_create('rthp', MFD_HUGETLB)
    assert fd >= 0 && ftruncate(fd, 2.MB) == 0
    long fshared = mmap(0, 2.MB, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
    long fprivate = mmap(0, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0)
    assert fshared > 0 && fprivate > 0
    assert madvise(fshared, 2.MB, MADV_RESERVED_THP) == -EINVAL
    assert madvise(fprivate, 2.MB, MADV_RESERVED_THP) == -EINVAL
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 0
    assert !smaps(shared).VmFlags.split(' ').contains('rt')
    long priv = mmap(0, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(priv, 2.MB, MADV_RESERVED_THP) == 0
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 1
}

run until: 1.s, sample: 1.s
