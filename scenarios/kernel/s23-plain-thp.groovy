// Scenario S23 (docs/model.md section 6): "No reservation ... N faults 8192 H: succeeds as THP only
// while order-9 blocks exist or compaction wins; the rest fall back (thp_fault_fallback). Reclaiming O's
// cold 10 GiB works (swap) ... and O's later accesses swap in 4 KiB pages." Scaled down to 1 GiB: other
// work fills all but 384 MiB of MemTotal with 4 KiB pages, O holds 64 THPs of which 48 go cold, N wants 128 THPs.
// defrag=never, so that THP faults neither reclaim nor compact: they fall back as soon as no free
// pageblock passes the watermark (section 3.1; vma_thp_gfp_mask() gives GFP_TRANSHUGE_LIGHT).
// Section 3.2 (3): "failure -> thp_fault_fallback and the fault is retried with 4 KiB pages". Section 5.1:
// "A PMD THP is swapped out whole only if a completely free cluster is available, the swap area is a
// block device ... Whole-THP swap-out: thp_swpout +1, pswpout +512"; "A 2 MiB THP is never swapped in
// as one folio in mainline." The 4 KiB fallback faults reclaim O's cold THPs (order-0 allocations do
// direct reclaim).
// mm/huge_memory.c vma_thp_gfp_mask(), do_huge_pmd_anonymous_page() (count_vm_event(THP_FAULT_FALLBACK));
// mm/vmscan.c shrink_folio_list(); mm/swapfile.c folio_alloc_swap(); mm/memory.c do_swap_page().
// Where exactly the fallback starts: s23-thp-min-watermark.groovy.
name 's23-plain-thp'
description 'Plain THP: huge pages while free pageblocks last, then 4 KiB fallback; cold THPs swap out whole and come back as 4 KiB pages.'

machine {
    memory 1.GB
    swap 1.GB, write: 1.GBps, read: 1.GBps
}

policy thp()

int RW = PROT_READ | PROT_WRITE
int ANON = MAP_PRIVATE | MAP_ANONYMOUS

process('other') {
    // 640 MiB of 1 GiB; the kernel keeps 63 MiB of its own, so other work leaves O and N the same 384 MiB
    long len = (meminfo('MemTotal') * 1024 - 384.MB).intdiv(2.MB) * 2.MB
    long a = mmap(0, len, RW, ANON)
    touch a, len                                        // 4 KiB pages: no advice under "madvise"
    assert vmstat('thp_fault_alloc') == 0
}

process('old', start: 1.s) {
    assert sysfs('kernel/mm/transparent_hugepage/defrag', 'never') == 0
    long o = mmap(0, 128.MB, RW, ANON)
    assert madvise(o, 128.MB, MADV_HUGEPAGE) == 0
    touch o, 128.MB
    assert vmstat('thp_fault_alloc') == 64
    assert smaps(o).AnonHugePages == 128 * 1024
    sleep 1.s
    idle o + 32.MB, 96.MB                               // 48 THPs go cold
    sleep 10.s

    // O touches its cold memory again: what was swapped out comes back as 4 KiB pages
    long swapped = vmstat('thp_swpout')
    long allocs = vmstat('thp_fault_alloc')
    assert swapped >= 1 && swapped <= 48
    assert smaps(o).Swap == swapped * 2048
    long cached = meminfo('SwapCached') / 4             // written, not yet freed: swap-cache hits, no read
    touch o, 128.MB
    assert vmstat('pswpin') == swapped * 512 - cached
    assert smaps(o).Swap == 0
    assert smaps(o).Rss == 128 * 1024
    assert smaps(o).AnonHugePages == (64 - swapped) * 2048
    assert vmstat('thp_fault_alloc') == allocs          // swap-in never allocates a THP
}

process('new', start: 5.s) {
    long n = mmap(0, 256.MB, RW, ANON)
    assert madvise(n, 256.MB, MADV_HUGEPAGE) == 0
    touch n, 256.MB
    long huge = vmstat('thp_fault_alloc') - 64
    long fallback = vmstat('thp_fault_fallback')
    assert fallback > 0 && huge > 0 && huge < 128       // (one attempt per window: s23-fallback-once.groovy)
    assert smaps(n).AnonHugePages == huge * 2048
    assert smaps(n).Rss == 256 * 1024                   // every fallback window got its 4 KiB pages
    // the 4 KiB fallback faults reclaimed O's cold THPs, whole: the swap device has free clusters
    assert vmstat('thp_swpout') >= 1
    assert vmstat('thp_swpout_fallback') == 0
    assert vmstat('pswpout') == vmstat('thp_swpout') * 512
    sleep 1.s
    exit()
}

run until: 15.s, sample: 100.ms
