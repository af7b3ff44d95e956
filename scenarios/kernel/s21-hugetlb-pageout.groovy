// Runs on a stock kernel: hugesim kernel-check replays it on the distribution kernel, where it agrees.
// Scenario S21 (docs/model.md section 6): "Cold memory cannot help": a process cannot even ask for its
// cold HugeTLB pages to be reclaimed. MADV_COLD and MADV_PAGEOUT refuse HugeTLB VMAs, and mlocked ones,
// with EINVAL (section 1.1: "HugeTLB cannot swap"; section 5.2: VM_LOCKED pages "are never reclaimed").
// mm/madvise.c:
//     static inline bool can_madv_lru_vma(struct vm_area_struct *vma)
//     {       return !(vma->vm_flags & (VM_LOCKED|VM_PFNMAP|VM_HUGETLB)); }
//     madvise_cold(), madvise_pageout(): if (!can_madv_lru_vma(vma)) return -EINVAL;
name 's21-hugetlb-pageout'
description 'MADV_PAGEOUT and MADV_COLD on HugeTLB or mlocked memory fail with EINVAL; nothing is swapped.'

machine {
    memory 1.GB
    swap 1.GB
    cmdline 'hugepages=8'
}

policy thp()

int RW = PROT_READ | PROT_WRITE

process('p') {
    long h = mmap(0, 8.MB, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB)
    touch h, 8.MB
    assert madvise(h, 8.MB, MADV_PAGEOUT) == -EINVAL
    assert madvise(h, 8.MB, MADV_COLD) == -EINVAL
    long l = mmap(0, 8.MB, RW, MAP_PRIVATE | MAP_ANONYMOUS)
    assert mlock(l, 8.MB) == 0
    assert madvise(l, 8.MB, MADV_PAGEOUT) == -EINVAL
    assert madvise(l, 8.MB, MADV_COLD) == -EINVAL
    sleep 100.ms
    assert vmstat('pswpout') == 0
    assert meminfo('HugePages_Free') == 4               // 8 MiB of the 16 MiB pool stays mapped
}

run until: 1.s, sample: 1.s
