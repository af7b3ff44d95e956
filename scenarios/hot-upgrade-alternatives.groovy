// The cover letter's alternatives to a static pool, on the same hot upgrade, with 24 GB of ordinary
// movable memory (page-cache-like, 4 KiB pages) in use by other work on the machine.
// hugetlb_cma lends its unused area to that work and migrates it out when the successor needs pages;
// plain THP reserves nothing and gets huge pages only while free pageblocks last.
name 'hot-upgrade-alternatives'
description 'The hot upgrade under hugetlb_cma and plain THP, beside 24 GB of other movable memory.'

machine {
    memory 64.GB
    swap 32.GB, write: 2.GBps, read: 3.GBps
    migrate 5.GBps
}

policies hugetlbCma(cma: 32.GB),
         thp(),
         reservedThp(reserve: 22.GB, overcommit: true)

process('other-work') {
    long cache = mmap(0, 24.GB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    touch cache, 24.GB                 // 4 KiB pages: THP is not advised here
}

process('old', start: 10.s) {
    def heap = mapHuge 16.GB
    touch heap, 16.GB
    sleep 60.s
    idle heap, 10.GB
    sleep 530.s
    exit()
}

process('new', start: 300.s) {
    def heap = mapHuge 16.GB
    touch heap, 16.GB, rate: 1.GBps
}

run until: 900.s, sample: 1.s
