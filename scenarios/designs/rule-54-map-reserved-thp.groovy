// Rule 54 (docs/model.md 7.1), the reservedThp(chargeAt: 'mmap') design: a reserved mapping is made by
// mmap(MAP_PRIVATE|MAP_ANONYMOUS|MAP_RESERVED_THP). Private anonymous only, as MADV_RESERVED_THP (rule 25):
// MAP_SHARED, a file, MAP_HUGETLB or MAP_NORESERVE with it is EINVAL. The length is rounded up to the PMD
// size and the address is PMD-aligned, as MAP_HUGETLB rounds to its huge page size (mm/mmap.c
// ksys_mmap_pgoff(), hugetlb_get_unmapped_area()): a MAP_FIXED address that is not is EINVAL.
// The VMA carries VM_RESERVED_THP (smaps "rt") from the start, and never VM_HUGEPAGE or VM_NOHUGEPAGE.
name 'rule-54-map-reserved-thp'
description 'MAP_RESERVED_THP: private anonymous only, PMD-rounded and aligned, VM_RESERVED_THP from the start.'

machine {
    memory 1.GB
}

policy reservedThp(reserve: 16.MB, chargeAt: 'mmap')

String USED = 'kernel/mm/reserved_thp/used_hpages'
int RW = PROT_READ | PROT_WRITE

process('p') {
    // not private anonymous, or a reservation waived: EINVAL, nothing charged
    assert mmap(0, 2.MB, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_RESERVED_THP) == -EINVAL
    assert mmap(0, 2.MB, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_RESERVED_THP) == -EINVAL
    assert mmap(0, 2.MB, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_RESERVED_THP) == -EINVAL
    int fd = memfd_create('f', MFD_HUGETLB)
    assert ftruncate(fd, 2.MB) == 0
    assert mmap(0, 2.MB, RW, MAP_PRIVATE | MAP_RESERVED_THP, fd, 0) == -EINVAL
    assert sysfs(USED) == 0

    // the length is rounded up to the PMD size and the address is PMD-aligned
    long a = mmap(0, 3.MB, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_RESERVED_THP)
    assert a > 0 && a % 2.MB == 0
    assert smaps(a).Size == 4096
    assert sysfs(USED) == 2
    def flags = smaps(a).VmFlags
    assert flags.contains('rt') && !flags.contains('hg') && !flags.contains('nh')

    // MAP_FIXED at an address that is not PMD-aligned
    assert mmap(a + 4.MB + 4.KB, 2.MB, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_RESERVED_THP) == -EINVAL
    assert sysfs(USED) == 2

    // faults are reserved faults (rules 43-46): PMD order, no zero page for a read
    read a, 2.MB
    touch a + 2.MB, 2.MB
    assert smaps(a).AnonHugePages == 4096
    assert vmstat('thp_fault_alloc') == 2
    assert meminfo('AnonHugePages') == 4096
}

run until: 1.s, sample: 1.s
