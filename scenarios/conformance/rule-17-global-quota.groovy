// Rule 17 (docs/model.md 1.4): "The quota is one global counter pair (total, used) under one spinlock:
// no per-node, per-zone or per-memcg split." Two processes draw on the same counter.
// RFC patch 2/8 and 4/8, mm/reserved_thp.c:
//     static DEFINE_SPINLOCK(reserved_thp_lock);
//     static unsigned long reserved_thp_total;
//     static unsigned long reserved_thp_used;
name 'rule-17-global-quota'
description 'Two processes charge and see one global used/total pair.'

machine {
    memory 1.GB
    cmdline 'thp_reserved_nr=4'
}

policy thp()

process('a') {
    long x = mmap(0, 6.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(x, 6.MB, MADV_RESERVED_THP) == 0
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 3
    sleep 1500.ms
    exit()                                                  // returns its 3 hpages to everyone
}

process('b', start: 500.ms) {
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 3     // a's charge
    assert sysfs('kernel/mm/reserved_thp/free_hpages') == 1
    long y = mmap(0, 4.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(y, 4.MB, MADV_RESERVED_THP) == -EAGAIN
    assert madvise(y, 2.MB, MADV_RESERVED_THP) == 0
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 4
    sleep 2.s                                               // a exits at 1.5 s
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 1
    assert madvise(y + 2.MB, 2.MB, MADV_RESERVED_THP) == 0
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 2
}

run until: 3.s, sample: 1.s
