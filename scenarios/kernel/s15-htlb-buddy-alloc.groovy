// Runs on a stock kernel: hugesim kernel-check replays it on the distribution kernel, where it agrees.
// Section 2.1 of docs/model.md: "/proc/vmstat: htlb_buddy_alloc_success, htlb_buddy_alloc_fail
// (surplus/pool growth from buddy)". Every 2 MiB HugeTLB page taken from the buddy allocator at run time,
// for the persistent pool (nr_hugepages) or as a surplus page, counts one success; a failed attempt one
// failure.
// mm/hugetlb.c, alloc_buddy_hugetlb_folio():
//     if (!folio) { __count_vm_event(HTLB_BUDDY_PGALLOC_FAIL); return NULL; }
//     __count_vm_event(HTLB_BUDDY_PGALLOC);
// (called by alloc_pool_huge_folio() for set_max_huge_pages() and by alloc_surplus_hugetlb_folio())
name 's15-htlb-buddy-alloc'
description 'htlb_buddy_alloc_success counts pool and surplus pages taken from the buddy allocator.'

machine {
    memory 1.GB
}

policy thp()

long H = 2.MB

process('p') {
    assert vmstat('htlb_buddy_alloc_success') == 0
    assert sysctl('vm.nr_hugepages', 3) == 0
    assert meminfo('HugePages_Total') == 3
    assert vmstat('htlb_buddy_alloc_success') == 3
    assert sysctl('vm.nr_overcommit_hugepages', 4) == 0
    long a = mmap(0, 7 * H, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB)
    assert a > 0
    assert meminfo('HugePages_Surp') == 4
    assert vmstat('htlb_buddy_alloc_success') == 7          // 3 persistent + 4 surplus
    assert vmstat('htlb_buddy_alloc_fail') == 0
}

run until: 1.s, sample: 1.s
