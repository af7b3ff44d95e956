// The engine's size benchmark: 64 services on a 1 TiB machine hold 900 GiB of huge memory for a day.
// Every service goes through four hot upgrades, staggered five minutes apart: the successor maps and
// touches its heap beside the old one, then the old heap goes. Under Reserved THP with overcommit the
// 905 GiB reserve leaves 5 GiB of headroom, so each upgrade swaps cold THPs of the fleet out whole.
name 'fleet-1tib'
description '64 services, 900 GiB of huge memory on 1 TiB, four rolling hot upgrades each over a day.'

machine {
    memory 1.TB
    swap 256.GB, write: 4.GBps, read: 4.GBps
}

policies thp(),
         hugetlb(pool: 960.GB),
         reservedThp(reserve: 905.GB, overcommit: true)

long size = 14400.MB        // 64 x 14400 MiB = 900 GiB

(0..<64).each { i ->
    process("svc-${i}", start: (i * 5).min) {
        def heap = mapHuge size
        touch heap, size, rate: 1.GBps
        4.times {
            sleep 3.h
            idle heap, 6.GB                 // part of the heap goes cold
            sleep 2.h
            def next = mapHuge size         // the successor maps beside the old heap
            touch next, size, rate: 2.GBps
            munmap heap, size               // and the old instance's heap goes
            heap = next
        }
    }
}

run until: 24.h, sample: 1.s
