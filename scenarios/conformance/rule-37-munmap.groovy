// Rule 37 (docs/model.md 1.7): "munmap: if the unmap range would split a reserved VMA at a non-PMD start
// or end -> EINVAL, nothing unmapped. Otherwise every reserved VMA (or piece) removed is uncharged by its
// hpages after the unmap completes. Example: munmap of the first 4 KiB of a reserved VMA -> EINVAL."
// Scenario S9: reserved 4 MiB VMA, U=2: munmap(A, 4K) -> EINVAL, U=2; munmap(A, 2M) -> 0, U=1.
// A range that covers a whole reserved VMA and ends in unmapped space splits nothing: it succeeds.
// RFC patch 6/8, mm/vma.c, vms_gather_munmap_vmas():
//     if ((vms->vma->vm_flags & VM_RESERVED_THP) && !IS_ALIGNED(vms->start, HPAGE_PMD_SIZE)) {
//             error = -EINVAL; goto start_split_failed; }
//     ...  if (next->vm_end > vms->end) { if ((next->vm_flags & VM_RESERVED_THP) &&
//                                              !IS_ALIGNED(vms->end, HPAGE_PMD_SIZE)) { error = -EINVAL; ...
//     if (next->vm_flags & VM_RESERVED_THP)
//             vms->nr_reserved_thp += reserved_thp_hpage_nr(next->vm_start, next->vm_end);
// vms_complete_munmap_vmas(): reserved_thp_uncharge(vms->nr_reserved_thp);
name 'rule-37-munmap'
description 'munmap that would split a reserved VMA off a PMD boundary is EINVAL; otherwise it uncharges.'

machine {
    memory 1.GB
    cmdline 'thp_reserved_nr=8'
}

policy thp()

process('p') {
    long A = mmap(0, 8.MB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert munmap(A, 8.MB) == 0
    assert mmap(A, 4.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED) == A
    assert madvise(A, 4.MB, MADV_RESERVED_THP) == 0
    touch A, 4.MB
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 2
    assert munmap(A, 4.KB) == -EINVAL                       // the first 4 KiB
    assert munmap(A + 4.MB - 4.KB, 4.KB) == -EINVAL         // the last 4 KiB
    assert munmap(A, 3.MB) == -EINVAL                       // end inside
    assert munmap(A + 1.MB, 3.MB) == -EINVAL                // start inside
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 2
    assert smaps(A).Size == 4096 && smaps(A).AnonHugePages == 4096     // nothing unmapped
    assert munmap(A, 2.MB) == 0
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 1
    assert smaps(A) == null
    assert smaps(A + 2.MB).AnonHugePages == 2048
    assert munmap(A + 2.MB, 2.MB + 4.KB) == 0               // the whole VMA and 4 KiB beyond it
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 0

    // two reserved VMAs and a hole in one call: both uncharged
    assert mmap(A, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED) == A
    assert mmap(A + 4.MB, 4.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED) == A + 4.MB
    assert madvise(A, 8.MB, MADV_RESERVED_THP) == -ENOMEM   // both charged, ENOMEM for the hole (rule 26)
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 3
    assert munmap(A, 8.MB) == 0
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 0

    // the check is per VMA: a non-PMD end inside a plain VMA next to a reserved one is fine
    assert mmap(A, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED) == A
    assert mmap(A + 2.MB, 2.MB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED) == A + 2.MB
    assert madvise(A, 2.MB, MADV_RESERVED_THP) == 0
    assert munmap(A, 3.MB) == 0                             // splits the plain VMA at A + 3M
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 0
    assert smaps(A + 3.MB).Size == 1024
}

run until: 1.s, sample: 1.s
