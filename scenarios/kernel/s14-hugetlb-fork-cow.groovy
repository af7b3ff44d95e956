// Runs on a stock kernel: hugesim kernel-check replays it on the distribution kernel, where it agrees.
// Scenario S14 (docs/model.md section 6): "nr_hugepages=1, private 1 H, parent writes (Free 0), fork.
// Child writes -> SIGBUS. Alternatively the parent writes first: succeeds by unmapping the page from the
// child; the child then gets SIGBUS on access."
// Section 2.2: "fork of a private mapping: the child gets no reservation map; pages are shared
// copy-on-write. A COW by the child takes a page from free - resv; if none -> SIGBUS. A COW by the owner
// that cannot get a page unmaps the page from the non-owning children (their map gets
// HPAGE_RESV_UNMAPPED) and reuses it; the child later gets SIGBUS on that address."
// mm/hugetlb.c: hugetlb_dup_vma_private() ("For MAP_PRIVATE mappings, this is the reserve map which does
// not apply to children"); hugetlb_wp(): outside_reserve only for the HPAGE_RESV_OWNER, else
// vmf_error(-ENOSPC) = VM_FAULT_SIGBUS; unmap_ref_private(); hugetlb_no_page(): "PID %d killed due to
// inadequate hugepage pool" when HPAGE_RESV_UNMAPPED. __unmap_hugepage_range() restores a reservation only
// under __vma_private_lock(), i.e. for a VMA that has a reserve map: never in a child.
name 's14-hugetlb-fork-cow'
description 'HugeTLB private COW after fork: the child has no reservation; the owner takes the page back.'

machine {
    memory 1.GB
    cmdline 'hugepages=1'
}

policy thp()

long H = 2.MB
int RW = PROT_READ | PROT_WRITE
int HUGE_PRIVATE = MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB

// (a) the child writes first: it has no reservation and free - resv = 0
process('parent-a') {
    long a = mmap(0, H, RW, HUGE_PRIVATE)
    touch a, H
    assert meminfo('HugePages_Free') == 0
    assert meminfo('HugePages_Rsvd') == 0
    assert fork('child-a') {
        touch a, 4.KB                                   // COW needs a page: SIGBUS
        assert false : 'the child COW must raise SIGBUS'
    } > 0
    sleep 1.s
    touch a, 4.KB                                       // the parent keeps its page
    assert smaps(a).Private_Hugetlb == 2048
    assert meminfo('HugePages_Free') == 0
    exit()
}

// (b) the owner writes first: it takes the page back from the child, which later gets SIGBUS
process('parent-b', start: 2.s) {
    assert meminfo('HugePages_Free') == 1
    long a = mmap(0, H, RW, HUGE_PRIVATE)
    touch a, H
    assert fork('child-b') {
        sleep 1.s
        read a, 4.KB                                    // HPAGE_RESV_UNMAPPED: SIGBUS on any access
        assert false : 'the child must get SIGBUS after the owner took the page'
    } > 0
    touch a, 4.KB                                       // owner COW without a free page: unmap_ref_private()
    assert meminfo('HugePages_Free') == 0               // no second page was used
    assert smaps(a).Private_Hugetlb == 2048
    sleep 2.s
    exit()
}

// (c) a child's own COW copy, freed by MADV_DONTNEED, does not become a reservation: the child has no
// reserve map, so the page simply goes back to the pool
process('parent-c', start: 5.s) {
    assert sysctl('vm.nr_hugepages', 2) == 0
    long a = mmap(0, H, RW, HUGE_PRIVATE)
    touch a, H
    assert meminfo('HugePages_Free') == 1
    assert fork('child-c') {
        touch a, 4.KB                                   // COW from free - resv = 1
        assert meminfo('HugePages_Free') == 0
        assert madvise(a, H, MADV_DONTNEED) == 0
        assert meminfo('HugePages_Free') == 1
        assert meminfo('HugePages_Rsvd') == 0
    } > 0
    sleep 1.s
    long b = mmap(0, H, RW, HUGE_PRIVATE)               // free - resv = 1: the free page can be reserved
    assert b > 0
    assert meminfo('HugePages_Rsvd') == 1
}

run until: 7.s, sample: 1.s
