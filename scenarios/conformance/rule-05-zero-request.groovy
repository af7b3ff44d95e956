// Rule 5 (docs/model.md 1.2): "Reservation happens once, at subsys_initcall time, only if the request is
// non-zero and the size is valid." Rule 4: "0 reserves nothing."
// RFC patch 2/8, mm/reserved_thp.c, reserved_thp_init():
//     if (reserved_thp_requested && reserved_thp_cmdline_size_valid) {
//             reserved_thp_total = reserved_thp_pageblocks(reserved_thp_requested);
//             pr_info("reserved %lu/%lu PMD THP pageblocks (%lu bytes each)\n", ...
//     }
//     subsys_initcall(reserved_thp_init);
name 'rule-05-zero-request'
description 'thp_reserved_nr=0 reserves nothing and logs no reservation line.'

machine {
    memory 1.GB
    cmdline 'thp_reserved_nr=0'
}

policy thp()

process('check') {
    assert sysfs('kernel/mm/reserved_thp/total_hpages') == 0
    assert pagetypeinfo()['ReserveTHP'] == 0
}

run until: 1.s, sample: 1.s
