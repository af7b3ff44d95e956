// Rule 53 (docs/model.md 1.8) [inferred]: "Reserved THP folios are ordinary movable LRU folios; nothing in
// the RFC stops synchronous compaction, NUMA balancing or memory offlining from migrating them into ordinary
// memory." Shown with the user-invoked migration, migrate_pages(2), on two nodes.
// Two reserved THPs faulted on node 0 move to node 1: the copies are ordinary THPs (still PMD-mapped,
// AnonHugePages unchanged), the reserved blocks they leave are free again on node 0, and the quota, which
// is virtual (rule 21), stays charged. The freed reserve then serves only the VMA's own later faults: a new
// reserved VMA is refused (free_hpages = 0) while the blocks sit free, and the VMA ends up holding a
// reserved block and ordinary memory at once.
// mm/mempolicy.c migrate_to_node():
//     struct migration_target_control mtc = {
//             .nid = dest,
//             .gfp_mask = GFP_HIGHUSER_MOVABLE | __GFP_THISNODE,
//             .reason = MR_SYSCALL,
//     };
//     ... migrate_pages(&pagelist, alloc_migration_target, NULL, (unsigned long)&mtc, MIGRATE_SYNC, ...);
// mm/migrate.c alloc_migration_target(): for a large folio gfp_mask |= GFP_TRANSHUGE, order = folio_order(src);
// no __GFP_RESERVED_THP (RFC patch 3/8 adds it only in the fault path), so __rmqueue() never looks at the
// MIGRATE_RESERVED_THP list for the copy. The source folio is freed, and RFC patch 1/8's free path puts a
// page of a reserved pageblock straight back onto the MIGRATE_RESERVED_THP free list (rule 11).
name 'rule-53-migration'
description 'migrate_pages() moves reserved THPs into ordinary memory on another node; their blocks are free, the quota is not.'

machine {
    memory 256.MB
    nodes 2
    cmdline 'thp_reserved_nr=2'
}

policy thp()

process('p') {
    assert zoneinfo()*.nr_reserved_thp == [1024, 0]         // both reserved blocks on node 0 (rule 8)
    long a = mmap(0, 4.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(a, 4.MB, MADV_RESERVED_THP) == 0
    touch a, 4.MB                                           // this task runs on node 0: its faults are local
    assert smaps(a).AnonHugePages == 4096
    assert zoneinfo()*.nr_free_reserved_thp == [0, 0]
    long node1Free = zoneinfo()[1].nr_free_pages
    long memFree = meminfo('MemFree')
    sleep 1.s                                               // sampled at 1 s: 2 reserved blocks resident

    assert migrate_pages(pid, [0], [1]) == 0                // every folio migrated
    assert vmstat('thp_migration_success') == 2
    assert vmstat('pgmigrate_success') == 1024
    assert vmstat('thp_migration_fail') == 0
    assert vmstat('thp_migration_split') == 0
    assert vmstat('pgmigrate_fail') == 0
    assert smaps(a).AnonHugePages == 4096                   // still two PMD-mapped THPs
    assert zoneinfo()[1].nr_free_pages == node1Free - 1024  // now in node 1's ordinary memory
    assert zoneinfo()*.nr_free_reserved_thp == [1024, 0]    // both reserved blocks free again
    assert pagetypeinfo().ReserveTHP == 2                   // and still reserved pageblocks
    assert meminfo('MemFree') == memFree                    // the same memory, counted on another node
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 2 // the quota stays charged (rule 21)
    assert sysfs('kernel/mm/reserved_thp/free_hpages') == 0

    long b = mmap(0, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(b, 2.MB, MADV_RESERVED_THP) == -EAGAIN   // free reserved blocks, no quota to reach them (rule 29)
    assert munmap(b, 2.MB) == 0

    assert migrate_pages(pid, [0], [1]) == 0                // nothing left on node 0
    assert vmstat('thp_migration_success') == 2
    sleep 1.s                                               // sampled at 2 s: none resident, the quota charged

    assert madvise(a, 2.MB, MADV_DONTNEED) == 0             // the first copy goes
    assert zoneinfo()[1].nr_free_pages == node1Free - 512
    touch a, 2.MB                                           // the VMA's own fault takes a freed block
    assert zoneinfo()*.nr_free_reserved_thp == [512, 0]
    assert vmstat('thp_fault_alloc') == 3
    assert smaps(a).AnonHugePages == 4096                   // one THP in the reserve, one in ordinary memory
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 2
}

run until: 3.s, sample: 1.s
