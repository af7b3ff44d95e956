// Rule 23 (docs/model.md 1.5): "VMAs with different values of this flag never merge (flags differ);
// adjacent reserved VMAs can merge (charges are additive, so totals stay consistent)."
// Reserving the two halves of one 4 MiB mapping one after the other: after the first, two VMAs (flags
// differ); after the second, madvise_update_vma() merges the halves back into one 4 MiB VMA (same flags,
// same anon_vma, contiguous vm_pgoff), charged 2.
// RFC patch 5/8: VM_RESERVED_THP is an ordinary vm_flags bit, so is_mergeable_vma()'s flags comparison
// (mm/vma.c) keeps reserved and plain VMAs apart and lets reserved neighbours merge.
name 'rule-23-merge'
description 'Plain and reserved VMAs stay apart; two adjacent reserved halves merge into one VMA.'

machine {
    memory 1.GB
    cmdline 'thp_reserved_nr=4'
}

policy thp()

process('p') {
    long a = mmap(0, 4.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert smaps(a).Size == 4096
    assert madvise(a, 2.MB, MADV_RESERVED_THP) == 0
    assert smaps(a).Size == 2048                            // flags differ: two VMAs
    assert smaps(a + 2.MB).Size == 2048
    assert madvise(a + 2.MB, 2.MB, MADV_RESERVED_THP) == 0
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 2
    assert smaps(a).Size == 4096                            // same flags: merged again
    assert smaps(a).VmFlags.split(' ').contains('rt')
    assert munmap(a, 4.MB) == 0
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 0
}

run until: 1.s, sample: 1.s
