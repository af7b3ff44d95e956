// Rule 51 (docs/model.md 1.8) [inferred]: "Faults that are not missing-page faults are not reserved-aware:
// swap-in (do_swap_page), COW after fork ..., write to a zero page left by a split, and khugepaged collapse
// all use ordinary memory."
// Scenario S12: MADV_PAGEOUT(A, 2M) on a faulted reserved THP -> thp_swpout +1, pswpout +512, free reserved
// pages +512, U unchanged; touching it again swaps in 4 KiB ordinary pages (pswpin ≥ 1, AnonHugePages for
// the range 0). With T=1 the one reserved block, freed by the swap-out, stays free through the swap-in:
// another reserved VMA can fault it afterwards. (The block is free once the written folio is freed: at once
// on a synchronous swap device such as zram; on an asynchronous one the folio may wait in the swap cache,
// still in its reserved block, until reclaim meets it again, and a fault maps it back from there: so the
// swap device here is zram.) COW after fork: rule-39-fork.groovy. The write to a zero page left by a split
// cannot happen: reserved VMAs never map the huge zero page (rule 45). khugepaged's collapse of these 4 KiB
// pages: rule-51-khugepaged.groovy.
// mm/memory.c, do_swap_page(): the folio comes from the swap cache or a new ordinary allocation
// (alloc_swap_folio()/folio_prealloc()); RFC patch 7/8 changes only the missing-page paths
// (__do_huge_pmd_anonymous_page(), do_anonymous_page()).
name 'rule-51-swapin-ordinary'
description 'A swapped-out reserved THP comes back as 4 KiB ordinary pages; its reserved block stays free.'

machine {
    memory 1.GB
    swap 64.MB, device: 'zram'                              // written folios are freed at once (SWP_SYNCHRONOUS_IO)
    cmdline 'thp_reserved_nr=1'
}

policy thp()

process('p') {
    long a = mmap(0, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(a, 2.MB, MADV_RESERVED_THP) == 0
    touch a, 2.MB
    assert madvise(a, 2.MB, MADV_PAGEOUT) == 0
    sleep 1.s                                               // the write completes, the block is freed
    assert vmstat('thp_swpout') == 1 && vmstat('pswpout') == 512
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 1
    long anon = meminfo('AnonPages')
    touch a, 2.MB                                           // swap-in
    assert vmstat('pswpin') == 512
    assert smaps(a).AnonHugePages == 0
    assert smaps(a).Rss == 2048 && smaps(a).Swap == 0
    assert meminfo('AnonPages') == anon + 2048              // 512 ordinary 4 KiB pages
    assert vmstat('thp_fault_alloc') == 1

    assert madvise(a, 2.MB, MADV_HUGEPAGE) == 0             // return the quota (rule 31)
    long b = mmap(0, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(b, 2.MB, MADV_RESERVED_THP) == 0
    assert madvise(b, 2.MB, MADV_POPULATE_WRITE) == 0       // the reserved block was still free
    assert vmstat('thp_fault_alloc') == 2
}

run until: 3.s, sample: 1.s
