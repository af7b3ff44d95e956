// Rule 10 (docs/model.md 1.3): "New migratetype MIGRATE_RESERVED_THP, placed after CMA and before ISOLATE;
// name 'ReserveTHP' in /proc/pagetypeinfo". (The letter 'T' of the OOM/sysrq-m free-area dump has no view.)
// RFC patch 1/8, include/linux/mmzone.h and mm/page_alloc.c:
//             MIGRATE_CMA,
//     #endif
//     +       MIGRATE_RESERVED_THP,
//     ...
//     #ifdef CONFIG_CMA
//             "CMA",
//     #endif
//     +       "ReserveTHP",
//     #ifdef CONFIG_MEMORY_ISOLATION
//             "Isolate",
name 'rule-10-migratetype'
description '/proc/pagetypeinfo lists ReserveTHP after CMA and before Isolate, one block per reserved hpage.'

machine {
    memory 1.GB
    cmdline 'thp_reserved_nr=8'
}

policy thp()

process('check') {
    List<String> types = pagetypeinfo().keySet() as List
    assert types == ['Unmovable', 'Movable', 'Reclaimable', 'HighAtomic', 'CMA', 'ReserveTHP', 'Isolate']
    assert pagetypeinfo()['ReserveTHP'] == 8
}

run until: 1.s, sample: 1.s
