// Rule 59 (docs/model.md 7.2), the sharedPool design: when the reserved THP quota is charged (madvise, or
// mmap with chargeAt: 'mmap') it is checked against what HugeTLB's own reservation sees, free − HugePages_Rsvd,
// and the charge not yet faulted counts in HugePages_Rsvd. The thread leaves open whether it should: with
// rsvd: false the charges stay out of HugePages_Rsvd and are checked against HugePages_Total − used_hpages only,
// so HugeTLB and reserved THPs promise the same pages twice, and whichever faults last finds none: a reserved
// THP's fault is then VM_FAULT_OOM (rule 47; ENOMEM from MADV_POPULATE_WRITE, rule 49).
name 'rule-59-rsvd'
description 'Reserved THP charges count in HugePages_Rsvd, or with rsvd: false promise pool pages twice.'

def rsvd = param('rsvd', false)

machine {
    memory 1.GB
}

policy sharedPool(pool: 16.MB, rsvd: rsvd)     // 8 pages

int RW = PROT_READ | PROT_WRITE

process('p') {
    long r = mmap(0, 16.MB, RW, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(r, 16.MB, MADV_RESERVED_THP) == 0          // the whole pool charged
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 8
    long h = mmap(0, 8.MB, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB)
    if (rsvd) {
        assert meminfo('HugePages_Rsvd') == 8
        assert h == -ENOMEM                                    // free − resv = 0
        assert madvise(r, 16.MB, MADV_POPULATE_WRITE) == 0
        assert meminfo('HugePages_Free') == 0
    } else {
        assert h > 0                                           // free − resv = 8: the same pages promised twice
        assert meminfo('HugePages_Rsvd') == 4
        assert madvise(r, 16.MB, MADV_POPULATE_WRITE) == -ENOMEM   // 4 THPs, then no page HugeTLB did not reserve
        assert vmstat('thp_fault_alloc') == 4 && meminfo('HugePages_Free') == 4
        touch h, 8.MB                                          // HugeTLB's reserved pages are still there
        assert meminfo('HugePages_Free') == 0 && meminfo('HugePages_Rsvd') == 0
    }
}

run until: 1.s, sample: 1.s
