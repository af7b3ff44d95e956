// Runs on a stock kernel (hugesim kernel-check). 4 KiB pages paged out by MADV_PAGEOUT wait in the swap cache
// (shrink_folio_list()) until memory runs short: then reclaim frees them first, written and clean at the
// inactive list's tail. Read back in address order, each fault that misses the swap cache reads its page and
// the swap entries around it in the same page table (swap_vma_readahead(): up to 1 << vm.page-cluster = 8
// pages, the window growing with the hits, mm/swap_state.c); the faults that find a page read ahead are minor
// (swap_ra_hit). So 64 MiB comes back in about one major fault per 8 pages. The guest (6.1) agreed: 2,050
// major faults, 14,334 pages read ahead, each one hit.
name 'swap-readahead'
description '4 KiB pages read back from swap: one major fault reads up to 8 pages (swap_vma_readahead()), the rest are readahead hits.'

machine {
    memory 1.GB
    swap 1.GB
}

policy thp()

int RW = PROT_READ | PROT_WRITE
int ANON = MAP_PRIVATE | MAP_ANONYMOUS

process('p') {
    long a = mmap(0, 64.MB, RW, ANON)
    assert madvise(a, 64.MB, MADV_NOHUGEPAGE) == 0
    touch a, 64.MB, once: true
    assert madvise(a, 64.MB, MADV_PAGEOUT) == 0
    sleep 1.s                                               // the writes complete: 64 MiB waits in the swap cache
    long b = mmap(0, 960.MB, RW, ANON)
    assert madvise(b, 960.MB, MADV_NOHUGEPAGE) == 0
    touch b, 960.MB, once: true                             // memory runs short: reclaim frees the written pages first
    munmap b, 960.MB
    assert meminfo('SwapCached') == 0                       // every page of a is on the device alone
    read a, 64.MB
    assert vmstat('pswpin') == 64.MB / 4.KB                 // every page read from the device
    assert vmstat('pgmajfault') == 2050                     // one request per readahead window
    assert vmstat('swap_ra') == 64.MB / 4.KB - 2050         // the rest came in as readahead
    assert vmstat('swap_ra_hit') == vmstat('swap_ra')       // and each was found by the next faults
    assert meminfo('SwapCached') == 64.MB / 1.KB            // a read keeps them in the swap cache with their slots
}

run until: 30.s, sample: 1.s
