// Rule 48 (docs/model.md 1.8): "A 4 KiB missing-page fault on a reserved VMA (PTE-level,
// do_anonymous_page) -> VM_FAULT_OOM; there are no small-page fallbacks."
// Rule 52 [inferred]: "Once a reserved range's PMD has been replaced by a page table (swap-out, COW split,
// deferred split), a later missing-page fault on an empty PTE in that table goes to the PTE path and gets
// VM_FAULT_OOM forever, unless the empty table is freed (munmap; or MADV_DONTNEED with the newer
// empty-page-table reclaim, CONFIG_PT_RECLAIM)."
// Here the page table comes from before the range was reserved: 4 KiB pages, one of them zapped. The empty
// PTE's fault is VM_FAULT_OOM: ENOMEM for MADV_POPULATE_WRITE, an endless retry for a user fault (rule 49).
// MADV_DONTNEED of the whole window empties and (CONFIG_PT_RECLAIM) frees the table: the next fault is a
// PMD fault again and gets a reserved THP.
// RFC patch 7/8, mm/memory.c, do_anonymous_page():
//     if (unlikely(vma->vm_flags & VM_RESERVED_THP))
//             return VM_FAULT_OOM;
name 'rules-48-52-pte-fault'
description 'An empty PTE in a reserved VMA faults VM_FAULT_OOM until its page table is freed.'

machine {
    memory 1.GB
    cmdline 'thp_reserved_nr=2'
}

policy thp()

process('populate') {
    long a = mmap(0, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    touch a, 2.MB                                           // no MADV_HUGEPAGE: 512 PTEs in one table
    assert smaps(a).AnonHugePages == 0 && smaps(a).Rss == 2048
    assert madvise(a, 4.KB, MADV_DONTNEED) == 0             // one PTE emptied, the table stays
    assert madvise(a, 2.MB, MADV_RESERVED_THP) == 0
    long free = meminfo('MemFree')
    assert madvise(a, 4.KB, MADV_POPULATE_WRITE) == -ENOMEM // do_anonymous_page(): VM_FAULT_OOM
    assert smaps(a).Rss == 2044
    assert meminfo('MemFree') == free                       // no 4 KiB page either
    assert vmstat('thp_fault_alloc') == 0

    assert madvise(a, 2.MB, MADV_DONTNEED) == 0             // the table is emptied and freed
    assert madvise(a, 4.KB, MADV_POPULATE_WRITE) == 0       // a PMD fault: a reserved THP
    assert smaps(a).AnonHugePages == 2048
    assert vmstat('thp_fault_alloc') == 1
}

process('user', start: 1.s) {
    long b = mmap(0, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    touch b, 2.MB
    assert madvise(b + 1.MB, 4.KB, MADV_DONTNEED) == 0
    assert madvise(b, 2.MB, MADV_RESERVED_THP) == 0
    touch b + 1.MB, 4.KB                                    // VM_FAULT_OOM, retried forever (rule 49)
    assert false : 'the fault on the empty PTE cannot complete'
}

run until: 5.s, sample: 1.s
