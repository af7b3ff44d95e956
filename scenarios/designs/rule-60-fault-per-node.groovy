// Rule 60 (docs/model.md 7.2), the sharedPool design: a reserved THP's fault takes a free pool page that no
// HugeTLB mapping reserved, from the faulting task's node first and then the other nodes in zonelist order,
// as a HugeTLB fault dequeues (mm/hugetlb.c dequeue_hugetlb_folio_nodemask()). The pool is per node
// (hugepages= spreads it round-robin), so unlike the posted code's reserved blocks (rule 50), a node-1 task is
// not left stalling while pages are free on node 0. The page counts where it sits: that node's free_hugepages.
name 'rule-60-fault-per-node'
description 'A reserved THP fault takes the local node\'s pool page first, then another node\'s.'

machine {
    memory 2.GB
    nodes 2
}

policy sharedPool(pool: 16.MB)     // hugepages=8: 4 on each node

String N0 = 'devices/system/node/node0/hugepages/hugepages-2048kB/free_hugepages'
String N1 = 'devices/system/node/node1/hugepages/hugepages-2048kB/free_hugepages'

process('remote', node: 1) {
    assert sysfs(N0) == 4 && sysfs(N1) == 4
    long r = mmap(0, 12.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(r, 12.MB, MADV_RESERVED_THP) == 0
    touch r, 8.MB
    assert sysfs(N1) == 0 && sysfs(N0) == 4                   // the local node's pages first
    touch r + 8.MB, 4.MB
    assert sysfs(N0) == 2                                     // then node 0's, no stall
    assert meminfo('HugePages_Free') == 2 && vmstat('thp_fault_alloc') == 6
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 6
}

run until: 1.s, sample: 1.s
