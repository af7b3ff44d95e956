// Rule 67 (docs/model.md 7.3), the zoneNosplit design: a folio of ZONE_NOSPLIT is never split. Its PMD may be
// split (thp_split_pmd: mprotect of part of it, MADV_DONTNEED of part) and it is then mapped by PTEs, but it
// stays one folio in its block (thp_split_page never counts it) until its last page is unmapped, when the whole
// block goes back to the zone. The deferred-split shrinker never sees it (no thp_deferred_split_page). An
// ordinary THP beside it, cut the same way, is queued and split when memory runs short.
name 'rule-67-never-split'
description 'A NoSplit folio whose PMD is split stays one folio until its last page goes; an ordinary THP is split.'

machine {
    memory 1.GB
}

policy zoneNosplit(size: 2.MB)      // one block

int RW = PROT_READ | PROT_WRITE
int ANON = MAP_PRIVATE | MAP_ANONYMOUS

process('p') {
    Closure nosplitFree = { zoneinfo().find { it.zone == 'NoSplit' }.nr_free_pages }
    long a = mmap(0, 4.MB, RW, ANON)
    assert madvise(a, 4.MB, MADV_HUGEPAGE) == 0
    touch a, 4.MB                                            // the zone's THP at a, an ordinary one at a + 2 MiB
    assert nosplitFree() == 0 && meminfo('AnonHugePages') == 4096

    assert mprotect(a, 1.MB, PROT_READ) == 0                 // splits the zone THP's PMD
    assert madvise(a + 1.MB, 1.MB, MADV_DONTNEED) == 0       // half of it unmapped
    assert madvise(a + 3.MB, 1.MB, MADV_DONTNEED) == 0       // half of the ordinary THP
    assert vmstat('thp_split_pmd') == 2
    assert vmstat('thp_deferred_split_page') == 1            // the ordinary one only
    long memFree = meminfo('MemFree')

    // the hog below drives the machine into direct reclaim: the shrinker splits the ordinary folio and frees
    // its unmapped half; the zone's folio is on no queue and stays whole
    sleep 1.s
    assert vmstat('allocstall_normal') > 0
    assert vmstat('thp_split_page') == 1
    assert nosplitFree() == 0                                // the zone folio holds its block, half unmapped

    assert munmap(a, 1.MB) == 0                              // its last mapped pages
    assert nosplitFree() == 512                              // the whole block is back in the zone
    assert vmstat('thp_split_page') == 1
}

process('hog', start: 100.ms) {
    long h = mmap(0, 1.GB, RW, ANON)
    assert madvise(h, 1.GB, MADV_NOHUGEPAGE) == 0
    touch h, 1.GB                                           // more than the machine has: the OOM killer ends it
}

run until: 2.s, sample: 1.s
