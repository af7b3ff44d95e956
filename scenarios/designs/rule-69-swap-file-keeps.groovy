// Rule 69 (docs/model.md 7.3), the zoneNosplit design: where the swap device cannot take a THP whole (a swap
// file; a rotational disk on 6.1; no free cluster left), a NoSplit THP cannot be reclaimed at all: split_folio()
// fails, shrink_folio_list() activates it and scans on. Under memory pressure reclaim swaps out the ordinary
// THP beside it, split first (thp_swpout_fallback), and the NoSplit THP stays resident, however cold.
name 'rule-69-swap-file-keeps'
description 'On a swap file a NoSplit THP cannot be reclaimed; the ordinary THP beside it is split and swapped out.'

machine {
    memory 1.GB
    swap 512.MB, file: true
}

policy zoneNosplit(size: 2.MB)

int RW = PROT_READ | PROT_WRITE
int ANON = MAP_PRIVATE | MAP_ANONYMOUS

process('cold') {
    long a = mmap(0, 4.MB, RW, ANON)
    assert madvise(a, 4.MB, MADV_HUGEPAGE) == 0
    touch a, 4.MB                                            // the zone's THP, then an ordinary one
    idle a, 4.MB
    assert madvise(a, 4.MB, MADV_PAGEOUT) == 0               // no cluster on a swap file
    sleep 100.ms
    assert vmstat('thp_swpout') == 0 && vmstat('thp_swpout_fallback') == 1   // the ordinary THP, split
    assert smaps(a).AnonHugePages == 2048                    // the zone's stays, whole
    sleep 3.s
    assert smaps(a).AnonHugePages == 2048 && smaps(a).Swap == 2048           // through the hog's reclaim too
    assert vmstat('thp_split_page') == 1
}

process('hog', start: 200.ms) {
    long h = mmap(0, 1.GB, RW, ANON)
    assert madvise(h, 1.GB, MADV_NOHUGEPAGE) == 0
    touch h, 1.GB                                            // reclaim swaps the hog's own pages, then OOM
}

run until: 4.s, sample: 1.s
