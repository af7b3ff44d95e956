// Rule 3 (docs/model.md 1.2): "Any other size: a warning 'unsupported thp_reserved_size=…, only N is
// supported', the size is marked invalid, the handler returns -EINVAL (the generic early-param code then
// logs the option as malformed), and no reservation is made at all, whatever thp_reserved_nr says."
// Scenario S2(a): thp_reserved_size=4M thp_reserved_nr=8 -> T=0 plus warning.
// RFC patch 2/8, mm/reserved_thp.c:
//     pr_warn("unsupported thp_reserved_size=%s, only %lu is supported\n", str, HPAGE_PMD_SIZE);
//     reserved_thp_cmdline_size_valid = false;
//     return -EINVAL;
//     ...
//     if (reserved_thp_requested && reserved_thp_cmdline_size_valid) {
name 'rule-03-unsupported-size'
description 'thp_reserved_size=4M disables the reservation: nothing is reserved despite thp_reserved_nr=8.'

machine {
    memory 1.GB
    cmdline 'thp_reserved_size=4M thp_reserved_nr=8'
}

policy thp()

process('check') {
    assert sysfs('kernel/mm/reserved_thp/total_hpages') == 0
    assert sysfs('kernel/mm/reserved_thp/free_hpages') == 0
    assert pagetypeinfo()['ReserveTHP'] == 0
    long a = mmap(0, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(a, 2.MB, MADV_RESERVED_THP) == -EAGAIN        // no quota at all
}

run until: 1.s, sample: 1.s
