// Rule 81 (docs/model.md 9), the memPool design: a pool file reserves its size. ftruncate reserves the huge
// pages the size gains, all or nothing, before the size changes (ENOSPC when the pool cannot hold them); each
// reservation is held on a node: the caller's (numa: 'local', default) or, with numa: 'preferred', the
// caller's and then the others in zonelist order. Held pages count in HugePages_Rsvd and no other consumer
// may take them. mmap reserves nothing more; shrinking the file returns what lies beyond its new size.
name 'rule-81-reserve-at-size'
description 'ftruncate reserves a pool file\'s size on the caller\'s node; other consumers cannot take it.'

def numa = param('numa', 'local')

machine {
    memory 2.GB
    nodes 2
}

policy memPool(perNode: [8.MB, 8.MB], numa: numa)     // 4 pages on each node

String F0 = 'devices/system/node/node0/hugepages/hugepages-2048kB/free_hugepages'
String F1 = 'devices/system/node/node1/hugepages/hugepages-2048kB/free_hugepages'
int RW = PROT_READ | PROT_WRITE

process('remote', node: 1) {
    int fd = memfd_create('heap', MFD_POOL)
    if (numa == 'local') {
        assert ftruncate(fd, 12.MB) == -ENOSPC                  // 6 pages, node 1 has 4: nothing reserved
        assert meminfo('HugePages_Rsvd') == 0
        assert ftruncate(fd, 8.MB) == 0                         // node 1's 4 pages
        assert meminfo('HugePages_Rsvd') == 4
        // node 1's free pages are held: a MAP_HUGETLB mapping reserves and faults on node 0's
        long h = mmap(0, 8.MB, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB)
        assert h > 0
        touch h, 8.MB
        assert sysfs(F0) == 0 && sysfs(F1) == 4
        assert mmap(0, 2.MB, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB) == -ENOMEM
        long a = mmap(0, 8.MB, RW, MAP_SHARED, fd, 0)
        assert meminfo('HugePages_Rsvd') == 4                   // the mapping reserved nothing more
        touch a, 8.MB
        assert sysfs(F1) == 0 && meminfo('HugePages_Rsvd') == 0
        assert ftruncate(fd, 4.MB) == 0                         // shrinking frees the pages beyond
        assert sysfs(F1) == 2
    } else {
        assert ftruncate(fd, 12.MB) == 0                        // node 1's 4 pages, then 2 of node 0's
        long a = mmap(0, 12.MB, RW, MAP_SHARED, fd, 0)
        touch a, 12.MB
        assert sysfs(F1) == 0 && sysfs(F0) == 2
    }
}

run until: 1.s, sample: 1.s
