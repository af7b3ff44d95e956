// Runs on a stock kernel (hugesim kernel-check replays it). MADV_COLLAPSE (mm/khugepaged.c madvise_collapse(),
// docs/model.md 3.3): synchronous, whatever transparent_hugepage/enabled says; EINVAL for VM_NOHUGEPAGE; the range
// is clamped inward to PMD windows, and the call returns 0 when it collapsed every window there, so a range whose
// ends round to the same boundary is 0 (0 of 0) and one inside a single window EINVAL (hend - hstart wraps);
// the window's 4 KiB pages are copied into a new THP (thp_collapse_alloc).
name 'madv-collapse'
description 'MADV_COLLAPSE turns PTE-mapped windows into THPs, or says why not.'

machine {
    memory 1.GB
}

policy thp()

int RW = PROT_READ | PROT_WRITE, ANON = MAP_PRIVATE | MAP_ANONYMOUS

process('p') {
    assert sysfs('kernel/mm/transparent_hugepage/enabled', 'never') == 0
    long a = mmap(0, 4.MB, RW, ANON)
    touch a, 4.MB                                             // 4 KiB pages: THP is off
    assert smaps(a).AnonHugePages == 0 && smaps(a).Rss == 4096
    assert madvise(a + 4.KB, 2.MB, MADV_COLLAPSE) == 0        // clamped inward to [a + 2M, a + 2M): 0 of 0
    assert madvise(a + 4.KB, 1.MB, MADV_COLLAPSE) == -EINVAL  // inside one window: hstart > hend
    assert vmstat('thp_collapse_alloc') == 0
    assert madvise(a, 4.MB, MADV_COLLAPSE) == 0               // ignores enabled=never
    assert vmstat('thp_collapse_alloc') == 2
    assert smaps(a).AnonHugePages == 4096 && smaps(a).Rss == 4096
    assert meminfo('AnonPages') == 4096

    mmap(0, 2.MB, PROT_NONE, ANON)                            // a guard: VMAs with the same flags would merge
    long b = mmap(0, 2.MB, RW, ANON)
    assert madvise(b, 2.MB, MADV_NOHUGEPAGE) == 0
    touch b, 2.MB
    assert madvise(b, 2.MB, MADV_COLLAPSE) == -EINVAL         // VM_NOHUGEPAGE
    assert vmstat('thp_collapse_alloc') == 2
}

run until: 1.s, sample: 1.s
