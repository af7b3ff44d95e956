// Rule 68 (docs/model.md 7.3), the zoneNosplit design: a partial munmap or MADV_DONTNEED of a NoSplit THP
// splits its PMD and leaves the folio whole, its unmapped pages still in use (the price of never splitting:
// no shrinker gives them back), until the last page is unmapped. A fault into the unmapped part maps pages again
// (the model maps the folio's own pages back, where the kernel maps new 4 KiB pages and leaves the folio's
// unused). An mremap that moves such a folio to windows that do not line up is refused in the model (EINVAL),
// which cannot move the folio's pages without splitting it; a PMD-aligned move takes it whole.
name 'rule-68-partial-unmap'
description 'A partly unmapped NoSplit THP keeps all its pages until the last is unmapped; no deferred split.'

machine {
    memory 1.GB
}

policy zoneNosplit(size: 4.MB)

int RW = PROT_READ | PROT_WRITE
int ANON = MAP_PRIVATE | MAP_ANONYMOUS

process('p') {
    Closure nosplitFree = { zoneinfo().find { it.zone == 'NoSplit' }.nr_free_pages }
    long a = mmap(0, 2.MB, RW, ANON)
    assert madvise(a, 2.MB, MADV_HUGEPAGE) == 0
    touch a, 2.MB
    long memFree = meminfo('MemFree')
    assert munmap(a + 1.MB, 1.MB) == 0                       // the VMA's top half
    assert madvise(a, 256.KB, MADV_DONTNEED) == 0            // and 64 pages at its start
    assert vmstat('thp_split_pmd') == 1 && vmstat('thp_deferred_split_page') == 0
    assert meminfo('MemFree') == memFree                     // every page of the folio still in use
    assert meminfo('AnonPages') == (1.MB - 256.KB) / 1.KB    // 192 pages mapped by PTEs
    assert nosplitFree() == 512

    touch a, 1.MB                                            // a fault into the hole at the start
    assert meminfo('AnonPages') == 1024 && meminfo('MemFree') == memFree
    assert vmstat('thp_split_page') == 0

    long b = mremap(a, 1.MB, 1.MB, MREMAP_MAYMOVE | MREMAP_FIXED, a + 8.MB + 4.KB)
    assert b == -EINVAL                                      // windows that do not line up (model)
    assert mremap(a, 1.MB, 1.MB, MREMAP_MAYMOVE | MREMAP_FIXED, a + 8.MB) == a + 8.MB   // PMD-aligned: whole

    assert munmap(a + 8.MB, 1.MB) == 0                       // the last pages
    assert nosplitFree() == 1024 && meminfo('MemFree') == memFree + 2048
}

run until: 1.s, sample: 1.s
