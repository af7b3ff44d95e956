// Runs on a stock kernel: hugesim kernel-check replays it on the distribution kernel, where it agrees.
// Section 2.2 of docs/model.md: "MADV_DONTNEED on private pages | pages freed; since 'mm/hugetlb:
// restore the reservation if needed' (2024) the owner's reservation is restored (Rsvd +freed)", and
// "Surplus pages go back to the buddy allocator when they are freed". The restore is skipped while the
// hstate has surplus pages, so a surplus page freed by MADV_DONTNEED simply leaves the pool.
// mm/hugetlb.c, __unmap_hugepage_range():
//     /* If there we are freeing a surplus, do not set the restore reservation bit. */
//     if (!h->surplus_huge_pages && __vma_private_lock(vma) && folio_test_anon(folio)) {
//             folio_set_hugetlb_restore_reserve(folio);
//             adjust_reservation = true;
//     }
// free_huge_folio(): a surplus folio is removed from the pool and freed to the buddy allocator.
name 's15-surplus-dontneed'
description 'MADV_DONTNEED of a surplus page returns it to the buddy allocator and restores no reservation.'

machine {
    memory 1.GB
}

policy thp()

long H = 2.MB

process('p') {
    assert sysctl('vm.nr_overcommit_hugepages', 4) == 0
    long a = mmap(0, 4 * H, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB)
    touch a, 4 * H
    assert meminfo('HugePages_Surp') == 4 && meminfo('HugePages_Free') == 0 && meminfo('HugePages_Rsvd') == 0
    long memFree = meminfo('MemFree')
    assert madvise(a, H, MADV_DONTNEED) == 0
    assert meminfo('HugePages_Total') == 3                  // the freed surplus page left the pool
    assert meminfo('HugePages_Surp') == 3
    assert meminfo('HugePages_Free') == 0
    assert meminfo('HugePages_Rsvd') == 0                   // surplus_huge_pages != 0: no restore
    assert meminfo('MemFree') - memFree == 2048
    touch a, H                                              // a new surplus page, within the limit
    assert meminfo('HugePages_Surp') == 4
    assert munmap(a, 4 * H) == 0
    assert meminfo('HugePages_Total') == 0
}

run until: 1.s, sample: 1.s
