// Our search tier: each node runs one 24 GB index server on HugeTLB today. An upgrade starts the new
// server beside the old one and moves traffic over in 10 minutes; by then 15 GB of the old index is cold.
// Today the nodes boot with a 48 GB pool for that overlap. How small a reserve would do, and under which
// design?
name 'search-upgrade'
description 'A 24 GB index server upgraded in place; 15 GB of the old index is cold during the overlap.'

def reserve = param('reserve', 33.GB)       // 24 GB + the 9 GB of the old index still hot
def cold = param('cold', 15.GB)

machine {
    memory 128.GB
    swap 64.GB, write: 2.GBps, read: 3.GBps
}

policies hugetlb(pool: 48.GB),                            // what the nodes boot with today
         hugetlb(pool: reserve),
         reservedThp(reserve: reserve),                   // the RFC as posted
         reservedThp(reserve: reserve, overcommit: true)  // the RFC's stated plan: cold THPs swap out whole

process('index-old') {
    def index = mapHuge 24.GB
    touch index, 24.GB
    sleep 120.s
    idle index, cold
    sleep 780.s
    exit()
}

process('index-new', start: 300.s) {
    def index = mapHuge 24.GB
    touch index, 24.GB, rate: 2.GBps
}

run until: 1200.s, sample: 1.s
