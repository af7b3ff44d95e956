// Rule 82 (docs/model.md 9), the memPool design: the pool is memcg-aware (Hildenbrand: "anything that's not
// NUMA or memcg aware will be a broken concept"). Every page a pool file reserves or holds is charged to
// memory.pool.current of the cgroup of the process that created the file, before the pool is asked, as
// hugetlb_reserve_pages() charges the hugetlb cgroup first; over memory.pool.max the call fails with ENOMEM,
// memory.pool.events max + 1, and nothing is reserved. The charge goes when the page and its reservation go.
// It is not memory.current, as HugeTLB pages are not (rule 72).
name 'rule-82-memcg'
description 'A pool file\'s reservation is charged to its cgroup\'s memory.pool.current, limited by memory.pool.max.'

machine {
    memory 1.GB
}

policy memPool(size: 32.MB)

process('tenant', cgroup: 'a') {
    assert cgroup('a/memory.pool.max') == 'max'
    assert cgroup('a/memory.pool.max', 8.MB) == 0
    int fd = memfd_create('heap', MFD_POOL)
    assert ftruncate(fd, 12.MB) == -ENOMEM                          // over memory.pool.max
    assert cgroup('a/memory.pool.events').max == 1
    assert meminfo('HugePages_Rsvd') == 0 && cgroup('a/memory.pool.current') == 0
    assert ftruncate(fd, 8.MB) == 0
    assert cgroup('a/memory.pool.current') == 8.MB
    long a = mmap(0, 8.MB, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
    touch a, 8.MB
    assert cgroup('a/memory.pool.current') == 8.MB                 // the pages that took the reservations
    assert cgroup('a/memory.current') == 0                          // not memory.current, as HugeTLB's pages
    assert fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 2.MB) == 0
    assert cgroup('a/memory.pool.current') == 6.MB
    munmap(a, 8.MB)
    close(fd)
    assert cgroup('a/memory.pool.current') == 0 && meminfo('HugePages_Free') == 16
}

run until: 1.s, sample: 1.s
