// Rule 29 (docs/model.md 1.6) [inferred from mainline madvise]: "Charge failure: the helper returns
// -ENOMEM, but madvise's common exit path rewrites -ENOMEM to EAGAIN, so userspace sees EAGAIN; flags
// unchanged, quota unchanged." Scenario S5: T=4, U=2; madvise(…, 6M, 26) -> EAGAIN, U=2, no rt.
// RFC patch 8/8, madvise_hugepage_policy(): error = reserved_thp_charge(hpages); if (error) return error;
// then madvise_vma_behavior():  error = madvise_hugepage_policy(...); if (error) goto out;
//     out:
//     /* madvise() returns EAGAIN if kernel resources, such as slab, are temporarily unavailable. */
//     if (error == -ENOMEM)
//             error = -EAGAIN;
name 'rule-29-eagain'
description 'A failed charge reaches userspace as EAGAIN, leaving flags and quota unchanged.'

machine {
    memory 1.GB
    cmdline 'thp_reserved_nr=4'
}

policy thp()

process('p') {
    long a = mmap(0, 4.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(a, 4.MB, MADV_RESERVED_THP) == 0
    long b = mmap(0, 6.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(b, 6.MB, MADV_HUGEPAGE) == 0
    assert madvise(b, 6.MB, MADV_RESERVED_THP) == -EAGAIN
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 2
    def flags = smaps(b).VmFlags.split(' ')
    assert flags.contains('hg') && !flags.contains('rt')       // VM_HUGEPAGE not cleared
    assert smaps(b).Size == 6144                                // no split either
}

run until: 1.s, sample: 1.s
