// A working set larger than RAM, as measured on a Debian 6.1 kernel (640 MiB guest, swap on a disk): a
// 768 MiB MADV_HUGEPAGE region written a quarter at a time, each page once, then read back. The kernel
// finished with no OOM kill, 383 THPs swapped out whole and pgsteal_kswapd about 262,000.
// mm/vmscan.c: order-0 requests below the low watermark wake kswapd (wakeup_kswapd()), which reclaims
// the inactive list's unreferenced tail until free pages are above high (balance_pgdat()); THP faults
// under defrag 'madvise' reclaim directly (__GFP_DIRECT_RECLAIM) and wake no kswapd.
name 'reclaim-kswapd'
description 'A region larger than RAM written once and read back: the LRU ages each quarter out as the next is written.'

machine {
    memory 640.MB
    swap 1.GB
}

policy thp()

int RW = PROT_READ | PROT_WRITE
int ANON = MAP_PRIVATE | MAP_ANONYMOUS

process('p') {
    long a = mmap(0, 768.MB, RW, ANON)
    assert madvise(a, 768.MB, MADV_HUGEPAGE) == 0
    4.times { q -> touch a + q * 192.MB, 192.MB, once: true }   // each page written once, never again
    read a, 768.MB, once: true
    assert vmstat('oom_kill') == 0
    assert vmstat('thp_swpout') >= 380                          // the kernel: 383, whole
    assert vmstat('thp_swpout_fallback') == 0
    assert vmstat('pgsteal_kswapd') > vmstat('pgsteal_direct')  // kswapd does most of it
    assert vmstat('pswpin') == 768.MB / 4.KB                    // every page came back (4 KiB swap-ins)
}

run until: 60.s, sample: 1.s
