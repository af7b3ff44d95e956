// Scenario S21 (docs/model.md section 6): "hugepages=16384 (32 GiB). O: mmap private 8192 H, touched ->
// Free 8192, Rsvd 0. N: mmap 8192 H -> Rsvd 8192; touched -> Free 0, Rsvd 0. O exits -> Free 8192 (idle,
// unusable by others). With a 22 GiB pool (11264): N's mmap -> ENOMEM (needs 8192, free - resv = 3072).
// Cold memory cannot help."
// Table 2.2: "mmap MAP_PRIVATE ... n pages | Rsvd += n; ... ENOMEM if not enough"; "first fault on a
// reserved page | Free -1, Rsvd -1"; "private mapping munmap/exit | faulted pages freed (Free +k)".
// Section 1.1: "HugeTLB cannot swap". Free pool pages are allocated pages to the buddy allocator: MemFree
// does not count them.
// mm/hugetlb.c hugetlb_reserve_pages(), hugetlb_acct_memory(); mm/vmscan.c (HugeTLB folios are not on
// the LRU, so reclaim never sees them).
name 's21-static-pool'
description 'A static HugeTLB pool: the successor reserves at mmap; 22 GiB is 3072 pages short; cold pages never swap.'

machine {
    memory 64.GB
    swap 32.GB, write: 2.GBps, read: 3.GBps
}

policies hugetlb(pool: 32.GB),                          // hugepages=16384
         hugetlb(pool: 22.GB)                           // hugepages=11264

long H = 2.MB
int RW = PROT_READ | PROT_WRITE
int HUGE_PRIVATE = MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB

process('old') {
    long pool = meminfo('HugePages_Total')
    long o = mmap(0, 8192 * H, RW, HUGE_PRIVATE)
    assert o > 0
    assert meminfo('HugePages_Rsvd') == 8192
    touch o, 8192 * H
    assert meminfo('HugePages_Free') == pool - 8192
    assert meminfo('HugePages_Rsvd') == 0
    sleep 60.s
    idle o, 5120 * H                                    // 10 GiB goes cold
    sleep 540.s
    exit()
}

process('new', start: 300.s) {
    long pool = meminfo('HugePages_Total')
    assert vmstat('pswpout') == 0                       // 240 s of cold HugeTLB memory: nothing swapped
    assert meminfo('SwapFree') == 32 * 1024 * 1024
    long n = mmap(0, 8192 * H, RW, HUGE_PRIVATE)
    if (pool == 11264) {
        assert n == -ENOMEM                             // free - resv = 3072 < 8192
        assert meminfo('HugePages_Free') == 3072
        assert meminfo('HugePages_Rsvd') == 0
        exit()
    }
    assert pool == 16384
    assert meminfo('HugePages_Rsvd') == 8192
    assert meminfo('HugePages_Free') == 8192
    touch n, 8192 * H, rate: 1.GBps
    assert meminfo('HugePages_Free') == 0
    assert meminfo('HugePages_Rsvd') == 0
}

process('after', start: 700.s) {
    long pool = meminfo('HugePages_Total')
    if (pool == 16384) {
        assert meminfo('HugePages_Free') == 8192        // the old process's pages stay in the pool ...
        // ... and are no free memory for anyone else: MemFree does not count them
        assert meminfo('MemFree') + meminfo('Hugetlb') <= meminfo('MemTotal')
    } else {
        assert meminfo('HugePages_Free') == 11264
    }
    assert meminfo('HugePages_Rsvd') == 0
    assert vmstat('pswpout') == 0
}

run until: 800.s, sample: 1.s
