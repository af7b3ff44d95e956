// The fleet upgrade of scenarios/plans/fleet-upgrade.groovy under each design of the review thread that
// hugesim models (docs/model.md section 7): four 4 GB services upgraded one after another, each successor
// beside its predecessor for two minutes, each predecessor a random share cold.
//
//   hugesim plan scenarios/designs/fleet-upgrade-designs.groovy --minimize reserve
name 'fleet-upgrade-designs'
description 'Under the review thread\'s designs: four 4 GB services upgraded one after another, each at a random time and with a random cold share.'

def reserve = param('reserve', 20.GB)
def services = 4
def heapSize = 4.GB
def slot = 600.s

machine {
    memory 64.GB
    swap 32.GB, write: 2.GBps, read: 3.GBps
}

policies hugetlb(pool: reserve),                          // HugeTLB must hold every successor's heap
         reservedThp(reserve: reserve),                   // the RFC as posted: the quota is charged at madvise
         reservedThp(reserve: reserve, overcommit: true), // the author's plan: cold THPs swap out whole
         reservedThp(reserve: reserve, chargeAt: 'mmap'), // Wilcox: reserve when the mapping is made
         sharedPool(pool: reserve),                       // Wilcox: reserved THPs from HugeTLB's own pool
         sharedPool(pool: reserve, overcommit: true),     // ... with the author's overcommit plan
         zoneNosplit(size: reserve),                      // Yu Zhao's ZONE_NOSPLIT: THP-only, never split
         memPool(size: reserve)                           // Hildenbrand: a per-node pool that files reserve from

sweep reserve: 16.GB..20.GB step 256.MB
replications 80
goal { failedCalls == 0 && stallSeconds <= 1 }

(0..<services).each { int i ->
    // when the upgrade of service i begins, drawn once per replication by the script itself
    long upgradeAt = i * slot.toNanos() + 60_000_000_000L + (long) (random.nextDouble() * 240e9)

    process("svc${i}") {
        def heap = mapHuge heapSize
        touch heap, heapSize
        double cold = 0.25 + 0.5 * random.nextDouble()    // this process's own stream
        sleep 30.s
        idle heap, ((long) (heapSize * cold)).intdiv(2.MB) * 2.MB
        sleep((upgradeAt + 120_000_000_000L - Math.round(now * 1e9)).ns)   // until two minutes after its successor starts
        exit()
    }

    process("svc${i}-new", start: upgradeAt.ns) {
        def heap = mapHuge heapSize
        touch heap, heapSize, rate: 1.GBps
    }
}

run until: 2700.s, sample: 10.s
