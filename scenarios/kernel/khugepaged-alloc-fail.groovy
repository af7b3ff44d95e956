// khugepaged when its THP allocation fails (mm/khugepaged.c, docs/model.md 3.6): alloc_charge_folio() counts
// thp_collapse_alloc_failed, and khugepaged_do_scan() sleeps alloc_sleep_millisecs (default 60000: "during
// fragmentation poll the hugepage allocator once every minute") before it goes on with the next range; memory
// freed meanwhile does not wake it. A HugeTLB pool takes every free pageblock, so that neither the free lists,
// nor compaction (compaction_suitable() finds too little free), nor reclaim (nothing is cold, no swap) can
// give khugepaged/defrag's GFP_TRANSHUGE allocation a THP.
name 'khugepaged-alloc-fail'
description 'A failed collapse allocation counts thp_collapse_alloc_failed and makes khugepaged wait alloc_sleep_millisecs.'

machine {
    memory 512.MB
}

policy thp()

int RW = PROT_READ | PROT_WRITE, ANON = MAP_PRIVATE | MAP_ANONYMOUS
String KH = 'kernel/mm/transparent_hugepage/khugepaged/'

process('p') {
    assert sysfs(KH + 'alloc_sleep_millisecs') == 60000 && sysfs(KH + 'defrag') == 1
    assert sysfs(KH + 'scan_sleep_millisecs', '100') == 0
    long a = mmap(0, 4.MB, RW, ANON)
    touch a, 4.MB                                           // 4 KiB pages in two PMD ranges
    sysctl 'vm.nr_hugepages', 1000                          // every free pageblock the pool can take
    assert meminfo('HugePages_Total') > 200

    assert madvise(a, 4.MB, MADV_HUGEPAGE) == 0             // registers the mm: khugepaged scans at once
    assert vmstat('thp_collapse_alloc_failed') == 1
    sleep 1.s
    sysctl 'vm.nr_hugepages', 0                             // memory is back; khugepaged sleeps on
    sleep 58.s
    assert smaps(a).AnonHugePages == 0
    assert vmstat('thp_collapse_alloc_failed') == 1 && vmstat('thp_collapse_alloc') == 0

    sleep 2.s                                               // 61 s: the allocation sleep ended at 60 s
    assert smaps(a).AnonHugePages == 4096                   // the next range at once, the failed one a scan later
    assert vmstat('thp_collapse_alloc') == 2 && vmstat('thp_collapse_alloc_failed') == 1
}

run until: 62.s, sample: 1.s
