// Rule 71 (docs/model.md 7.3), the zoneNosplit design: khugepaged's collapses and MADV_COLLAPSE allocate as a
// THP fault does, the zone first when users: allows the VMA (rule 66), so 4 KiB pages (a swapped-in NoSplit
// THP's, say) can be collapsed back into the zone. fork shares a NoSplit THP; a write on either side copies that
// side's view into ordinary 4 KiB pages (its PMD split), and the folio stays whole with the other.
name 'rule-71-collapse-fork'
description 'MADV_COLLAPSE takes a NoSplit block; after fork a write copies into ordinary pages and the folio stays whole.'

machine {
    memory 1.GB
}

policy zoneNosplit(size: 4.MB)

process('p') {
    Closure nosplitFree = { zoneinfo().find { it.zone == 'NoSplit' }.nr_free_pages }
    long a = mmap(0, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    touch a, 2.MB                                            // enabled = madvise: 4 KiB pages
    assert meminfo('AnonHugePages') == 0 && nosplitFree() == 1024
    assert madvise(a, 2.MB, MADV_COLLAPSE) == 0              // users: 'any'
    assert vmstat('thp_collapse_alloc') == 1 && nosplitFree() == 512
    assert meminfo('AnonHugePages') == 2048

    long child = fork('child') {
        touch a, 4.KB                                        // the child's write: its own 4 KiB copies
        assert smaps(a).AnonHugePages == 0
        sleep 1.s
    }
    assert child > 0
    sleep 100.ms
    assert smaps(a).AnonHugePages == 2048                    // the parent keeps the whole folio
    assert vmstat('thp_split_page') == 0 && nosplitFree() == 512
    assert munmap(a, 2.MB) == 0
    assert nosplitFree() == 1024
}

run until: 2.s, sample: 1.s
