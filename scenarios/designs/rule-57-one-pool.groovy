// Rule 57 (docs/model.md 7.2), the sharedPool design: one boot-time pool, HugeTLB's (hugepages=), and no
// other. Wilcox: "'reserved THPs' should be allocated from the same pool as hugetlb reserve" and no new
// command-line options. No MIGRATE_RESERVED_THP pageblock is set aside (no thp_reserved_nr=); the Reserved
// THP quota has no capacity of its own: total_hpages reads the pool's HugePages_Total.
name 'rule-57-one-pool'
description 'sharedPool boots hugepages= only; the reserved THP quota reads the HugeTLB pool.'

machine {
    memory 1.GB
}

policy sharedPool(pool: 16.MB)     // hugepages=8

process('p') {
    assert meminfo('HugePages_Total') == 8 && meminfo('HugePages_Free') == 8
    assert meminfo('HugePages_Rsvd') == 0
    assert meminfo('Hugetlb') == 16384
    assert sysfs('kernel/mm/reserved_thp/total_hpages') == 8
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 0
    assert sysfs('kernel/mm/reserved_thp/free_hpages') == 8
    assert zoneinfo().every { it.nr_reserved_thp == 0 }   // no reserved pageblock at all
}

run until: 1.s, sample: 1.s
