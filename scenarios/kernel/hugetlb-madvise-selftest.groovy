// Runs on a stock kernel: hugesim kernel-check replays it; 6.1 keeps no reservation after MADV_DONTNEED (README).
// tools/testing/selftests/mm/hugetlb-madvise.c, replayed step by step: the free-page arithmetic it asserts
// around MADV_DONTNEED, fallocate, private and shared mappings of a hugetlbfs file, hole punch and
// MADV_REMOVE (docs/model.md 2.5). It needs 20 free huge pages and uses NR_HUGE_PAGES = 10.
name 'hugetlb-madvise-selftest'
description 'The free-page arithmetic of the kernel selftest hugetlb-madvise.c.'

machine {
    memory 4.GB
    cmdline 'hugepages=20'
}

policy thp()

process('hugetlb-madvise') {
    long free = meminfo('HugePages_Free')
    long n = 10, hps = 2.MB, bps = 4.KB
    def validate = { long expected -> assert meminfo('HugePages_Free') == expected }
    int fd = memfd_create('hugetlb-madvise', MFD_HUGETLB)
    assert fd >= 0

    // validity of MADV_DONTNEED addr and length: nothing is mapped one huge page before and after
    long addr = mmap(0, (n + 2) * hps, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB)
    assert munmap(addr, hps) == 0 && munmap(addr + (n + 1) * hps, hps) == 0
    addr += hps
    touch addr, n * hps
    validate(free - n)
    assert madvise(addr - bps, n * hps, MADV_DONTNEED) != 0        // addr before the mapping fails
    assert madvise(addr, n * hps + bps, MADV_DONTNEED) != 0        // addr + length past it fails
    munmap(addr, n * hps)

    // alignment: an unaligned start fails; the end is aligned down to a huge page
    addr = mmap(0, n * hps, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB)
    touch addr, n * hps
    validate(free - n)
    assert madvise(addr + bps, n * hps - bps, MADV_DONTNEED) != 0
    assert madvise(addr, (n - 1) * hps + bps, MADV_DONTNEED) == 0
    validate(free - 1)                                             // all but the last page
    munmap(addr, n * hps)
    validate(free)

    // anonymous private mapping: DONTNEED frees every page
    addr = mmap(0, n * hps, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB)
    touch addr, n * hps
    validate(free - n)
    assert madvise(addr, n * hps, MADV_DONTNEED) == 0
    validate(free)
    munmap(addr, n * hps)

    // private mapping of a hugetlb file
    assert fallocate(fd, 0, 0, n * hps) == 0
    validate(free - n)
    addr = mmap(0, n * hps, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0)
    read addr, n * hps                                             // reads consume nothing
    validate(free - n)
    assert madvise(addr, n * hps, MADV_DONTNEED) == 0              // frees nothing: page-cache pages
    validate(free - n)
    touch addr, n * hps                                            // writes allocate private pages
    validate(free - 2 * n)
    assert madvise(addr, n * hps, MADV_DONTNEED) == 0              // frees the private pages
    validate(free - n)
    touch addr, n * hps
    validate(free - 2 * n)
    // the hole punch frees the file's pages and, as it always has, the private mapping's pages too
    assert fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, n * hps) == 0
    validate(free)
    munmap(addr, n * hps)

    // shared mapping of a hugetlb file
    assert fallocate(fd, 0, 0, n * hps) == 0
    validate(free - n)
    addr = mmap(0, n * hps, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
    touch addr, n * hps                                            // writes consume nothing more
    validate(free - n)
    assert madvise(addr, n * hps, MADV_DONTNEED) == 0              // frees nothing
    validate(free - n)
    assert madvise(addr, n * hps, MADV_REMOVE) == 0                // a hole punch: frees everything
    validate(free)
    munmap(addr, n * hps)

    // shared and private mappings of the same file
    assert fallocate(fd, 0, 0, n * hps) == 0
    validate(free - n)
    addr = mmap(0, n * hps, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
    touch addr, n * hps
    validate(free - n)
    long addr2 = mmap(0, n * hps, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0)
    read addr2, n * hps
    validate(free - n)
    touch addr2, n * hps
    validate(free - 2 * n)
    assert madvise(addr, n * hps, MADV_DONTNEED) == 0
    validate(free - 2 * n)
    assert madvise(addr2, n * hps, MADV_DONTNEED) == 0
    validate(free - n)
    touch addr2, n * hps
    validate(free - 2 * n)
    assert madvise(addr, n * hps, MADV_REMOVE) == 0                // frees file and private pages
    validate(free)
    munmap(addr, n * hps)
    munmap(addr2, n * hps)
    close(fd)
    assert meminfo('HugePages_Rsvd') == 0
}

run until: 1.s, sample: 1.s
