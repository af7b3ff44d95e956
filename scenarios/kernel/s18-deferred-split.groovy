// Scenario S18 (docs/model.md section 6): after munmap of 4 KiB inside a THP, "under pressure later
// thp_split_page +1" - not at once. Section 3.4: "Deferred split (thp_deferred_split_page): counted when a
// THP becomes partially unmapped; the folio is split later by a shrinker under memory pressure." Until
// then the folio stays whole: the unmapped 4 KiB is not freed. A PMD split that leaves every page mapped
// (partial mprotect) does not queue the folio at all.
// mm/rmap.c __folio_remove_rmap(): "if (partially_mapped && ...) deferred_split_folio(folio, true)";
// mm/huge_memory.c deferred_split_folio() counts THP_DEFERRED_SPLIT_PAGE; deferred_split_scan()
// (a shrinker, run by reclaim) calls split_folio(), which counts THP_SPLIT_PAGE.
name 's18-deferred-split'
description 'A partially unmapped THP stays whole until the deferred-split shrinker runs under memory pressure; mprotect queues nothing.'

machine {
    memory 1.GB
}

policy thp()

int RW = PROT_READ | PROT_WRITE
int ANON = MAP_PRIVATE | MAP_ANONYMOUS

process('p') {
    long a = mmap(0, 2.MB, RW, ANON)
    assert madvise(a, 2.MB, MADV_HUGEPAGE) == 0
    touch a, 2.MB
    long memFree = meminfo('MemFree')
    // free memory counting the per-CPU lists (page tables come and go through them, outside MemFree)
    Closure free = { meminfo('MemFree') + zoneinfo().sum { it.pcp_count } * 4 }
    long freeBefore = free()
    assert munmap(a + 1.MB, 4.KB) == 0
    assert vmstat('thp_deferred_split_page') == 1
    assert vmstat('thp_split_page') == 0                    // queued, not split: no memory pressure
    assert meminfo('MemFree') == memFree                    // the 4 KiB stays in the whole folio
    assert madvise(a + 1.MB + 4.KB, 1.MB - 4.KB, MADV_DONTNEED) == 0
    assert vmstat('thp_deferred_split_page') == 1           // queued once
    assert meminfo('MemFree') == memFree                    // half the folio unmapped, all of it in use

    long c = mmap(0, 2.MB, RW, ANON)
    assert madvise(c, 2.MB, MADV_HUGEPAGE) == 0
    touch c, 2.MB
    assert mprotect(c, 4.KB, PROT_READ) == 0
    assert vmstat('thp_split_pmd') == 2
    assert vmstat('thp_deferred_split_page') == 1           // fully mapped by PTEs: not queued
    assert vmstat('thp_split_page') == 0

    // the hog below drives the machine into direct reclaim: the shrinker splits the queued folio and
    // frees its unmapped half; the fully mapped folio c is not on the queue and stays whole
    sleep 1.s
    assert vmstat('allocstall_normal') > 0
    assert vmstat('thp_split_page') == 1
    // c's folio and its deposited page table in use, a's unmapped half free; the hog's tables back on the lists
    assert free() == freeBefore - 2048 - 4 + 1024
}

process('hog', start: 100.ms) {
    long h = mmap(0, 1.GB, RW, ANON)
    assert madvise(h, 1.GB, MADV_NOHUGEPAGE) == 0
    touch h, 1.GB                                           // more than the machine has: the OOM killer ends it
}

run until: 2.s, sample: 1.s
