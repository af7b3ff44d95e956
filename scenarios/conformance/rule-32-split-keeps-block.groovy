// Rule 32 (docs/model.md 1.6) [inferred]: "Folios already faulted into a range that is switched away stay
// mapped and keep occupying reserved pageblocks while their quota has been returned."
// They keep occupying them when cut, too: once the range is no longer reserved a partial munmap is allowed,
// and the THP is split where it lies (its PMD at once, the folio by the deferred split). Its remaining
// 511 pages stay in the reserved pageblock, so no reserved fault can have the block until they are freed;
// then the whole block is free on the RESERVED_THP list again (rule 11).
// mm/huge_memory.c: __split_huge_pmd() remaps the same folio with PTEs; deferred_split_folio() queues it,
// split_folio() later turns it into order-0 pages in place: nothing is migrated. RFC patch 1/8,
// free_unref_folios(): pages of a MIGRATE_RESERVED_THP block are freed with free_one_page() to that list.
name 'rule-32-split-keeps-block'
description 'A switched-away reserved THP cut by munmap keeps its reserved block until all its pages are freed.'

machine {
    memory 1.GB
    cmdline 'thp_reserved_nr=1'
}

policy thp()

process('p') {
    long a = mmap(0, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(a, 2.MB, MADV_RESERVED_THP) == 0
    touch a, 2.MB                                           // the one reserved block holds a's THP
    assert madvise(a, 2.MB, MADV_HUGEPAGE) == 0             // quota back (rule 31), THP stays (rule 32)
    assert munmap(a, 4.KB) == 0                             // no longer reserved: the split is allowed
    assert smaps(a + 4.KB).AnonHugePages == 0
    long b = mmap(0, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(b, 2.MB, MADV_RESERVED_THP) == 0
    assert madvise(b, 2.MB, MADV_POPULATE_WRITE) == -ENOMEM // a's 511 pages still fill the block
    assert munmap(a + 4.KB, 2.MB - 4.KB) == 0               // the last of them freed
    assert madvise(b, 2.MB, MADV_POPULATE_WRITE) == 0
    assert smaps(b).AnonHugePages == 2048
}

run until: 1.s, sample: 1.s
