// Rule 1 (docs/model.md 1.2): "Two early parameters: thp_reserved_size= and thp_reserved_nr=."
// Scenario S2(d): thp_reserved_size=2M thp_reserved_nr=8 -> T=8.
// RFC patch 2/8, mm/reserved_thp.c:
//     early_param("thp_reserved_size", setup_reserved_thp_size);
//     early_param("thp_reserved_nr", setup_reserved_thp_nr);
//     if (reserved_thp_requested && reserved_thp_cmdline_size_valid) {
//             reserved_thp_total = reserved_thp_pageblocks(reserved_thp_requested);
name 'rule-01-boot-parameters'
description 'thp_reserved_size=2M thp_reserved_nr=8 reserves 8 PMD THP pageblocks at boot.'

machine {
    memory 1.GB
    cmdline 'thp_reserved_size=2M thp_reserved_nr=8'
}

policy thp()

process('check') {
    assert sysfs('kernel/mm/reserved_thp/total_hpages') == 8
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 0
    assert sysfs('kernel/mm/reserved_thp/free_hpages') == 8
    assert pagetypeinfo()['ReserveTHP'] == 8
}

run until: 1.s, sample: 1.s
