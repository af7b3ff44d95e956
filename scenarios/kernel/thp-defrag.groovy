// THP defrag modes (docs/model.md 3.1): "always (direct reclaim + compaction on fault), defer (wake
// kswapd/kcompactd, fail fast), defer+madvise (direct for MADV_HUGEPAGE regions, defer otherwise), madvise
// (default; direct only for MADV_HUGEPAGE regions, otherwise no reclaim at all), never."
// mm/huge_memory.c vma_thp_gfp_mask(): __GFP_DIRECT_RECLAIM for defrag=always, and for VM_HUGEPAGE VMAs
// with madvise and defer+madvise; __GFP_KSWAPD_RECLAIM for defer, and for defer+madvise outside them. mm/page_alloc.c __alloc_pages_slowpath(): a costly order gets one round
// of reclaim (and compaction) and one more attempt, then fails: thp_fault_fallback, 4 KiB pages.
// The machine is filled with cold THPs so that no pageblock is free; each phase faults one 2 MiB window.
name 'thp-defrag'
description 'Which THP faults reclaim before falling back: defrag always, madvise, defer+madvise, defer, never.'

machine {
    memory 1.GB
    swap 1.GB, write: 1.GBps, read: 1.GBps
}

policy thp()

int RW = PROT_READ | PROT_WRITE
int ANON = MAP_PRIVATE | MAP_ANONYMOUS

process('old') {
    assert sysfs('kernel/mm/transparent_hugepage/enabled', 'always') == 0
    def z = zoneinfo()[0]
    // THPs pass the order-9 watermark check while free − 511 > min: take every one that fits with its page
    // table (a page of a per-CPU batch of 63, which must pass min too)
    long n = (z.nr_free_pages - z.min - 512 - 63).intdiv(513) + 1
    long o = mmap(0, n * 2.MB, RW, ANON)
    touch o, n * 2.MB
    assert vmstat('thp_fault_alloc') == n && vmstat('thp_fault_fallback') == 0
    idle o, n * 2.MB                                        // all of it cold: reclaim may take it
    sleep 10.s
}

process('new', start: 1.s) {
    long fallback = vmstat('thp_fault_fallback'), alloc = vmstat('thp_fault_alloc'), stall = vmstat('allocstall_normal')

    // fills 2 MiB with 4 KiB pages, so that the next THP finds no free pageblock again
    def fill4k = {
        long f = mmap(0, 2.MB, RW, ANON)
        assert madvise(f, 2.MB, MADV_NOHUGEPAGE) == 0
        touch f, 2.MB
    }
    // kswapd, woken by the 4 KiB fallbacks, frees memory up to high in the background: each phase first
    // fills free memory back to less than a pageblock above min, so that its THP finds no room again
    def fillToMin = {
        def z = zoneinfo()[0]
        while (z.nr_free_pages - z.min > 511) {
            fill4k()
            z = zoneinfo()[0]
        }
    }
    // one 2 MiB window, advised or not; returns whether it got a THP
    def fault = { boolean advised ->
        fillToMin()
        long a = mmap(0, 2.MB, RW, ANON)
        if (advised) assert madvise(a, 2.MB, MADV_HUGEPAGE) == 0
        touch a, 2.MB
        smaps(a).AnonHugePages == 2048
    }

    // madvise (the default) without MADV_HUGEPAGE: no direct reclaim for the THP, it falls back at once
    assert !fault(false)
    assert vmstat('thp_fault_fallback') == fallback + 1
    assert vmstat('allocstall_normal') == stall + 1         // the 4 KiB pages reclaimed, not the THP

    // never: the same for an advised region
    assert sysfs('kernel/mm/transparent_hugepage/defrag', 'never') == 0
    assert !fault(true)
    assert vmstat('thp_fault_fallback') == fallback + 2
    assert vmstat('allocstall_normal') == stall + 2

    // defer: fail fast too (__GFP_KSWAPD_RECLAIM: kswapd is woken for order 9, kcompactd after it; the fault waits for neither)
    assert sysfs('kernel/mm/transparent_hugepage/defrag', 'defer') == 0
    assert !fault(true)
    assert vmstat('thp_fault_fallback') == fallback + 3
    assert vmstat('allocstall_normal') == stall + 3

    // madvise: an advised region reclaims, then gets its THP
    assert sysfs('kernel/mm/transparent_hugepage/defrag', 'madvise') == 0
    assert fault(true)
    assert vmstat('thp_fault_alloc') == alloc + 1 && vmstat('thp_fault_fallback') == fallback + 3
    assert vmstat('allocstall_normal') == stall + 4

    // defer+madvise: advised regions reclaim, others do not
    assert sysfs('kernel/mm/transparent_hugepage/defrag', 'defer+madvise') == 0
    fill4k()
    assert !fault(false)
    assert vmstat('thp_fault_fallback') == fallback + 4
    assert fault(true)
    assert vmstat('thp_fault_alloc') == alloc + 2

    // always: every region reclaims
    assert sysfs('kernel/mm/transparent_hugepage/defrag', 'always') == 0
    fill4k()
    assert fault(false)
    assert vmstat('thp_fault_alloc') == alloc + 3 && vmstat('thp_fault_fallback') == fallback + 4
}

run until: 12.s, sample: 1.s
