// S19 (a) and (c), docs/model.md rule 77: swap-out of a PMD THP under a cgroup's memory.swap.max.
// (a) with room for 512 slots the THP goes to a free cluster whole (thp_swpout), charged to memory.swap.current;
// (c) with memory.swap.max = 1 MiB, folio_alloc_swap()'s charge of 512 slots fails (__mem_cgroup_try_charge_swap():
// memory.swap.events max and fail), shrink_folio_list() splits the THP (thp_swpout_fallback) and its pages go one
// by one until the limit: 256 swapped, 256 refused (one max and fail event each) and left resident.
// Runs on a stock kernel (hugesim kernel-check), where it agrees with 6.1's memory controller.
name 's19-memcg-swap-max'
description 'memory.swap.max = 1 MiB: a THP is split and swapped out only up to the limit.'

machine {
    memory 1.GB
    swap 64.MB
    kernel '6.1'                                              // as the guest: the split counts a deferred split too
}

policy thp()

int RW = PROT_READ | PROT_WRITE
int ANON = MAP_PRIVATE | MAP_ANONYMOUS

process('roomy', cgroup: 'roomy') {
    cgroup 'roomy/memory.swap.max', 2.MB
    long a = mmap(0, 2.MB, RW, ANON)
    assert madvise(a, 2.MB, MADV_HUGEPAGE) == 0
    touch a, 2.MB
    assert cgroup('roomy/memory.current') == 2.MB
    assert cgroup('roomy/memory.stat').anon_thp == 2.MB
    assert madvise(a, 2.MB, MADV_PAGEOUT) == 0
    sleep 1.s
    assert vmstat('thp_swpout') == 1                          // (a): whole, into a free cluster
    assert vmstat('thp_swpout_fallback') == 0
    assert cgroup('roomy/memory.swap.current') == 2.MB
    assert cgroup('roomy/memory.swap.events').max == 0
    assert cgroup('roomy/memory.stat').thp_swpout == 1
    assert cgroup('roomy/memory.stat').file == 0                // the written THP is swapcached, not file
}

process('tight', start: 2.s, cgroup: 'tight') {
    cgroup 'tight/memory.swap.max', 1.MB
    long a = mmap(0, 2.MB, RW, ANON)
    assert madvise(a, 2.MB, MADV_HUGEPAGE) == 0
    touch a, 2.MB
    assert madvise(a, 2.MB, MADV_PAGEOUT) == 0
    sleep 1.s
    assert vmstat('thp_swpout') == 1                          // (c): no whole swap-out ...
    assert vmstat('thp_swpout_fallback') == 1                 // ... the THP was split
    assert vmstat('thp_split_page') == 1
    assert vmstat('pswpout') == 512 + 256                     // roomy's 512, then 256 pages up to the limit
    assert cgroup('tight/memory.swap.current') == 1.MB
    Map events = cgroup('tight/memory.swap.events')
    assert events.max == 257                                   // the THP's charge, then each page refused
    assert events.fail == 257
    assert smaps(a).Swap == 1024                               // kB
    assert smaps(a).Rss == 1024                                // the other half stays resident
    assert smaps(a).AnonHugePages == 0
    assert cgroup('tight/memory.stat').swapcached == 1.MB      // written, still in the swap cache: still charged
    assert cgroup('tight/memory.current') == 2.MB
    assert cgroup('tight/memory.stat').thp_swpout_fallback == 1
}

run until: 4.s, sample: 1.s
