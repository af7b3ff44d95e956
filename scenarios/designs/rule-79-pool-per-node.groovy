// Rule 79 (docs/model.md 9), the memPool design: Hildenbrand's "global pool that can be consumed by various
// consumers", sized per node. memPool(perNode: [A, B]) boots HugeTLB's own per-node form, hugepages=0:A/2M,1:B/2M
// (mm/hugetlb.c hugepages_setup()), and nothing else: no reserved pageblock, no new boot parameter. The pool
// is a HugeTLB pool (HugePages_Total counts it) and MAP_HUGETLB mappings still take from it: pool files are one
// consumer among others. memPool(size: S) spreads the pool round-robin, as a plain hugepages= does.
name 'rule-79-pool-per-node'
description 'memPool(perNode:) boots HugeTLB\'s per-node pool and nothing else; MAP_HUGETLB still takes from it.'

machine {
    memory 2.GB
    nodes 2
}

policy memPool(perNode: [8.MB, 24.MB])     // hugepages=0:4,1:12

String N0 = 'devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages'
String N1 = 'devices/system/node/node1/hugepages/hugepages-2048kB/nr_hugepages'

process('p') {
    assert sysfs(N0) == 4 && sysfs(N1) == 12
    assert meminfo('HugePages_Total') == 16 && meminfo('HugePages_Free') == 16
    assert sysfs('kernel/mm/reserved_thp/total_hpages') == 0          // no reserved pageblock
    long h = mmap(0, 4.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB)
    assert h > 0 && meminfo('HugePages_Rsvd') == 2                     // HugeTLB is a consumer too
    touch h, 4.MB
    assert meminfo('HugePages_Free') == 14
}

run until: 1.s, sample: 1.s
