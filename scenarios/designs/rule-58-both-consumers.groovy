// Rule 58 (docs/model.md 7.2), the sharedPool design: MAP_HUGETLB mappings and reserved THPs take pages from
// the one pool, and HugePages_Total, _Free and _Rsvd count both kinds of consumer. A reserved charge not yet
// faulted is a reservation (rule 59), so HugeTLB's mmap sees it in free − resv (mm/hugetlb.c
// hugetlb_acct_memory()), and a reserved THP's fault takes a pool page (HugePages_Free − 1) that is then an
// ordinary anonymous THP (AnonHugePages, thp_fault_alloc, reserved_thp resident view, rule 46).
name 'rule-58-both-consumers'
description 'HugeTLB mappings and reserved THPs share one pool; HugePages_* count both.'

machine {
    memory 1.GB
}

policy sharedPool(pool: 16.MB)     // 8 pages

int RW = PROT_READ | PROT_WRITE

process('p') {
    long r = mmap(0, 6.MB, RW, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(r, 6.MB, MADV_RESERVED_THP) == 0
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 3
    assert meminfo('HugePages_Rsvd') == 3 && meminfo('HugePages_Free') == 8

    // HugeTLB reserves at mmap from free − resv = 5
    assert mmap(0, 12.MB, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB) == -ENOMEM
    long h = mmap(0, 10.MB, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB)
    assert h > 0
    assert meminfo('HugePages_Rsvd') == 8
    // and a further reserved charge finds nothing left: EAGAIN (rule 29)
    long more = mmap(0, 2.MB, RW, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(more, 2.MB, MADV_RESERVED_THP) == -EAGAIN

    touch r, 6.MB
    assert meminfo('HugePages_Free') == 5 && meminfo('HugePages_Rsvd') == 5
    assert meminfo('AnonHugePages') == 6144 && vmstat('thp_fault_alloc') == 3
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 3     // the quota counts address space (rule 21)
    assert smaps(r).AnonHugePages == 6144

    touch h, 10.MB
    assert meminfo('HugePages_Free') == 0 && meminfo('HugePages_Rsvd') == 0
    assert meminfo('AnonHugePages') == 6144                     // HugeTLB pages are not THPs

    assert munmap(r, 6.MB) == 0
    assert meminfo('HugePages_Free') == 3 && sysfs('kernel/mm/reserved_thp/used_hpages') == 0
    assert munmap(h, 10.MB) == 0
    assert meminfo('HugePages_Free') == 8 && meminfo('HugePages_Total') == 8
}

run until: 1.s, sample: 1.s
