// Runs on a stock kernel: hugesim kernel-check replays it on the distribution kernel, where it agrees.
// Scenario S18 (docs/model.md section 6): "One PMD THP; munmap 4 KiB inside it -> thp_split_pmd +1,
// thp_deferred_split_page +1, AnonHugePages -2048 kB, RSS -1 page."
// Section 3.4: "PMD split (thp_split_pmd): partial munmap, partial mprotect/mlock, mremap of part ...";
// "Deferred split (thp_deferred_split_page): counted when a THP becomes partially unmapped".
// mm/huge_memory.c: __split_huge_pmd() counts THP_SPLIT_PMD; deferred_split_folio() counts
// THP_DEFERRED_SPLIT_PAGE when folio_remove_rmap_ptes() leaves the folio partially mapped;
// mm/vma.c __split_vma() -> vma_adjust_trans_huge() splits a PMD that straddles the new boundary.
// (The later folio split under memory pressure, thp_split_page, is in s18-deferred-split.groovy.)
name 's18-thp-partial-unmap'
description 'Partial munmap, MADV_DONTNEED and mprotect of a THP split its PMD; unmapping part of it queues a deferred split.'

machine {
    memory 1.GB
}

policy thp()

int RW = PROT_READ | PROT_WRITE
int ANON = MAP_PRIVATE | MAP_ANONYMOUS

process('p') {
    long a = mmap(0, 2.MB, RW, ANON)
    assert madvise(a, 2.MB, MADV_HUGEPAGE) == 0
    touch a, 2.MB
    assert vmstat('thp_fault_alloc') == 1
    assert smaps(a).AnonHugePages == 2048 && smaps(a).Rss == 2048

    // munmap of 4 KiB inside the THP
    assert munmap(a + 1.MB, 4.KB) == 0
    assert vmstat('thp_split_pmd') == 1
    assert vmstat('thp_deferred_split_page') == 1
    assert meminfo('AnonHugePages') == 0
    assert smaps(a).AnonHugePages == 0
    assert smaps(a).Rss + smaps(a + 1.MB + 4.KB).Rss == 2048 - 4     // RSS -1 page

    // MADV_DONTNEED of 4 KiB inside a THP: the same PMD split and deferred split
    mmap(0, 2.MB, PROT_NONE, ANON)                          // a guard: VMAs with the same flags would merge
    long b = mmap(0, 2.MB, RW, ANON)
    assert madvise(b, 2.MB, MADV_HUGEPAGE) == 0
    touch b, 2.MB
    assert madvise(b + 8.KB, 4.KB, MADV_DONTNEED) == 0
    assert vmstat('thp_split_pmd') == 2
    assert vmstat('thp_deferred_split_page') == 2
    assert smaps(b).AnonHugePages == 0 && smaps(b).Rss == 2048 - 4

    // mprotect of 4 KiB splits the VMA and with it the PMD; every page stays mapped
    mmap(0, 2.MB, PROT_NONE, ANON)                          // a guard: VMAs with the same flags would merge
    long c = mmap(0, 2.MB, RW, ANON)
    assert madvise(c, 2.MB, MADV_HUGEPAGE) == 0
    touch c, 2.MB
    assert mprotect(c, 4.KB, PROT_READ) == 0
    assert vmstat('thp_split_pmd') == 3
    assert smaps(c).AnonHugePages == 0
    assert smaps(c).Rss + smaps(c + 4.KB).Rss == 2048

    // munmap of a whole PMD-aligned THP: no split
    mmap(0, 2.MB, PROT_NONE, ANON)                          // a guard: VMAs with the same flags would merge
    long d = mmap(0, 4.MB, RW, ANON)
    assert madvise(d, 4.MB, MADV_HUGEPAGE) == 0
    touch d, 4.MB
    assert munmap(d, 2.MB) == 0
    assert vmstat('thp_split_pmd') == 3
    assert smaps(d + 2.MB).AnonHugePages == 2048
}

run until: 1.s, sample: 1.s
