// Runs on a stock 6.1 kernel (hugesim kernel-check), which also counts a deferred split for the folio split
// here; kernel '6.1' makes the model count it. MADV_COLD over part of a THP: mm/madvise.c
// madvise_cold_or_pageout_pte_range() cannot deactivate part of a folio, so a PMD-mapped THP the range does not
// wholly cover, mapped by this process alone, is split (split_folio(): thp_split_pmd and thp_split_page) and
// only the range's 4 KiB pages are deactivated. Nothing is written to swap: every page stays resident. A range
// covering a whole THP deactivates it whole and leaves it a THP.
name 'madv-cold-partial'
description 'MADV_COLD over part of a THP splits it; over a whole THP it leaves it whole; nothing is swapped.'

machine {
    memory 1.GB
    swap 64.MB
    kernel '6.1'                                            // as the guest: thp_deferred_split_page per split
}

policy thp()

int RW = PROT_READ | PROT_WRITE
int ANON = MAP_PRIVATE | MAP_ANONYMOUS

process('p') {
    long a = mmap(0, 4.MB, RW, ANON)
    assert madvise(a, 4.MB, MADV_HUGEPAGE) == 0
    touch a, 4.MB
    assert vmstat('thp_fault_alloc') == 2
    assert madvise(a + 512.KB, 1.MB, MADV_COLD) == 0       // inside the first THP
    assert vmstat('thp_split_pmd') == 1
    assert vmstat('thp_split_page') == 1
    assert vmstat('thp_deferred_split_page') == 1            // 6.1: page_remove_rmap() of the first page queues it
    assert meminfo('AnonHugePages') == 2048                  // the second THP is whole
    assert madvise(a + 2.MB, 2.MB, MADV_COLD) == 0          // all of the second THP
    assert vmstat('thp_split_page') == 1
    assert meminfo('AnonHugePages') == 2048
    assert meminfo('AnonPages') >= 4096                      // every page still resident
    assert vmstat('pswpout') == 0
    assert smaps(a).Rss == 4096
}

run until: 1.s, sample: 1.s
