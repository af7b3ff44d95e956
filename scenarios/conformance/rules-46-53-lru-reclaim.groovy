// Rule 46 (docs/model.md 1.8): a reserved THP "is a normal anonymous THP: ... placed on LRU and on the
// deferred-split queue like any THP."
// Rule 53 [inferred]: "Reserved THP folios are ordinary movable LRU folios".
// So reclaim, which scans the LRU lists and does not look at pageblock types, reclaims a cold reserved THP
// like any other cold anonymous folio when ordinary memory runs short, although that frees only reserved
// memory. (Migration by migrate_pages(2) is rule-53-migration.groovy; compaction, NUMA balancing and
// memory offlining are not in the model.)
// mm/vmscan.c: shrink_lruvec() -> shrink_inactive_list() -> shrink_folio_list() takes folios off the
// inactive anon list by age; RFC patch 7/8 (commit message): "The resulting folio remains a normal anonymous
// THP, using the existing reclaim, swap, and buddy paths."
name 'rules-46-53-lru-reclaim'
description 'Ordinary memory pressure swaps out a cold reserved THP like any cold anonymous folio.'

machine {
    memory 64.MB
    swap 64.MB
    cmdline 'thp_reserved_nr=4'
}

policy thp()

process('cold') {
    long r = mmap(0, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(r, 2.MB, MADV_RESERVED_THP) == 0
    touch r, 2.MB
    idle r, 2.MB                                            // the oldest cold folio on the LRU
    sleep 2.s                                               // 'pressure' runs at 1 s
    assert smaps(r).Swap == 2048                            // reclaimed, whole
    assert smaps(r).AnonHugePages == 0
    assert vmstat('thp_swpout') >= 1
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 1 // the quota stays (rule 21)
}

process('pressure', start: 1.s) {
    long a = mmap(0, 64.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(a, 64.MB, MADV_NOHUGEPAGE) == 0
    touch a, 64.MB                                          // more than the ordinary memory there is
}

run until: 3.s, sample: 1.s
