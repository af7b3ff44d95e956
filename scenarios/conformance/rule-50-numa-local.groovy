// Rule 50 (docs/model.md 1.8) [inferred]: "NUMA: with the default local policy and default
// defrag=madvise, a PMD fault in a VMA without VM_HUGEPAGE (reserved VMAs have it cleared) is tried on the
// local node only, without reclaim. Reserved blocks on another node are therefore invisible to that fault
// even when quota remains."
// Two nodes, both filled with reserved blocks at boot (rule 8). A task on node 0 (on a real machine:
// numactl --cpunodebind=0) faulting the whole quota stops with ENOMEM once node 0's blocks are used, while
// node 1's reserved blocks are still free; a task on node 1 then gets exactly those.
// mm/mempolicy.c, alloc_pages_mpol(), for a PMD-order folio under the default policy:
//     page = __alloc_frozen_pages_noprof(gfp | __GFP_THISNODE | __GFP_NORETRY, order, nid, NULL);
//     if (page || !(gfp & __GFP_DIRECT_RECLAIM))
//             return page;
// where vma_thp_gfp_mask() gives GFP_TRANSHUGE_LIGHT (no direct reclaim) for defrag=madvise without
// VM_HUGEPAGE; RFC patch 7/8 only adds __GFP_RESERVED_THP to that mask.
name 'rule-50-numa-local'
description 'A reserved fault on node 0 cannot use free reserved blocks of node 1.'

machine {
    memory 128.MB
    nodes 2
    cmdline 'thp_reserved_nr=100000'
}

policy thp()

process('p') {
    long total = sysfs('kernel/mm/reserved_thp/total_hpages')
    long a = mmap(0, total * 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(a, total * 2.MB, MADV_RESERVED_THP) == 0
    long free = meminfo('MemFree')
    assert madvise(a, total * 2.MB, MADV_POPULATE_WRITE) == -ENOMEM
    long local = smaps(a).AnonHugePages.intdiv(2048)
    assert local > 0 && local < total                       // node 0's blocks only
    // node 1's blocks are still free: MemFree fell by node 0's THPs and the per-CPU batch their page tables came from
    assert meminfo('MemFree') + zoneinfo().sum { it.pcp_count } * 4 == free - local * 2048 - meminfo('PageTables')
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == total
    assert munmap(a + local * 2.MB, (total - local) * 2.MB) == 0   // the quota node 1's task needs
}

process('q', start: 1.s, node: 1) {
    long total = sysfs('kernel/mm/reserved_thp/total_hpages')
    long free = sysfs('kernel/mm/reserved_thp/free_hpages')
    assert free > 0 && free < total
    long b = mmap(0, free * 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(b, free * 2.MB, MADV_RESERVED_THP) == 0
    assert madvise(b, free * 2.MB, MADV_POPULATE_WRITE) == 0  // node 1's blocks, local to this task
    assert smaps(b).AnonHugePages == free * 2048
}

run until: 2.s, sample: 1.s
