// transparent_hugepage/enabled=never stops khugepaged (mm/khugepaged.c start_stop_khugepaged():
// the thread runs only while hugepage_pmd_enabled()), and khugepaged_enter_vma() registers no mm while it
// is off. Turning THP back on starts the thread, but an mm is scanned only once registered again: by a
// THP-eligible fault, or MADV_HUGEPAGE on a VMA already faulted (docs/model.md 3.6).
name 'khugepaged-never'
description 'With enabled=never khugepaged collapses nothing; back on, it collapses what is registered again.'

machine {
    memory 1.GB
}

policy thp()

int RW = PROT_READ | PROT_WRITE, ANON = MAP_PRIVATE | MAP_ANONYMOUS
String KH = 'kernel/mm/transparent_hugepage/khugepaged/'

process('p') {
    assert sysfs('kernel/mm/transparent_hugepage/enabled', 'never') == 0
    assert sysfs(KH + 'scan_sleep_millisecs', '100') == 0
    long a = mmap(0, 8.MB, RW, ANON)
    assert madvise(a, 8.MB, MADV_HUGEPAGE) == 0
    touch a, 8.MB                                           // 4 KiB pages: THP is off
    sleep 20.s
    assert smaps(a).AnonHugePages == 0
    assert vmstat('thp_collapse_alloc') == 0 && sysfs(KH + 'full_scans') == 0

    assert sysfs('kernel/mm/transparent_hugepage/enabled', 'madvise') == 0
    sleep 1.s
    assert smaps(a).AnonHugePages == 0                      // the thread runs, the mm is not on its list
    assert madvise(a, 8.MB, MADV_HUGEPAGE) == 0             // registers it
    sleep 1.s
    assert smaps(a).AnonHugePages == 8192
    assert vmstat('thp_collapse_alloc') == 4
}

run until: 23.s, sample: 1.s
