// Rule 4 (docs/model.md 1.2) [inferred]: "a leading minus sign is accepted by the unsigned scan and wraps
// to a huge number, which makes the boot loop reserve until allocation fails."
// The code's consequence is the opposite: the kernel's vsscanf() (lib/vsprintf.c) skips a '-' only for
// signed conversions; for %lu it requires a digit first, so sscanf() converts nothing and returns 0:
//     digit = *str;
//     if (is_sign && digit == '-') { ... digit = *(str + 1); }
//     if (!digit || ... || (base == 10 && !isdigit(digit)) ...) break;
// RFC patch 2/8, mm/reserved_thp.c, setup_reserved_thp_nr():
//     if (sscanf(str, "%lu%n", &reserved_thp_requested, &count) != 1 || str[count]) {
//             pr_warn("invalid thp_reserved_nr=%s\n", str);
//             reserved_thp_requested = 0;
name 'rule-04-minus-sign'
description 'thp_reserved_nr=-1 is rejected by the kernel vsscanf: warning, request 0, nothing reserved.'

machine {
    memory 1.GB
    cmdline 'thp_reserved_nr=-1'
}

policy thp()

process('check') {
    assert sysfs('kernel/mm/reserved_thp/total_hpages') == 0
    assert pagetypeinfo()['ReserveTHP'] == 0
}

run until: 1.s, sample: 1.s
