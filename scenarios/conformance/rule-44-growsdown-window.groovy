// Rule 44 (docs/model.md 1.8): "A missing-page fault whose 2 MiB-aligned window is not fully inside the VMA
// -> VM_FAULT_OOM (no fallback)."
// A reserved VMA mapped with MAP_GROWSDOWN grows at fault time: expand_downwards() moves vm_start down to the
// faulting page (within RLIMIT_STACK, 8 MiB by default, and keeping stack_guard_gap, 256 pages, from an
// accessible VMA below). Growth by exactly a PMD keeps vm_start aligned and the new window is inside: a
// reserved THP. Growth by one page more leaves vm_start unaligned, and the faulting page's window straddles
// it: VM_FAULT_OOM, which a user fault retries for ever (rule 49). Nothing charges the growth (rule 19).
// Kernel-initiated faults never grow a stack (gup_vma_lookup()): MADV_POPULATE_WRITE below vm_start finds
// no VMA and gets ENOMEM.
// mm/mmap.c, expand_downwards():
//     if (prev) { if (!(prev->vm_flags & VM_GROWSDOWN) && vma_is_accessible(prev) &&
//                     (address - prev->vm_end < stack_guard_gap)) return -ENOMEM; }
// RFC patch 7/8, do_huge_pmd_anonymous_page():
//     if (!thp_vma_suitable_order(vma, haddr, PMD_ORDER))
//             return (vma->vm_flags & VM_RESERVED_THP) ? VM_FAULT_OOM : VM_FAULT_FALLBACK;
name 'rule-44-growsdown-window'
description 'A reserved MAP_GROWSDOWN VMA grown to an unaligned start faults VM_FAULT_OOM on its straddling window.'

machine {
    memory 1.GB
    cmdline 'thp_reserved_nr=4'
}

policy thp()

process('stack') {
    long a = mmap(0, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN)
    assert a % 2.MB == 0
    assert smaps(a).VmFlags == 'rd wr mr mw me gd'
    assert madvise(a, 2.MB, MADV_RESERVED_THP) == 0
    assert smaps(a).VmFlags == 'rd wr mr mw me gd rt'
    assert madvise(a - 4.KB, 4.KB, MADV_POPULATE_WRITE) == -ENOMEM  // GUP does not grow the stack
    assert smaps(a).Size == 2048

    touch a - 2.MB, 4.KB                                    // grows by a PMD: the window is inside
    assert smaps(a).Size == 4096
    assert smaps(a - 2.MB).AnonHugePages == 2048
    assert vmstat('thp_fault_alloc') == 1
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 1 // the growth is not charged

    touch a - 2.MB - 4.KB, 4.KB                             // grows by a page: VM_FAULT_OOM, retried for ever
    assert false : 'the fault on the straddling window cannot complete'
}

process('far', start: 1.s) {
    long b = mmap(0, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN)
    touch b + 2.MB - 8.MB, 4.KB                             // 8 MiB is RLIMIT_STACK: grows to exactly the limit
    assert smaps(b).Size == 8192
    touch b + 2.MB - 8.MB - 4.KB, 4.KB                      // one page more: acct_stack_growth() refuses, SIGSEGV
    assert false : 'the task died of SIGSEGV'
}

process('gap', start: 2.s) {
    long s = mmap(0, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN)
    long c = mmap(0, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert c == s - 4.MB                                    // vm_start_gap(): placed below the guard gap
    assert munmap(c, 2.MB) == 0
    long low = mmap(s - 1.MB - 4.KB - 2.MB, 2.MB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)
    touch s - 4.KB, 4.KB                                    // 1 MiB left to 'low': the gap is kept
    assert smaps(s).Size == 2052
    touch s - 8.KB, 4.KB                                    // 1 MiB - 4 KiB left: -ENOMEM, SIGSEGV
    assert false : 'the task died of SIGSEGV'
}

run until: 4.s, sample: 1.s
