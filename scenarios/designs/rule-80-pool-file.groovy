// Rule 80 (docs/model.md 9), the memPool design: the pool is consumed through files, not anonymous memory
// (Hildenbrand: reservations "should be file-centric"). memfd_create(name, MFD_POOL) makes a pool file whose
// pages are the pool's PMD-size pages; MFD_POOL with MFD_HUGETLB or a size is EINVAL, as it is on a machine
// without the pool. A pool file is mapped shared only: MAP_PRIVATE is EINVAL, since a private copy would be
// anonymous memory with a reservation of its own. Sizes and offsets are whole huge pages, as on hugetlbfs.
name 'rule-80-pool-file'
description 'memfd_create(MFD_POOL) makes a pool file; it is mapped shared, in whole huge pages.'

machine {
    memory 1.GB
}

policy memPool(size: 16.MB)

process('p') {
    assert memfd_create('x', MFD_POOL | MFD_HUGETLB) == -EINVAL
    int fd = memfd_create('heap', MFD_POOL)
    assert fd >= 0
    assert ftruncate(fd, 3.MB) == -EINVAL                                  // not a whole huge page
    assert ftruncate(fd, 8.MB) == 0
    assert mmap(0, 8.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0) == -EINVAL
    assert mmap(0, 8.MB, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 1.MB) == -EINVAL   // offset inside a page
    long a = mmap(0, 8.MB, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
    assert a > 0 && a % 2.MB == 0
    touch a, 8.MB
    assert smaps(a).Private_Hugetlb == 8192 && smaps(a).AnonHugePages == 0   // the pool's pages, mapped as hugetlbfs maps them
    assert meminfo('HugePages_Free') == 4
}

run until: 1.s, sample: 1.s
