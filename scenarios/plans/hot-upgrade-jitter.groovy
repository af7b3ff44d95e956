// The hot upgrade with the successor's start time and touch rate drawn at random, and a reserve 1 GB
// short of what overcommit needs: the successor runs out of cold THPs to swap and stalls until its
// predecessor exits. Replications show how that stall spreads.
//
//   hugesim sweep scenarios/plans/hot-upgrade-jitter.groovy
name 'hot-upgrade-jitter'
description 'The hot upgrade with a random start and touch rate for the successor, 1 GB short of reserve.'

def reserve = param('reserve', 21.GB)

machine {
    memory 64.GB
    swap 32.GB, write: 2.GBps, read: 3.GBps
}

policies hugetlb(pool: 32.GB),
         reservedThp(reserve: reserve, overcommit: true)

replications 30

process('old') {
    def heap = mapHuge 16.GB
    touch heap, 16.GB
    sleep 60.s
    idle heap, 10.GB
    sleep 540.s
    exit()
}

// the start is drawn by the script, the rate by the process: both from the replication's streams
process('new', start: (240 + random.nextInt(121)).s) {
    def heap = mapHuge 16.GB
    double gbps = 0.5 + 1.5 * random.nextDouble()
    touch heap, 16.GB, rate: ((long) (gbps * 1024)).MBps
}

run until: 900.s, sample: 1.s
