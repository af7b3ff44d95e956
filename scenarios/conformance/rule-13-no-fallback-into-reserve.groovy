// Rule 13 (docs/model.md 1.3): "normal requests never take from RESERVED_THP lists, including OOM and
// non-blocking fallback paths (the generic fallback table only links UNMOVABLE/MOVABLE/RECLAIMABLE)."
// 'hog' faults ordinary 4 KiB pages until memory runs out: the OOM killer is called while 32 MiB of
// reserved blocks sit free, and afterwards every reserved block is still free for reserved faults.
// RFC patch 3/8 (commit message): "normal allocation requests are prohibited from stealing memory from
// this migratetype, even in OOM or non-block fallback paths"; mm/page_alloc.c, rmqueue_buddy():
//     if (!page && !(alloc_flags & ALLOC_RESERVED_THP) &&
//         (alloc_flags & (ALLOC_OOM|ALLOC_NON_BLOCK)))
//             page = __rmqueue_smallest(zone, order, MIGRATE_HIGHATOMIC);
// and fallbacks[] has no MIGRATE_RESERVED_THP entry.
name 'rule-13-no-fallback-into-reserve'
description 'Ordinary allocations run out and call the OOM killer while reserved blocks stay free.'

machine {
    memory 64.MB
    kernelReserved 0        // 6.1 would keep 48 MiB of 64 for itself (docs/model.md 4.7), leaving the rule nothing to act on
    cmdline 'thp_reserved_nr=16'
}

policy thp()

process('hog') {
    long a = mmap(0, 64.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(a, 64.MB, MADV_NOHUGEPAGE) == 0
    touch a, 64.MB                                          // killed by the OOM killer on the way
    assert false : 'the ordinary allocations cannot all succeed'
}

process('after', start: 1.s) {
    assert vmstat('oom_kill') == 1
    assert sysfs('kernel/mm/reserved_thp/total_hpages') == 16
    long b = mmap(0, 32.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(b, 32.MB, MADV_RESERVED_THP) == 0
    assert madvise(b, 32.MB, MADV_POPULATE_WRITE) == 0      // all 16 reserved blocks were left free
    assert vmstat('thp_fault_alloc') == 16
}

run until: 2.s, sample: 1.s
