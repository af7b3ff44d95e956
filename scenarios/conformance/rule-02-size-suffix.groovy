// Rule 2 (docs/model.md 1.2): "thp_reserved_size is parsed with size suffixes (K/M/G). The only accepted
// value is exactly the PMD size (2M on x86_64)." 2048K is 2 MiB: accepted.
// RFC patch 2/8, mm/reserved_thp.c, setup_reserved_thp_size():
//     size = memparse(str, NULL);
//     if (size != HPAGE_PMD_SIZE) { ... return -EINVAL; }
name 'rule-02-size-suffix'
description 'thp_reserved_size=2048K is memparse()d to the PMD size and accepted.'

machine {
    memory 1.GB
    cmdline 'thp_reserved_size=2048K thp_reserved_nr=4'
}

policy thp()

process('check') {
    assert sysfs('kernel/mm/reserved_thp/total_hpages') == 4
    assert pagetypeinfo()['ReserveTHP'] == 4
}

run until: 1.s, sample: 1.s
