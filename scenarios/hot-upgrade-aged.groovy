// The hot upgrade of the cover letter, with nothing marked idle: the old service writes its 16 GB once and
// goes on reading its 6 GB working set every second; the other 10 GB is simply never read again. Whether
// that 10 GB is cold is for the LRU to find out (mm/vmscan.c folio_check_references(), docs/model.md 5.2):
// a reserved THP fault with no free reserved block reclaims, and reclaim takes the folios not accessed
// since its last look. Under the author's overcommit plan the LRU ages out the same 10 GB the script of
// hot-upgrade.groovy marks idle, and the successor fits in 22 GB.
name 'hot-upgrade-aged'
description 'The hot upgrade with the cold 10 GB found by LRU aging rather than marked idle.'

def reserve = param('reserve', 22.GB)
def hot = param('hot', 6.GB)                    // what the old service goes on reading

machine {
    memory 64.GB
    swap 32.GB, write: 2.GBps, read: 3.GBps
}

policies hugetlb(pool: 32.GB),
         reservedThp(reserve: reserve),
         reservedThp(reserve: reserve, overcommit: true)

process('old') {
    def heap = mapHuge 16.GB
    touch heap, 16.GB, once: true                 // written once
    access heap + 16.GB - hot, hot, every: 1.s     // the working set, read every second
    sleep 600.s
    exit()
}

process('new', start: 300.s) {
    def heap = mapHuge 16.GB
    touch heap, 16.GB, rate: 1.GBps
}

run until: 900.s, sample: 1.s
