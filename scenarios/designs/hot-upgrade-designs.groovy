// The cover letter's hot upgrade (a 16 GB service starts its 16 GB successor beside it; 10 GB of the old
// one is cold) under each design of the review thread that hugesim models (docs/model.md section 7), beside
// today's HugeTLB pool and the RFC as posted, all with the RFC's 22 GB budget.
name 'hot-upgrade-designs'
description 'The hot upgrade under the review thread\'s designs, each with the RFC\'s 22 GB budget.'

def reserve = param('reserve', 22.GB)

machine {
    memory 64.GB
    swap 32.GB, write: 2.GBps, read: 3.GBps
}

policies hugetlb(pool: 32.GB),                             // what is deployed today
         hugetlb(pool: reserve),                           // HugeTLB reserves at mmap
         reservedThp(reserve: reserve),                    // the RFC as posted: charged at madvise
         reservedThp(reserve: reserve, overcommit: true),  // the author's plan: cold THPs swap out whole
         reservedThp(reserve: reserve, chargeAt: 'mmap'),  // Wilcox: reserve when the mapping is made
         sharedPool(pool: reserve),                        // Wilcox: reserved THPs from HugeTLB's own pool
         sharedPool(pool: reserve, overcommit: true),      // ... with the author's overcommit plan
         zoneNosplit(size: reserve),                       // Yu Zhao's ZONE_NOSPLIT: THP-only, never split
         memPool(size: reserve)                            // Hildenbrand: a per-node pool that files reserve from

// hugesim plan scenarios/designs/hot-upgrade-designs.groovy --minimize reserve: the smallest reserve per design
sweep reserve: 16.GB..32.GB step 1.GB
goal { failedCalls == 0 && stallSeconds <= 1 }

process('old') {
    def heap = mapHuge 16.GB
    touch heap, 16.GB
    sleep 60.s
    idle heap, 10.GB
    sleep 540.s
    exit()
}

process('new', start: 300.s) {
    def heap = mapHuge 16.GB
    touch heap, 16.GB, rate: 1.GBps
}

run until: 900.s, sample: 1.s
