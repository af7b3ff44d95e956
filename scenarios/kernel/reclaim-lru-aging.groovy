// LRU aging (mm/vmscan.c shrink_active_list(), shrink_inactive_list(), folio_check_references()): under
// pressure reclaim takes what was not referenced since its last look. A working set (touched, never idle)
// is referenced at every look and survives; an idle range goes first; a lukewarm range, read every 10
// minutes, goes when idle memory is not enough, and its next read brings it back (workingset_refault_anon).
name 'reclaim-lru-aging'
description 'A hot working set survives, idle memory goes first, a lukewarm range next.'

machine {
    memory 4.GB
    swap 4.GB
}

policy thp()

int RW = PROT_READ | PROT_WRITE
int ANON = MAP_PRIVATE | MAP_ANONYMOUS

process('svc') {
    long base = mmap(0, 3.GB + 4.MB, RW, ANON)                   // three VMAs, kept apart by unmapped holes
    assert munmap(base + 1.GB, 2.MB) == 0
    assert munmap(base + 2.GB + 2.MB, 2.MB) == 0
    long hot = base, warm = base + 1.GB + 2.MB, cold = base + 2.GB + 4.MB
    [hot, warm, cold].each { assert madvise(it, 1.GB, MADV_HUGEPAGE) == 0 }
    touch cold, 1.GB
    touch warm, 1.GB, once: true
    touch hot, 1.GB                                             // the working set
    access warm, 1.GB, every: 10.min                             // lukewarm
    idle cold, 1.GB
    sleep 100.s                                                 // the hog came at 60 s
    assert smaps(hot).Swap == 0
    assert smaps(cold).Swap == 1.GB / 1.KB
    assert smaps(warm).Swap > 0 && smaps(warm).Swap < 1.GB / 1.KB
    long refaults = vmstat('workingset_refault_anon')
    sleep 600.s                                                 // the 10-minute read came at 600 s
    assert vmstat('workingset_refault_anon') > refaults
    assert smaps(hot).Swap == 0
}

process('hog', start: 60.s) {
    long a = mmap(0, 2560.MB, RW, ANON)
    touch a, 2560.MB
}

run until: 800.s, sample: 1.s
