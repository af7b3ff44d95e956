// Runs on a stock kernel: hugesim kernel-check replays it; 6.1 keeps no reservation after MADV_DONTNEED (README).
// Scenario S13 (docs/model.md section 6), private mappings; table 2.2 of section 2:
//   "mmap MAP_PRIVATE (incl. MAP_ANONYMOUS|MAP_HUGETLB), n pages | Rsvd += n; ... ENOMEM if not enough"
//   "first fault on a reserved page | Free -1, Rsvd -1"
//   "MAP_NORESERVE | no reservation; faults take from free - resv or surplus; if none -> SIGBUS"
//   "private mapping munmap/exit | faulted pages freed (Free +k); outstanding reservations returned"
//   "MADV_DONTNEED on private pages | pages freed; ... the owner's reservation is restored (Rsvd +freed)"
// S13: nr_hugepages=10. mmap private 5 H -> Total 10, Free 10, Rsvd 5; write 3 pages -> Free 7, Rsvd 2;
// munmap -> Free 10, Rsvd 0. mmap private 11 H -> ENOMEM. mmap 11 H with MAP_NORESERVE -> succeeds,
// Rsvd 0; writing all 11 -> SIGBUS on the 11th. And the anonymous private parts of
// tools/testing/selftests/mm/hugetlb-madvise.c (F = free pages before, >= 20).
// Sources: mm/hugetlb.c hugetlb_reserve_pages(), hugetlb_acct_memory(), alloc_hugetlb_folio(),
// __unmap_hugepage_range() ("mm/hugetlb: restore the reservation if needed", 2024);
// Documentation/mm/hugetlbfs_reserv.rst; mm/madvise.c madvise_dontneed_free_valid_vma().
name 's13-hugetlb-private-reservation'
description 'HugeTLB private mappings reserve at mmap; MAP_NORESERVE faults take free pages until SIGBUS.'

machine {
    memory 1.GB
    cmdline 'hugepages=10'
}

policy thp()

long H = 2.MB
int RW = PROT_READ | PROT_WRITE
int HUGE_PRIVATE = MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB

process('private') {
    assert meminfo('HugePages_Total') == 10
    assert meminfo('HugePages_Free') == 10
    long a = mmap(0, 5 * H, RW, HUGE_PRIVATE)
    assert a > 0
    assert meminfo('HugePages_Total') == 10
    assert meminfo('HugePages_Free') == 10                  // reserved, not allocated
    assert meminfo('HugePages_Rsvd') == 5
    touch a, 3 * H
    assert meminfo('HugePages_Free') == 7                   // each first fault: Free -1, Rsvd -1
    assert meminfo('HugePages_Rsvd') == 2
    assert smaps(a).Private_Hugetlb == 3 * 2048
    assert munmap(a, 5 * H) == 0
    assert meminfo('HugePages_Free') == 10                  // faulted pages back, reservations returned
    assert meminfo('HugePages_Rsvd') == 0
    assert mmap(0, 11 * H, RW, HUGE_PRIVATE) == -ENOMEM     // free - resv = 10 < 11
    assert meminfo('HugePages_Rsvd') == 0
}

process('noreserve', start: 1.s) {
    long a = mmap(0, 11 * H, RW, HUGE_PRIVATE | MAP_NORESERVE)
    assert a > 0                                            // nothing to reserve, nothing to fail
    assert meminfo('HugePages_Rsvd') == 0
    assert smaps(a).VmFlags.contains('nr')
    touch a, 10 * H
    assert meminfo('HugePages_Free') == 0
    touch a + 10 * H, 4.KB                                  // no free page, no surplus allowed: SIGBUS
    assert false : 'the 11th write must raise SIGBUS'
}

process('after-sigbus', start: 2.s) {
    assert meminfo('HugePages_Free') == 10                  // the killed process's pages went back
    assert meminfo('HugePages_Rsvd') == 0
}

// hugetlb-madvise.c, the anonymous private mappings
process('hugetlb-madvise', start: 3.s) {
    assert sysctl('vm.nr_hugepages', 20) == 0
    long F = meminfo('HugePages_Free')
    assert F == 20

    // MADV_DONTNEED addr and length arguments: one page unmapped before and after the mapping
    long a = mmap(0, 12 * H, RW, HUGE_PRIVATE)
    assert munmap(a, H) == 0 && munmap(a + 11 * H, H) == 0
    a += H
    touch a, 10 * H
    assert meminfo('HugePages_Free') == F - 10
    // both must fail; madvise_walk_vmas() still applies the advice to the mapped part, rounded down
    assert madvise(a - 4.KB, 10 * H, MADV_DONTNEED) == -ENOMEM  // addr before the mapping
    assert meminfo('HugePages_Free') == F - 1                   // [a, a + 10 H - 4 KiB) -> 9 pages
    assert madvise(a, 10 * H + 4.KB, MADV_DONTNEED) == -ENOMEM  // length past the mapping
    assert meminfo('HugePages_Free') == F
    assert munmap(a, 10 * H) == 0

    // MADV_DONTNEED alignment: the start must be aligned, the end is rounded down
    a = mmap(0, 10 * H, RW, HUGE_PRIVATE)
    touch a, 10 * H
    assert meminfo('HugePages_Free') == F - 10
    assert madvise(a + 4.KB, 10 * H - 4.KB, MADV_DONTNEED) == -EINVAL
    assert madvise(a, 9 * H + 4.KB, MADV_DONTNEED) == 0
    assert meminfo('HugePages_Free') == F - 1                   // all but the last page freed
    assert meminfo('HugePages_Rsvd') == 9                       // the owner's reservations restored
    assert munmap(a, 10 * H) == 0
    assert meminfo('HugePages_Free') == F
    assert meminfo('HugePages_Rsvd') == 0

    // MADV_DONTNEED on an anonymous private mapping frees every page
    a = mmap(0, 10 * H, RW, HUGE_PRIVATE)
    touch a, 10 * H
    assert meminfo('HugePages_Free') == F - 10
    assert madvise(a, 10 * H, MADV_DONTNEED) == 0
    assert meminfo('HugePages_Free') == F
    assert meminfo('HugePages_Rsvd') == 10
    touch a, 10 * H                                             // the restored reservations are used again
    assert meminfo('HugePages_Free') == F - 10
    assert meminfo('HugePages_Rsvd') == 0
    assert munmap(a, 10 * H) == 0
    assert meminfo('HugePages_Free') == F
}

run until: 5.s, sample: 1.s
