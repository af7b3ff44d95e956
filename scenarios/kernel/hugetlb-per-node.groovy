// Runs on a stock kernel: hugesim kernel-check replays it on a two-node guest, where it agrees.
// HugeTLB on a two-node machine, through the per-node files a capacity planner reads and writes:
// /sys/devices/system/node/nodeN/hugepages/hugepages-2048kB/{nr,free,surplus}_hugepages
// (mm/hugetlb_sysfs.c per_node_hstate_attrs; free and surplus are 0444) and nodeN/meminfo's HugePages lines
// (hugetlb_report_node_meminfo()).
// mm/hugetlb.c, __nr_hugepages_store_common(): a node's file restricts the pool change to that node
// (init_nodemask_of_node); set_max_huge_pages(): "count += persistent_huge_pages(h) -
// (h->nr_huge_pages_node[nid] - h->surplus_huge_pages_node[nid])", pages allocated with __GFP_THISNODE
// (alloc_pool_huge_folio), freed from the node's free list (remove_pool_hugetlb_folio), pages in use above
// the count made surplus on the node (adjust_pool_surplus). The global file uses node_states[N_MEMORY] and
// goes round-robin from next_nid_to_alloc.
// A fault takes a free page from the task's node first, then from the next node of its zonelist:
// dequeue_hugetlb_folio_vma() -> huge_node() (default policy: the local node) ->
// dequeue_hugetlb_folio_nodemask() -> dequeue_hugetlb_folio_node_exact(). Reservations are global.
// free_huge_folio(): "else if (h->surplus_huge_pages_node[nid])" the page leaves the pool.
name 'hugetlb-per-node'
description 'Per-node nr_hugepages grows and shrinks one node; faults take the local node\'s free pages first.'

machine {
    memory 8.GB
    nodes 2
    cmdline 'hugepages=0:4,1:2'
}

policy thp()

long H = 2.MB
int RW = PROT_READ | PROT_WRITE
int HUGE_PRIVATE = MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB
String ALL = 'kernel/mm/hugepages/hugepages-2048kB/'
String NODE0 = 'devices/system/node/node0/hugepages/hugepages-2048kB/'
String NODE1 = 'devices/system/node/node1/hugepages/hugepages-2048kB/'

process('planner') {
    assert sysfs(NODE0 + 'nr_hugepages') == 4 && sysfs(NODE1 + 'nr_hugepages') == 2   // hugepages=0:4,1:2
    long memFree = meminfo('MemFree')

    assert sysfs(NODE1 + 'nr_hugepages', 6) == 0          // node 1's count, not the global one
    assert sysfs(NODE1 + 'nr_hugepages') == 6
    assert sysfs(NODE0 + 'nr_hugepages') == 4             // node 0 untouched
    assert sysfs(ALL + 'nr_hugepages') == 10 && meminfo('HugePages_Total') == 10
    assert memFree - meminfo('MemFree') == 4 * 2048       // four new pages, all from node 1
    assert sysfs('devices/system/node/node1/meminfo').readLines()[-3..-1] ==
            ['Node 1 HugePages_Total:     6', 'Node 1 HugePages_Free:      6', 'Node 1 HugePages_Surp:      0']

    assert sysfs(NODE1 + 'free_hugepages', 0) == -EACCES  // 0444
    assert sysfs(NODE1 + 'surplus_hugepages', 0) == -EACCES
    assert sysfs(NODE1 + 'nr_overcommit_hugepages', 1) == -ENOENT   // global only
}

process('worker', start: 1.s, node: 1) {
    long a = mmap(0, 8 * H, RW, HUGE_PRIVATE)
    assert a > 0 && sysfs(ALL + 'resv_hugepages') == 8     // reservations are global

    touch a, 6 * H
    assert sysfs(NODE1 + 'free_hugepages') == 0           // the local node's six first
    assert sysfs(NODE0 + 'free_hugepages') == 4
    touch a + 6 * H, 2 * H
    assert sysfs(NODE0 + 'free_hugepages') == 2           // then node 0's, next on node 1's zonelist

    // shrinking node 1 while its pages are in use: nothing to free there, all six become node 1 surplus
    assert sysfs(NODE1 + 'nr_hugepages', 0) == 0
    assert sysfs(NODE1 + 'nr_hugepages') == 6 && sysfs(NODE1 + 'surplus_hugepages') == 6
    assert sysfs(NODE0 + 'nr_hugepages') == 4 && sysfs(NODE0 + 'surplus_hugepages') == 0
    assert sysctl('vm.nr_hugepages') == 4

    assert munmap(a, 8 * H) == 0
    assert sysfs(NODE1 + 'nr_hugepages') == 0             // node 1's surplus pages left the pool
    assert sysfs(NODE0 + 'nr_hugepages') == 4 && sysfs(NODE0 + 'free_hugepages') == 4
}

process('global', start: 2.s) {
    // the last node write left next_nid_to_alloc on node 1: the four new pages go 1, 0, 1, 0
    assert sysctl('vm.nr_hugepages', 8) == 0
    assert sysfs(NODE0 + 'nr_hugepages') == 6 && sysfs(NODE1 + 'nr_hugepages') == 2
    // shrinking frees round-robin from next_nid_to_free
    assert sysfs(ALL + 'nr_hugepages', 4) == 0
    assert sysfs(NODE0 + 'nr_hugepages') + sysfs(NODE1 + 'nr_hugepages') == 4
}

run until: 3.s, sample: 1.s
