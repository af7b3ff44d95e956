// docs/model.md rule 72: what the memory controller charges. Anonymous faults (a THP whole, 4 KiB pages), the
// page cache a process reads, and pages in the swap cache are charged to the process's cgroup (memory.current,
// memory.stat); HugeTLB pages are not (they go to the hugetlb controller); freeing uncharges.
name 'rule-72-charge'
description 'Faults and the page cache charge memory.current; HugeTLB pages do not.'

machine {
    memory 1.GB
    cmdline 'hugepages=4'
}

policy thp()

int RW = PROT_READ | PROT_WRITE
int ANON = MAP_PRIVATE | MAP_ANONYMOUS

process('svc', cgroup: 'svc') {
    assert cgroup('svc/memory.current') == 0
    assert cgroup('svc/memory.max') == 'max'
    long thp = mmap(0, 4.MB, RW, ANON)
    assert madvise(thp, 4.MB, MADV_HUGEPAGE) == 0
    touch thp, 4.MB
    long small = mmap(0, 2.MB, RW, ANON)
    touch small, 2.MB
    Map stat = cgroup('svc/memory.stat')
    assert stat.anon == 6.MB
    assert stat.anon_thp == 4.MB
    assert stat.thp_fault_alloc == 2
    assert cgroup('svc/memory.current') == 6.MB
    readFile 'data', 4.MB
    assert cgroup('svc/memory.stat').file == 4.MB              // the page cache the cgroup read
    assert cgroup('svc/memory.current') == 10.MB
    long huge = mmap(0, 2 * 2.MB, RW, ANON | MAP_HUGETLB)
    touch huge, 2 * 2.MB
    assert cgroup('svc/hugetlb.2MB.current') == 2 * 2.MB       // HugeTLB: the hugetlb controller's
    assert cgroup('svc/memory.current') == 10.MB               // not memory.current
    assert munmap(thp, 4.MB) == 0
    assert munmap(small, 2.MB) == 0
    assert cgroup('svc/memory.current') == 4.MB
    assert deleteFile('data') == 0
    assert cgroup('svc/memory.current') == 0
}

run until: 2.s, sample: 1.s
