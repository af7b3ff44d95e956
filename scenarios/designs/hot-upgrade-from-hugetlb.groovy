// The hot upgrade as a fleet would first meet the sharedPool design (docs/model.md 7.2): the running service
// still maps its 16 GB with MAP_HUGETLB, its successor is built for reserved THPs, and both draw on the one
// HugeTLB pool the machine has always booted (hugepages=), as Wilcox asks: "not jerking sysadmins around". The
// pool serves both; but the old service's cold 10 GB are HugeTLB pages, which nothing swaps, so overcommit
// has no cold reserved THP to reclaim and the successor's faults wait for the old service's exit.
name 'hot-upgrade-from-hugetlb'
description 'A MAP_HUGETLB service hands over to a reserved-THP successor inside one HugeTLB pool.'

def reserve = param('reserve', 22.GB)

machine {
    memory 64.GB
    swap 32.GB, write: 2.GBps, read: 3.GBps
}

policies sharedPool(pool: 32.GB),
         sharedPool(pool: reserve),
         sharedPool(pool: reserve, overcommit: true)

process('old') {
    long heap = mmap(0, 16.GB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB)
    assert heap > 0
    touch heap, 16.GB
    sleep 60.s
    idle heap, 10.GB
    sleep 540.s
    exit()
}

process('new', start: 300.s) {
    def heap = mapHuge 16.GB          // a reserved THP mapping, from the same pool
    touch heap, 16.GB, rate: 1.GBps
}

run until: 900.s, sample: 1.s
