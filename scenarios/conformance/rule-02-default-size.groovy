// Rule 2 (docs/model.md 1.2): "Default when absent: the PMD size, marked valid."
// Scenario S1: boot with thp_reserved_nr=8 -> T=8, U=0, F=8; "reserved 8/8 PMD THP pageblocks
// (2097152 bytes each)"; 8 ReserveTHP pageblocks in /proc/pagetypeinfo.
// RFC patch 2/8, mm/reserved_thp.c:
//     static unsigned long reserved_thp_cmdline_size __initdata = HPAGE_PMD_SIZE;
//     static bool reserved_thp_cmdline_size_valid __initdata = true;
//     pr_info("reserved %lu/%lu PMD THP pageblocks (%lu bytes each)\n", reserved_thp_total,
//             reserved_thp_requested, reserved_thp_cmdline_size);
name 'rule-02-default-size'
description 'Without thp_reserved_size the size is the PMD size: thp_reserved_nr=8 reserves 8 blocks.'

machine {
    memory 1.GB
    cmdline 'thp_reserved_nr=8'
}

policy thp()

process('check') {
    assert sysfs('kernel/mm/transparent_hugepage/hpage_pmd_size') == 2097152
    assert sysfs('kernel/mm/reserved_thp/total_hpages') == 8
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 0
    assert sysfs('kernel/mm/reserved_thp/free_hpages') == 8
    assert pagetypeinfo()['ReserveTHP'] == 8
}

run until: 1.s, sample: 1.s
