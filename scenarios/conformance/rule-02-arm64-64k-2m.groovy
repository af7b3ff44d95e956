// Rule 2 (docs/model.md 1.2): "The only accepted value is exactly the PMD size (2M on x86_64; 512M on
// arm64 with 64 KiB pages)." Rule 3: any other size warns and disables the reservation.
// On arm64 with 64 KiB pages, the x86_64 value 2M is not the PMD size.
// RFC patch 2/8, mm/reserved_thp.c, setup_reserved_thp_size():
//     pr_warn("unsupported thp_reserved_size=%s, only %lu is supported\n", str, HPAGE_PMD_SIZE);
name 'rule-02-arm64-64k-2m'
description 'On arm64 with 64 KiB pages thp_reserved_size=2M is unsupported: nothing is reserved.'

machine {
    arch 'arm64-64k'
    memory 4.GB
    cmdline 'thp_reserved_size=2M thp_reserved_nr=2'
}

policy thp()

process('check') {
    assert sysfs('kernel/mm/reserved_thp/total_hpages') == 0
    assert pagetypeinfo()['ReserveTHP'] == 0
}

run until: 1.s, sample: 1.s
