// Rule 3 (docs/model.md 1.2): "If the option appears twice, the last occurrence decides validity."
// An unsupported thp_reserved_size=4M after a valid 2M: nothing is reserved.
// RFC patch 2/8, mm/reserved_thp.c, setup_reserved_thp_size():
//     reserved_thp_cmdline_size_valid = false;
//     return -EINVAL;
name 'rule-03-last-size-invalid'
description 'thp_reserved_size=2M thp_reserved_size=4M: the last occurrence is invalid, nothing is reserved.'

machine {
    memory 1.GB
    cmdline 'thp_reserved_size=2M thp_reserved_size=4M thp_reserved_nr=8'
}

policy thp()

process('check') {
    assert sysfs('kernel/mm/reserved_thp/total_hpages') == 0
    assert pagetypeinfo()['ReserveTHP'] == 0
}

run until: 1.s, sample: 1.s
