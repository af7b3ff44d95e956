// Rule 84 (docs/model.md 9), the memPool design: a pool file's pages are never reclaimed, swapped or
// migrated, as the model's HugeTLB pages are not; memory the pool holds is set aside until the file lets go
// (its last mapping unmapped and its last descriptor closed, or its size cut). The thread gives the pool no
// swap story, so a cold pool page stays resident: MADV_PAGEOUT refuses the mapping (EINVAL, as for any
// VM_HUGETLB mapping: can_madv_lru_vma()), and reclaim finds nothing to take (memory.reclaim: -EAGAIN).
name 'rule-84-never-reclaimed'
description 'A pool file\'s cold pages are never swapped: the pool holds them until the file lets go.'

machine {
    memory 1.GB
    swap 1.GB
}

policy memPool(size: 16.MB)

process('p', cgroup: 'a') {
    int fd = memfd_create('heap', MFD_POOL)
    assert ftruncate(fd, 16.MB) == 0
    long a = mmap(0, 16.MB, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
    close(fd)
    touch a, 16.MB
    idle a, 16.MB
    assert madvise(a, 16.MB, MADV_PAGEOUT) == -EINVAL
    assert cgroup('a/memory.reclaim', 16.MB) == -EAGAIN
    sleep 1.s
    assert meminfo('HugePages_Free') == 0 && vmstat('pswpout') == 0 && vmstat('thp_swpout') == 0
    assert cgroup('a/memory.pool.current') == 16.MB
    munmap(a, 16.MB)                                            // the last holder: the file goes
    assert meminfo('HugePages_Free') == 8 && meminfo('HugePages_Rsvd') == 0
}

run until: 3.s, sample: 1.s
