// Rule 63 (docs/model.md 7.2), the sharedPool design with the author's plan (overcommit: true): a reserved
// THP charge never fails on the pool, and what it charges beyond free − HugePages_Rsvd reserves nothing (Rsvd
// never exceeds Free). A fault that finds no pool page swaps a cold reserved THP out whole (its page back to
// the pool, rule 62) and waits for the write, as the author's plan does with reserved pageblocks (section 1.9).
name 'rule-63-overcommit'
description 'Overcommitted reserved THPs in the shared pool: faults swap cold pool THPs out whole.'

machine {
    memory 1.GB
    swap 64.MB, write: 1.GBps, read: 1.GBps
}

policy sharedPool(pool: 16.MB, overcommit: true)     // 8 pages

int RW = PROT_READ | PROT_WRITE

process('old') {
    long a = mmap(0, 16.MB, RW, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(a, 16.MB, MADV_RESERVED_THP) == 0
    touch a, 16.MB
    idle a, 8.MB                                              // 4 THPs go cold
    sleep 10.s
}

process('new', start: 1.s) {
    long b = mmap(0, 8.MB, RW, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(b, 8.MB, MADV_RESERVED_THP) == 0           // beyond the pool: 12 charged of 8
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 12
    assert meminfo('HugePages_Rsvd') == 0 && meminfo('HugePages_Free') == 0
    touch b, 8.MB                                             // each fault waits for one cold THP's write
    assert vmstat('thp_swpout') == 4 && vmstat('thp_swpout_fallback') == 0
    assert meminfo('HugePages_Free') == 0 && meminfo('AnonHugePages') == 16384   // 4 hot old, 4 new
}

run until: 12.s, sample: 1.s
