// Runs on a stock kernel: hugesim kernel-check replays it on the distribution kernel, where it agrees.
// Scenario S15 (docs/model.md section 6): "nr_hugepages=0, nr_overcommit_hugepages=4: mmap private 4 H
// -> Total 4, Free 4, Rsvd 4, Surp 4; write all -> Free 0, Rsvd 0; munmap -> Total 0, Surp 0. mmap 5 H ->
// ENOMEM."
// Section 2.2: "Surplus: with nr_overcommit_hugepages > 0, a reservation that exceeds free - resv first
// allocates up to the overcommit limit of surplus pages from the buddy allocator (HugePages_Total, Free,
// Surp all rise). Surplus pages go back to the buddy allocator when they are freed or their reservation
// is released." Table 2.2: "fault without reservation | Free -1 if free - resv > 0; else surplus from
// buddy if overcommit allows; else SIGBUS"; "write N to nr_hugepages | ... existing surplus converted to
// persistent first".
// mm/hugetlb.c: hugetlb_acct_memory() -> gather_surplus_pages(); return_unused_surplus_pages();
// alloc_surplus_hugetlb_folio() ("if (h->surplus_huge_pages >= h->nr_overcommit_huge_pages) goto out");
// free_huge_folio(): "else if (h->surplus_huge_pages_node[nid]) { remove_hugetlb_folio(...);
// update_and_free_hugetlb_folio(...) }"; set_max_huge_pages().
name 's15-surplus'
description 'Surplus HugeTLB pages come from the buddy allocator up to nr_overcommit_hugepages and go back when freed.'

machine {
    memory 1.GB
}

policy thp()

long H = 2.MB
int RW = PROT_READ | PROT_WRITE
int HUGE_PRIVATE = MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB
String SIZE_DIR = 'kernel/mm/hugepages/hugepages-2048kB/'

process('surplus') {
    assert sysctl('vm.nr_hugepages') == 0
    assert sysfs(SIZE_DIR + 'nr_overcommit_hugepages', 4) == 0
    assert sysctl('vm.nr_overcommit_hugepages') == 4
    long memFree = meminfo('MemFree')

    long a = mmap(0, 4 * H, RW, HUGE_PRIVATE)
    assert a > 0
    assert meminfo('HugePages_Total') == 4                  // gathered from the buddy allocator at mmap
    assert meminfo('HugePages_Free') == 4
    assert meminfo('HugePages_Rsvd') == 4
    assert meminfo('HugePages_Surp') == 4
    assert sysfs(SIZE_DIR + 'surplus_hugepages') == 4
    assert sysfs(SIZE_DIR + 'nr_hugepages') == 4           // the per-size file reads persistent + surplus
    assert sysctl('vm.nr_hugepages') == 0                   // the persistent pool is still empty
    assert memFree - meminfo('MemFree') == 4 * 2048
    assert meminfo('Hugetlb') == 4 * 2048

    touch a, 4 * H
    assert meminfo('HugePages_Free') == 0
    assert meminfo('HugePages_Rsvd') == 0
    assert meminfo('HugePages_Surp') == 4

    assert munmap(a, 4 * H) == 0
    assert meminfo('HugePages_Total') == 0                  // freed surplus pages leave the pool
    assert meminfo('HugePages_Surp') == 0
    // the touch took the mapping's PMD table from the per-CPU list, which it filled with a batch of 63 pages
    // out of MemFree (rmqueue_bulk()); unmapped, the table went back to the list, outside MemFree
    long onPerCpuList = 63 * 4
    assert meminfo('MemFree') == memFree - onPerCpuList

    assert mmap(0, 5 * H, RW, HUGE_PRIVATE) == -ENOMEM      // 5 > nr_overcommit_hugepages
    // gather_surplus_pages() took 4 pages from the buddy allocator before the 5th was refused, then freed them
    assert vmstat('htlb_buddy_alloc_success') == 8
    assert meminfo('HugePages_Total') == 0                  // nothing gathered is kept
    assert meminfo('MemFree') == memFree - onPerCpuList

    // a reservation released without faults gives its surplus pages back
    long b = mmap(0, 3 * H, RW, HUGE_PRIVATE)
    touch b, H
    assert meminfo('HugePages_Total') == 3 && meminfo('HugePages_Rsvd') == 2
    assert munmap(b, 3 * H) == 0
    assert meminfo('HugePages_Total') == 0 && meminfo('HugePages_Surp') == 0
}

// MAP_NORESERVE: each fault takes a new surplus page until the limit, then SIGBUS
process('noreserve', start: 1.s) {
    long a = mmap(0, 5 * H, RW, HUGE_PRIVATE | MAP_NORESERVE)
    assert a > 0
    assert meminfo('HugePages_Total') == 0                  // nothing reserved, nothing gathered
    touch a, 4 * H
    assert meminfo('HugePages_Total') == 4
    assert meminfo('HugePages_Surp') == 4
    assert meminfo('HugePages_Free') == 0
    touch a + 4 * H, 4.KB                                   // surplus_huge_pages == nr_overcommit: SIGBUS
    assert false : 'the fifth fault must raise SIGBUS'
}

process('persistent', start: 2.s) {
    assert meminfo('HugePages_Total') == 0                  // the killed process's surplus went back
    long a = mmap(0, 2 * H, RW, HUGE_PRIVATE)
    touch a, 2 * H
    assert meminfo('HugePages_Surp') == 2
    // writing nr_hugepages converts existing surplus to persistent first
    assert sysctl('vm.nr_hugepages', 2) == 0
    assert meminfo('HugePages_Total') == 2
    assert meminfo('HugePages_Surp') == 0
    assert munmap(a, 2 * H) == 0
    assert meminfo('HugePages_Total') == 2                  // persistent pages stay in the pool
    assert meminfo('HugePages_Free') == 2
}

run until: 3.s, sample: 1.s
