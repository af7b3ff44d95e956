// Rule 61 (docs/model.md 7.2), the sharedPool design: a pool page mapped as a reserved THP stays the pool's.
// MADV_HUGEPAGE or MADV_NOHUGEPAGE on a reserved range that holds pool pages is EINVAL (it would make a
// HugeTLB page an ordinary, splittable THP and return its charge while the page stays in use, the posted
// code's rule 32 hole); before any fault it returns the charge as rule 31 says. migrate_pages(2) leaves pool
// THPs where they are, as the model's HugeTLB pages (mm/mempolicy.c; a HugeTLB folio would need a page of the
// target node's pool).
name 'rule-61-stays-in-pool'
description 'Pool pages mapped as reserved THPs cannot become ordinary THPs nor migrate.'

machine {
    memory 2.GB
    nodes 2
}

policy sharedPool(pool: 16.MB)

int RW = PROT_READ | PROT_WRITE
String N0 = 'devices/system/node/node0/hugepages/hugepages-2048kB/free_hugepages'

process('p') {
    long r = mmap(0, 8.MB, RW, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(r, 8.MB, MADV_RESERVED_THP) == 0
    // not faulted yet: the switch returns the charge (rule 31)
    assert madvise(r + 6.MB, 2.MB, MADV_HUGEPAGE) == 0
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 3
    touch r, 4.MB
    assert sysfs(N0) == 2
    assert madvise(r, 2.MB, MADV_HUGEPAGE) == -EINVAL
    assert madvise(r, 4.MB, MADV_NOHUGEPAGE) == -EINVAL
    assert smaps(r).VmFlags.contains('rt') && sysfs('kernel/mm/reserved_thp/used_hpages') == 3
    assert migrate_pages(0, [0], [1]) == 0                    // nothing queued: nothing left behind
    assert sysfs(N0) == 2 && vmstat('thp_migration_success') == 0
}

run until: 1.s, sample: 1.s
