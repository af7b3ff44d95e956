// Rule 70 (docs/model.md 7.3), the zoneNosplit design: migrate_pages(2) moves a NoSplit THP into the target
// node's NoSplit zone, else into the target's ordinary memory (where it is an ordinary THP from then on); with
// neither, it stays where it is (thp_migration_fail), never split (no thp_migration_split), unlike an ordinary
// THP, which is split and moved page by page (rule 53). Compaction neither scans nor fills the zone's blocks.
name 'rule-70-migration'
description 'migrate_pages moves a NoSplit THP into the target node\'s zone, or leaves it whole.'

machine {
    memory 512.MB
    nodes 2
}

policy zoneNosplit(size: 8.MB)      // 2 blocks on each node

process('p') {
    Closure nosplitFree = { int n -> zoneinfo().find { it.node == n && it.zone == 'NoSplit' }.nr_free_pages }
    long a = mmap(0, 4.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(a, 4.MB, MADV_HUGEPAGE) == 0
    touch a, 4.MB
    assert nosplitFree(0) == 0 && nosplitFree(1) == 1024

    assert migrate_pages(pid, [0], [1]) == 0
    assert vmstat('thp_migration_success') == 2
    assert nosplitFree(0) == 1024 && nosplitFree(1) == 0     // zone to zone

    // node 0's ordinary memory down to its watermark: HugeTLB pages on node 0, then node 0's zone taken
    assert sysfs('devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages', '200') == 0
    long b = mmap(0, 4.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(b, 4.MB, MADV_HUGEPAGE) == 0
    touch b, 4.MB
    assert nosplitFree(0) == 0

    assert migrate_pages(pid, [1], [0]) == 2                 // neither zone nor ordinary memory on node 0
    assert vmstat('thp_migration_fail') == 2 && vmstat('thp_migration_split') == 0
    assert vmstat('thp_split_page') == 0 && smaps(a).AnonHugePages == 8192   // a and b: one VMA, 4 THPs whole
}

run until: 1.s, sample: 1.s
