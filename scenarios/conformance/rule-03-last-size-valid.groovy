// Rule 3 (docs/model.md 1.2): "If the option appears twice, the last occurrence decides validity."
// A valid thp_reserved_size=2M after an unsupported 4M: the 4M still warns, but the reservation is made.
// RFC patch 2/8, mm/reserved_thp.c, setup_reserved_thp_size():
//     reserved_thp_cmdline_size = size;
//     reserved_thp_cmdline_size_valid = true;
name 'rule-03-last-size-valid'
description 'thp_reserved_size=4M thp_reserved_size=2M: the last occurrence is valid, 8 blocks are reserved.'

machine {
    memory 1.GB
    cmdline 'thp_reserved_size=4M thp_reserved_size=2M thp_reserved_nr=8'
}

policy thp()

process('check') {
    assert sysfs('kernel/mm/reserved_thp/total_hpages') == 8
    assert pagetypeinfo()['ReserveTHP'] == 8
}

run until: 1.s, sample: 1.s
