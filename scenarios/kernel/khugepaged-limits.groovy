// What khugepaged leaves alone (mm/khugepaged.c, docs/model.md 3.6). hpage_collapse_scan_pmd() collapses a PMD
// range only when its none PTEs are at most max_ptes_none (default 511: one page is enough; 0: the range
// must be fully populated; each refusal counts thp_scan_exceed_none_pte), and only in VMAs
// thp_vma_allowable_order() allows: a VM_NOHUGEPAGE VMA is never collapsed, even in an mm khugepaged scans.
// MADV_HUGEPAGE on a VMA already faulted registers its mm (hugepage_madvise() -> khugepaged_enter_vma()),
// and the thread, woken because its list was empty, scans at once; after that every scan_sleep_millisecs.
name 'khugepaged-limits'
description 'khugepaged collapses a partly populated range only as max_ptes_none allows, and never a VM_NOHUGEPAGE VMA.'

machine {
    memory 1.GB
}

policy thp()

int RW = PROT_READ | PROT_WRITE, ANON = MAP_PRIVATE | MAP_ANONYMOUS
String KH = 'kernel/mm/transparent_hugepage/khugepaged/'

process('p') {
    assert sysfs(KH + 'max_ptes_none', '512') == -EINVAL    // at most HPAGE_PMD_NR - 1
    assert sysfs(KH + 'pages_to_scan', '0') == -EINVAL
    assert sysfs(KH + 'pages_collapsed', '1') == -EACCES    // read-only
    assert sysfs(KH + 'max_ptes_none', '0') == 0
    assert sysfs(KH + 'scan_sleep_millisecs', '100') == 0

    long a = mmap(0, 4.MB, RW, ANON)
    touch a, 4.MB                                           // no advice yet: 4 KiB pages
    assert madvise(a + 3.MB, 1.MB, MADV_DONTNEED) == 0      // the second range keeps 256 of its 512 pages
    mmap(0, 2.MB, PROT_NONE, ANON)                          // a guard: VMAs with the same flags would merge
    long b = mmap(0, 2.MB, RW, ANON)
    touch b, 2.MB
    assert madvise(b, 2.MB, MADV_NOHUGEPAGE) == 0
    assert smaps(a).AnonHugePages == 0 && smaps(b).AnonHugePages == 0

    assert madvise(a, 4.MB, MADV_HUGEPAGE) == 0             // registers the mm: khugepaged scans
    sleep 1.s
    assert smaps(a).AnonHugePages == 2048                   // the full range only
    assert smaps(a).Rss == 3072
    assert vmstat('thp_scan_exceed_none_pte') > 0
    assert vmstat('thp_collapse_alloc') == 1

    assert sysfs(KH + 'max_ptes_none', '511') == 0
    sleep 1.s
    assert smaps(a).AnonHugePages == 4096                   // 256 pages were enough: the rest is zero-filled
    assert smaps(a).Rss == 4096
    assert vmstat('thp_collapse_alloc') == 2
    assert sysfs(KH + 'pages_collapsed') == 2

    sleep 10.s
    assert smaps(b).AnonHugePages == 0 && smaps(b).Rss == 2048   // VM_NOHUGEPAGE: never
    assert vmstat('thp_collapse_alloc') == 2
    assert sysfs(KH + 'full_scans') > 100                   // every wake scans the whole (small) mm
}

run until: 13.s, sample: 1.s
