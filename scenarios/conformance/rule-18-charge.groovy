// Rule 18 (docs/model.md 1.4): "Charge of n hpages: ... if n > total − used the charge fails (helper
// returns -ENOMEM) and nothing changes; otherwise used += n." madvise() shows the -ENOMEM as EAGAIN
// (rule 29). Scenarios S4 and S5: T=4, U=2; madvise(…, 6M, 26) -> EAGAIN, U=2, no 'rt' on that VMA.
// A charge of exactly total − used succeeds. (A charge of 0 hpages cannot come from madvise: an aligned,
// non-empty range is at least one hpage.)
// RFC patch 4/8, mm/reserved_thp.c, reserved_thp_charge():
//     if (nr_hpages > reserved_thp_total - reserved_thp_used)
//             ret = -ENOMEM;
//     else
//             reserved_thp_used += nr_hpages;
name 'rule-18-charge'
description 'A charge larger than total - used fails and changes nothing; one of exactly total - used succeeds.'

machine {
    memory 1.GB
    cmdline 'thp_reserved_nr=4'
}

policy thp()

process('p') {
    long a = mmap(0, 4.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(a, 4.MB, MADV_RESERVED_THP) == 0
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 2
    long b = mmap(0, 6.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    String flags = smaps(b).VmFlags
    assert madvise(b, 6.MB, MADV_RESERVED_THP) == -EAGAIN      // 3 > 4 - 2
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 2
    assert sysfs('kernel/mm/reserved_thp/free_hpages') == 2
    assert smaps(b).VmFlags == flags && !flags.contains('rt')
    assert smaps(b).Size == 6144
    assert madvise(b, 4.MB, MADV_RESERVED_THP) == 0            // 2 == 4 - 2
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 4
    assert sysfs('kernel/mm/reserved_thp/free_hpages') == 0
    assert madvise(b + 4.MB, 2.MB, MADV_RESERVED_THP) == -EAGAIN   // 1 > 0
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 4
    assert !smaps(b + 4.MB).VmFlags.contains('rt')
}

run until: 1.s, sample: 1.s
