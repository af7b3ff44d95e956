// Rule 21 (docs/model.md 1.4): "The quota is virtual: it counts PMD units of address space flagged
// reserved, not faulted folios. used_hpages is unchanged by faults, frees, MADV_DONTNEED or swap-out."
// Scenario S12 (part): MADV_PAGEOUT of a faulted reserved THP -> thp_swpout +1, U unchanged.
// RFC patch 4/8: reserved_thp_charge()/reserved_thp_uncharge() are called only from madvise (8/8), the
// VMA lifecycle (6/8: munmap, teardown, fork, mremap); patch 7/8's fault path never calls them.
name 'rule-21-virtual-quota'
description 'used_hpages stays put through faults, MADV_DONTNEED and swap-out; only munmap moves it.'

machine {
    memory 1.GB
    swap 64.MB
    cmdline 'thp_reserved_nr=4'
}

policy thp()

process('p') {
    long a = mmap(0, 4.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(a, 4.MB, MADV_RESERVED_THP) == 0
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 2
    touch a, 4.MB                                           // faults
    assert smaps(a).AnonHugePages == 4096
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 2
    assert madvise(a, 2.MB, MADV_DONTNEED) == 0             // a free
    assert smaps(a).AnonHugePages == 2048
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 2
    assert madvise(a + 2.MB, 2.MB, MADV_PAGEOUT) == 0       // a swap-out
    sleep 1.s                                               // the write completes
    assert vmstat('thp_swpout') == 1
    assert smaps(a).AnonHugePages == 0
    assert smaps(a).Swap == 2048
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 2
    assert munmap(a, 4.MB) == 0
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 0
}

run until: 2.s, sample: 1.s
