// The cover letter of the Reserved THP RFC: a 16 GB service starts its 16 GB successor beside it.
// HugeTLB must hold 32 GB for the overlap; 10 GB of the old process is cold by then, so 22 GB would
// do if cold huge pages could be swapped out whole. Four designs, one workload.
name 'hot-upgrade'
description 'A 16 GB service starts its 16 GB successor beside it; 10 GB of the old one is cold.'

def reserve = param('reserve', 22.GB)           // what the RFC's budget sets aside
def coldShare = param('coldShare', 0.625)       // of the old process's 16 GB, the share gone cold: 10 GB
def overlap = param('overlap', 300.s)           // how long old and new run side by side
def device = param('device', 'ssd')             // the swap device: 'ssd' (an NVMe disk), 'hdd' or 'zram'
def release = param('release', 'mainline')      // the kernel followed where releases differ: 'mainline' or '6.1'

machine {
    memory 64.GB
    if (device == 'ssd') swap 32.GB, write: 2.GBps, read: 3.GBps
    else swap 32.GB, device: device             // the device's own rates (docs/model.md 5.1)
    kernel release
}

policies hugetlb(pool: 32.GB),                            // what is deployed today
         hugetlb(pool: reserve),                          // today's mechanism, the RFC's budget
         reservedThp(reserve: reserve),                   // the RFC as posted: quota charged at madvise
         reservedThp(reserve: reserve, overcommit: true)  // the author's plan: cold THPs swap out whole

// hugesim plan scenarios/hot-upgrade.groovy --minimize reserve: the smallest reserve per design
sweep reserve: 16.GB..32.GB step 1.GB
goal { failedCalls == 0 && stallSeconds <= 1 }

process('old') {
    def heap = mapHuge 16.GB          // backed the way the policy backs huge memory
    touch heap, 16.GB
    sleep 60.s
    idle heap, (16.GB * coldShare) as long    // stops being accessed: cold
    sleep 240.s + overlap
    exit()
}

process('new', start: 300.s) {
    def heap = mapHuge 16.GB
    touch heap, 16.GB, rate: 1.GBps
}

run until: 900.s, sample: 1.s
