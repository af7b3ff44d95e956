// The hot upgrade on a machine that has been up for hours (docs/model.md 4.6, 4.7, 5.6). The old service
// starts at boot; beside it a file server reads 48 GiB of data files and appends to a log that is rotated
// every half hour, so the page cache fills what memory is left and turns over, and a network service's
// connections come and go, their socket buffers (unmovable) and dentries (reclaimable) stolen into
// movable pageblocks. Three hours on, the successor starts. HugeTLB and Reserved THP set their memory
// aside at boot, before any of this; hugetlb_cma lends its area to the page cache and migrates it out when
// the successor faults; plain THP finds the page cache everywhere and must reclaim and compact for each
// huge page, or fall back.
name 'hot-upgrade-fragmented'
description 'The hot upgrade after three hours of page-cache and slab churn: guarantees against fallback and compaction.'

machine {
    memory 64.GB
    swap 32.GB, write: 2.GBps, read: 3.GBps
    disk 'ssd', read: 2.GBps, write: 1.GBps
    migrate 5.GBps
}

policies hugetlb(pool: 32.GB),
         hugetlbCma(cma: 32.GB),
         thp(),
         reservedThp(reserve: 22.GB, overcommit: true)

process('old') {
    def heap = mapHuge 16.GB
    touch heap, 16.GB
    sleep 2.h
    idle heap, 10.GB                   // cold long before its successor starts
    sleep 1.h + 300.s
    exit()
}

process('files', start: 1.min) {
    for (int i = 0; i < 36; i++) {     // every 5 minutes for three hours
        readFile "data-${i % 24}", 2.GB, rate: 200.MBps
        writeFile 'log', 512.MB, rate: 50.MBps
        if (i % 6 == 5) deleteFile 'log'
        sleep 5.min
    }
}

process('net', start: 1.min) {
    for (int i = 0; i < 180; i++) {    // every minute: buffers for a while, and the dentries they touch
        kernelAlloc 32.MB, for: (1 + random.nextInt(30)).min
        kernelAlloc 16.MB, reclaimable: true
        sleep 1.min
    }
}

process('new', start: 3.h) {
    def heap = mapHuge 16.GB
    touch heap, 16.GB, rate: 1.GBps
}

run until: 3.h + 10.min, sample: 10.s
