// Rule 69 (docs/model.md 7.3), the zoneNosplit design: reclaim and swap. A NoSplit THP goes to swap whole
// (thp_swpout, a free cluster) and its block back to the zone, or not at all: never split first
// (no thp_swpout_fallback). Swap-in is mainline's: 4 KiB ordinary pages, the zone untouched; khugepaged or
// MADV_COLLAPSE can bring the range back into the zone (rule 71). MADV_PAGEOUT of part of a NoSplit THP does
// nothing (split_folio() fails, the range is skipped).
name 'rule-69-swap-whole'
description 'A NoSplit THP is swapped out whole and its block goes back to the zone; swap-in is 4 KiB ordinary pages.'

machine {
    memory 1.GB
    swap 64.MB, device: 'zram'         // a written folio is freed at once
}

policy zoneNosplit(size: 8.MB)

process('p') {
    Closure nosplitFree = { zoneinfo().find { it.zone == 'NoSplit' }.nr_free_pages }
    long a = mmap(0, 8.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(a, 8.MB, MADV_HUGEPAGE) == 0
    touch a, 8.MB
    assert nosplitFree() == 0

    assert madvise(a, 1.MB, MADV_PAGEOUT) == 0               // part of a THP: skipped, not split
    sleep 100.ms
    assert vmstat('pswpout') == 0 && vmstat('thp_split_pmd') == 0 && meminfo('AnonHugePages') == 8192

    assert madvise(a + 2.MB, 4.MB, MADV_PAGEOUT) == 0        // two whole THPs
    sleep 100.ms
    assert vmstat('thp_swpout') == 2 && vmstat('thp_swpout_fallback') == 0 && vmstat('thp_split_page') == 0
    assert nosplitFree() == 1024                             // both blocks back in the zone
    long memFree = meminfo('MemFree')

    read a + 2.MB, 2.MB                                      // swap-in: 4 KiB ordinary pages
    assert vmstat('pswpin') == 512 && meminfo('AnonHugePages') == 4096
    assert meminfo('AnonPages') == 4096 + 2048               // (AnonPages counts THPs too)
    assert nosplitFree() == 1024
}

run until: 1.s, sample: 1.s
