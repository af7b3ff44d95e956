// Rule 2 (docs/model.md 1.2): "The only accepted value is exactly the PMD size (2M on x86_64; 512M on
// arm64 with 64 KiB pages)." Rule 6: block order = max(PMD order, pageblock order): with the default
// 512 MiB pageblocks, one pageblock per hpage.
// RFC patch 2/8, mm/reserved_thp.c:
//     static unsigned long reserved_thp_cmdline_size __initdata = HPAGE_PMD_SIZE;
//     if (size != HPAGE_PMD_SIZE) { pr_warn(...); ... return -EINVAL; }
name 'rule-02-arm64-64k'
description 'On arm64 with 64 KiB pages thp_reserved_size=512M is the PMD size: two 512 MiB blocks are reserved.'

machine {
    arch 'arm64-64k'
    memory 4.GB
    cmdline 'thp_reserved_size=512M thp_reserved_nr=2'
}

policy thp()

process('check') {
    assert sysfs('kernel/mm/transparent_hugepage/hpage_pmd_size') == 536870912
    assert sysfs('kernel/mm/reserved_thp/total_hpages') == 2
    assert pagetypeinfo()['ReserveTHP'] == 2
    long a = mmap(0, 1.GB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert a % 512.MB == 0                                  // a PMD-multiple length is PMD-aligned
    assert madvise(a + 2.MB, 512.MB, MADV_RESERVED_THP) == -EINVAL     // 2 MiB is no PMD boundary here
    assert madvise(a, 1.GB, MADV_RESERVED_THP) == 0
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 2
}

run until: 1.s, sample: 1.s
