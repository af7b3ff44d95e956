// Rule 83 (docs/model.md 9), the memPool design: a fault of a pool mapping maps the file's page, taken from
// the node its reservation is held on, so it cannot fail within the file's size: the stall of rule 50 (blocks
// free on node 0, a node-1 fault waiting) cannot happen. Beyond the size, SIGBUS, as on hugetlbfs. An index
// whose page and reservation were punched out is charged again and takes a free page no node holds, local
// node first (SIGBUS if there is none). fork shares the mapping and its pages with the child.
name 'rule-83-fault'
description 'A pool file\'s fault takes the page held on its reservation\'s node; fork shares the pages.'

machine {
    memory 2.GB
    nodes 2
}

policy memPool(perNode: [4.MB, 4.MB])

String F0 = 'devices/system/node/node0/hugepages/hugepages-2048kB/free_hugepages'
String F1 = 'devices/system/node/node1/hugepages/hugepages-2048kB/free_hugepages'

process('remote', node: 1) {
    int fd = memfd_create('heap', MFD_POOL)
    assert ftruncate(fd, 4.MB) == 0
    long a = mmap(0, 4.MB, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
    touch a, 4.MB
    assert sysfs(F1) == 0 && sysfs(F0) == 2                      // node 1's pages, held for the file
    assert fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 2.MB) == 0
    assert sysfs(F1) == 1
    fork('child') {
        touch a + 2.MB, 2.MB                                     // the parent's page: nothing allocated
        assert sysfs(F1) == 1
        touch a, 2.MB                                            // the hole: an unheld page, node 1's first
        assert sysfs(F1) == 0 && meminfo('HugePages_Free') == 2
    }
    sleep 1.s
    assert meminfo('HugePages_Free') == 2                        // the child's page is the file's
}

run until: 3.s, sample: 1.s
