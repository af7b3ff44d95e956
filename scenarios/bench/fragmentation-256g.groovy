// The engine's fragmentation benchmark: a 256 GiB machine for a day, its memory kept full and churning.
// Eight services of 16 GiB go through a rolling hot upgrade every three hours; beside them a file server
// reads 96 GiB of data files in turn and appends to logs rotated every hour, so the page cache fills what
// the services leave and turns over; a network service's socket buffers and dentries come and go every
// minute, stolen into movable pageblocks. Plain THP must reclaim and compact for its huge pages; the
// others set theirs aside at boot.
name 'fragmentation-256g'
description 'A day on 256 GiB: rolling upgrades beside page-cache and slab churn.'

machine {
    memory 256.GB
    swap 64.GB, write: 2.GBps, read: 3.GBps
    disk 'ssd', read: 2.GBps, write: 1.GBps
}

policies thp(),
         hugetlb(pool: 160.GB),
         reservedThp(reserve: 136.GB, overcommit: true)

long size = 16.GB

(0..<8).each { i ->
    process("svc-${i}", start: (i * 10).min) {
        def heap = mapHuge size
        touch heap, size, rate: 1.GBps
        7.times {
            sleep 2.h
            idle heap, 8.GB                 // half of the heap goes cold
            sleep 1.h - 5.min
            def next = mapHuge size         // the successor maps beside the old heap
            touch next, size, rate: 2.GBps
            munmap heap, size
            heap = next
        }
    }
}

process('files') {
    for (int i = 0; i < 24 * 12; i++) {      // every 5 minutes
        readFile "data-${i % 48}", 2.GB, rate: 500.MBps
        writeFile "log-${(i / 12) as int}", 256.MB, rate: 100.MBps
        if (i % 12 == 11) deleteFile "log-${((i / 12) as int) - 1}"
        sleep 5.min
    }
}

process('net') {
    for (int i = 0; i < 24 * 60; i++) {      // every minute
        kernelAlloc 64.MB, for: (1 + random.nextInt(60)).min
        kernelAlloc 32.MB, reclaimable: true
        sleep 1.min
    }
}

run until: 24.h, sample: 1.s
