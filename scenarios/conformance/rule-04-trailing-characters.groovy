// Rule 4 (docs/model.md 1.2): "thp_reserved_nr must be a complete unsigned decimal number. Trailing
// characters (e.g. 8x, 1e3) give the warning 'invalid thp_reserved_nr=…', the request becomes 0 and
// nothing is reserved." Scenario S2(b): thp_reserved_nr=8x -> T=0.
// RFC patch 2/8, mm/reserved_thp.c, setup_reserved_thp_nr():
//     if (sscanf(str, "%lu%n", &reserved_thp_requested, &count) != 1 || str[count]) {
//             pr_warn("invalid thp_reserved_nr=%s\n", str);
//             reserved_thp_requested = 0;
//             return -EINVAL;
name 'rule-04-trailing-characters'
description 'thp_reserved_nr=8x is not a complete number: warning, request 0, nothing reserved.'

machine {
    memory 1.GB
    cmdline 'thp_reserved_nr=8x'
}

policy thp()

process('check') {
    assert sysfs('kernel/mm/reserved_thp/total_hpages') == 0
    assert pagetypeinfo()['ReserveTHP'] == 0
}

run until: 1.s, sample: 1.s
