// Rule 34 (docs/model.md 1.6): "MADV_COLD, MADV_PAGEOUT, MADV_FREE, MADV_DONTNEED, MADV_DONTNEED_LOCKED on
// a reserved VMA require the per-VMA range to be PMD-aligned at both ends -> otherwise EINVAL. Aligned calls
// behave as in mainline (DONTNEED frees the THP back to the reserved list; quota unchanged)."
// Scenario S12: MADV_PAGEOUT(A+4K, 2M) -> EINVAL; MADV_PAGEOUT(A, 2M) on a faulted THP -> thp_swpout +1,
// pswpout +512, U unchanged. (MADV_DONTNEED_LOCKED, 24, is not in the model.)
// RFC patch 8/8, mm/madvise.c, madvise_vma_behavior():
//     case MADV_COLD:     if (!reserved_thp_madvise_aligned(vma, range)) return -EINVAL;
//     case MADV_PAGEOUT:  if (!reserved_thp_madvise_aligned(vma, range)) return -EINVAL;
//     case MADV_FREE: case MADV_DONTNEED: case MADV_DONTNEED_LOCKED:
//                         if (!reserved_thp_madvise_aligned(vma, range)) return -EINVAL;
name 'rule-34-aligned-advice'
description 'COLD, PAGEOUT, FREE and DONTNEED need PMD-aligned ranges on reserved VMAs; aligned ones work.'

machine {
    memory 1.GB
    swap 64.MB
    cmdline 'thp_reserved_nr=4'
}

policy thp()

process('p') {
    long a = mmap(0, 8.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(a, 8.MB, MADV_RESERVED_THP) == 0
    touch a, 8.MB
    for (int advice in [MADV_COLD, MADV_PAGEOUT, MADV_FREE, MADV_DONTNEED]) {
        assert madvise(a + 4.KB, 2.MB, advice) == -EINVAL
        assert madvise(a, 2.MB + 4.KB, advice) == -EINVAL
        assert madvise(a + 2.MB, 4.KB, advice) == -EINVAL
    }
    assert smaps(a).AnonHugePages == 8192                    // nothing happened
    assert vmstat('pswpout') == 0

    assert madvise(a, 2.MB, MADV_COLD) == 0
    assert madvise(a + 2.MB, 2.MB, MADV_PAGEOUT) == 0
    sleep 1.s                                                // the write completes
    assert vmstat('thp_swpout') == 1
    assert vmstat('pswpout') == 512
    assert madvise(a + 4.MB, 2.MB, MADV_FREE) == 0
    long free = meminfo('MemFree')
    assert madvise(a + 6.MB, 2.MB, MADV_DONTNEED) == 0
    assert meminfo('MemFree') == free + 2048                 // back to the reserved free list
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 4
    assert madvise(a + 6.MB, 2.MB, MADV_POPULATE_WRITE) == 0 // the freed block serves a reserved fault
}

run until: 2.s, sample: 1.s
