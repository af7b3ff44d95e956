// Scenario S24 (docs/model.md section 6): "thp_reserved_nr=16384: O madvise 8192 -> U=8192; N madvise
// 8192 -> U=16384 -> both succeed; O exits -> U=8192. With thp_reserved_nr=11264 (22 GiB): N's madvise
// -> EAGAIN (F=3072 < 8192); swapping O's cold THPs (MADV_PAGEOUT) gives no quota back, so the madvise
// still fails. (On a disk the 5120 written THPs wait in the swap cache until reclaim frees their blocks.) If N instead madvises 3072 H, it faults 3072 THPs and the rest of its
// memory is ordinary."
// Rules 18, 21 (the quota is virtual: "used_hpages is unchanged by faults, frees, MADV_DONTNEED or
// swap-out"), 28, 29 (-ENOMEM from the charge reaches userspace as EAGAIN), 34 (aligned MADV_PAGEOUT
// behaves as in mainline), 38 (exit uncharges), 46 (a reserved fault is a normal THP fault).
// RFC patch 4/8 reserved_thp_charge(); patch 8/8 madvise_reserved_thp(); patch 6/8 tear_down_vmas();
// mm/madvise.c madvise_vma_behavior(): "if (error == -ENOMEM) error = -EAGAIN".
name 's24-reserved-thp-as-posted'
description 'Reserved THP as posted: the quota is charged at madvise, so swapping cold THPs gives no quota back.'

machine {
    memory 64.GB
    swap 32.GB, write: 2.GBps, read: 3.GBps
}

policies reservedThp(reserve: 32.GB),                  // thp_reserved_nr=16384
         reservedThp(reserve: 22.GB)                   // thp_reserved_nr=11264

long H = 2.MB
int RW = PROT_READ | PROT_WRITE
int ANON = MAP_PRIVATE | MAP_ANONYMOUS
String USED = 'kernel/mm/reserved_thp/used_hpages'
String FREE = 'kernel/mm/reserved_thp/free_hpages'

process('old') {
    long o = mmap(0, 8192 * H, RW, ANON)
    assert madvise(o, 8192 * H, MADV_RESERVED_THP) == 0
    assert sysfs(USED) == 8192
    touch o, 8192 * H
    assert vmstat('thp_fault_alloc') == 8192
    assert smaps(o).AnonHugePages == 8192 * 2048
    sleep 60.s
    // 10 GiB is cold: page it out (PMD-aligned, rule 34); whole THPs go to free swap clusters
    long memFree = meminfo('MemFree')
    assert madvise(o, 5120 * H, MADV_PAGEOUT) == 0
    sleep 10.s                                          // 10 GiB at 2 GB/s
    assert vmstat('thp_swpout') == 5120
    assert vmstat('thp_swpout_fallback') == 0
    assert smaps(o).Swap == 5120 * 2048
    // shrink_folio_list() leaves written folios in the swap cache for a later pass: on this idle machine no
    // reclaim runs, so the 5120 reserved blocks stay taken until reclaim needs them ...
    assert meminfo('SwapCached') == 5120 * 2048 && meminfo('MemFree') == memFree
    assert sysfs(USED) == 8192                          // ... but the quota is virtual: still charged
    sleep 530.s
    exit()                                              // rule 38: the 8192 hpages are uncharged
}

process('new', start: 300.s) {
    long total = sysfs('kernel/mm/reserved_thp/total_hpages')
    long n = mmap(0, 8192 * H, RW, ANON)
    if (total == 16384) {
        assert madvise(n, 8192 * H, MADV_RESERVED_THP) == 0
        assert sysfs(USED) == 16384
        touch n, 8192 * H, rate: 1.GBps
        assert smaps(n).AnonHugePages == 8192 * 2048
        return
    }
    assert total == 11264
    assert sysfs(FREE) == 3072
    assert madvise(n, 8192 * H, MADV_RESERVED_THP) == -EAGAIN    // rule 29: F = 3072 < 8192
    assert sysfs(USED) == 8192                                   // all or nothing
    assert !smaps(n).VmFlags.contains('rt')
    // N settles for what the quota has left; the rest of its memory is ordinary
    assert madvise(n, 3072 * H, MADV_RESERVED_THP) == 0
    assert sysfs(USED) == 11264 && sysfs(FREE) == 0
    long allocs = vmstat('thp_fault_alloc')
    touch n, 8192 * H, rate: 1.GBps
    assert vmstat('thp_fault_alloc') - allocs == 3072
    assert smaps(n).AnonHugePages == 3072 * 2048
    assert smaps(n + 3072 * H).AnonHugePages == 0                // 4 KiB pages: enabled=madvise, no advice
    assert smaps(n + 3072 * H).Rss == 5120 * 2048
}

process('after', start: 700.s) {
    long total = sysfs('kernel/mm/reserved_thp/total_hpages')
    assert sysfs(USED) == (total == 16384 ? 8192 : 3072)         // only N's charge is left
    assert meminfo('SwapFree') == meminfo('SwapTotal')           // O's swap went with it
}

run until: 800.s, sample: 1.s
