// Rule 66 (docs/model.md 7.3), the zoneNosplit design: who may take the zone's memory. A THP allocation (a
// fault, khugepaged, MADV_COLLAPSE) goes down the zonelist node by node, each node's NoSplit zone before its
// ordinary memory. users: 'any' (default) lets every THP-eligible VMA use it; users: 'madvised', only VMAs with
// MADV_HUGEPAGE. Nothing is charged and nothing guaranteed: first come, first served; once the zone is empty a
// THP fault takes ordinary memory as any THP fault does (and may fall back to 4 KiB pages).
name 'rule-66-who-may-use'
description 'With users: madvised only MADV_HUGEPAGE VMAs take the zone; once it is empty THPs come from ordinary memory.'

machine {
    memory 1.GB
}

policy zoneNosplit(size: 8.MB, users: 'madvised')     // 4 blocks

process('p') {
    Closure nosplitFree = { zoneinfo().find { it.zone == 'NoSplit' }.nr_free_pages }
    assert sysfs('kernel/mm/transparent_hugepage/enabled', 'always') == 0
    long plain = mmap(0, 4.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    touch plain, 4.MB                                        // THP-eligible under 'always', not madvised
    assert vmstat('thp_fault_alloc') == 2 && nosplitFree() == 2048

    long advised = mmap(0, 12.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(advised, 12.MB, MADV_HUGEPAGE) == 0
    touch advised, 8.MB
    assert vmstat('thp_fault_alloc') == 6 && nosplitFree() == 0   // the zone's 4 blocks
    touch advised + 8.MB, 4.MB                               // the zone is empty: ordinary THPs
    assert vmstat('thp_fault_alloc') == 8 && vmstat('thp_fault_fallback') == 0
    assert meminfo('AnonHugePages') == 16384
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 0
}

run until: 1.s, sample: 1.s
