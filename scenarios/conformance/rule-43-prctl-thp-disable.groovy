// Rule 43 (docs/model.md 1.8): "a reserved VMA always gets the PMD order, regardless of ... `prctl` 'disable
// except advised' mode. It still gets no THP if THP is disabled ... by `prctl(PR_SET_THP_DISABLE)` in the
// 'completely' mode."
// With no order allowed the fault takes the PTE path, and do_anonymous_page() of a reserved VMA is
// VM_FAULT_OOM (rule 48): ENOMEM for MADV_POPULATE_WRITE, an endless retry for a user fault (rule 49), and
// no thp_fault_fallback, since no THP allocation is tried. Mainline around it: "completely" gives a
// MADV_HUGEPAGE VMA 4 KiB pages and refuses MADV_COLLAPSE; "except advised" keeps THPs for MADV_HUGEPAGE
// VMAs only, even with enabled=always. The flags are per mm and inherited across fork.
// include/linux/huge_mm.h, vma_thp_disabled() as the RFC's patch 7/8 leaves it:
//     if (mm_flags_test(MMF_DISABLE_THP_COMPLETELY, vma->vm_mm)) return true;
//     if (vm_flags & (VM_HUGEPAGE | VM_RESERVED_THP)) return false;
//     ...
//     return mm_flags_test(MMF_DISABLE_THP_EXCEPT_ADVISED, vma->vm_mm);
// kernel/sys.c, prctl_set_thp_disable(): if ((!thp_disable && flags) || (flags & ~PR_THP_DISABLE_EXCEPT_ADVISED)) return -EINVAL;
name 'rule-43-prctl-thp-disable'
description 'PR_SET_THP_DISABLE completely leaves a reserved VMA no THP and no 4 KiB page; except-advised keeps its THPs.'

machine {
    memory 1.GB
    cmdline 'thp_reserved_nr=4'
}

policy thp()

process('completely') {
    assert prctl(PR_GET_THP_DISABLE) == 0
    assert prctl(PR_SET_THP_DISABLE, 1) == 0
    assert prctl(PR_GET_THP_DISABLE) == 1
    long a = mmap(0, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(a, 2.MB, MADV_RESERVED_THP) == 0         // the quota does not look at the mm's flags
    assert madvise(a, 2.MB, MADV_POPULATE_WRITE) == -ENOMEM // no PMD order, and no 4 KiB page either
    assert smaps(a).Rss == 0
    assert vmstat('thp_fault_fallback') == 0

    long h = mmap(0, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(h, 2.MB, MADV_HUGEPAGE) == 0
    touch h, 2.MB                                           // MADV_HUGEPAGE is not enough: 4 KiB pages
    assert smaps(h).AnonHugePages == 0 && smaps(h).Rss == 2048
    assert madvise(h, 2.MB, MADV_COLLAPSE) == -EINVAL

    assert fork('child') {
        assert prctl(PR_GET_THP_DISABLE) == 1               // inherited (MMF_INIT_MASK)
        assert prctl(PR_SET_THP_DISABLE, 0) == 0            // the child's own mm only
    } > 0

    assert prctl(PR_SET_THP_DISABLE, 0) == 0
    assert prctl(PR_GET_THP_DISABLE) == 0
    assert madvise(a, 2.MB, MADV_POPULATE_WRITE) == 0       // the PMD fault again: a reserved THP
    assert smaps(a).AnonHugePages == 2048
    assert vmstat('thp_fault_alloc') == 1

    assert prctl(PR_SET_THP_DISABLE, 1) == 0
    long b = mmap(0, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(b, 2.MB, MADV_RESERVED_THP) == 0
    touch b, 4.KB                                           // a user fault: VM_FAULT_OOM, retried for ever
    assert false : 'the fault cannot complete while THP is disabled completely'
}

process('advised', start: 1.s) {
    assert sysfs('kernel/mm/transparent_hugepage/enabled', 'always') == 0
    assert prctl(PR_SET_THP_DISABLE, 1, PR_THP_DISABLE_EXCEPT_ADVISED) == 0
    assert prctl(PR_GET_THP_DISABLE) == 3
    long r = mmap(0, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(r, 2.MB, MADV_RESERVED_THP) == 0
    touch r, 2.MB                                           // VM_RESERVED_THP counts as advice
    assert smaps(r).AnonHugePages == 2048
    long h = mmap(0, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(h, 2.MB, MADV_HUGEPAGE) == 0
    touch h, 2.MB
    assert smaps(h).AnonHugePages == 2048
    long p = mmap(0, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    touch p, 2.MB                                           // not advised: no THP although enabled=always
    assert smaps(p).AnonHugePages == 0 && smaps(p).Rss == 2048
    assert madvise(p, 2.MB, MADV_COLLAPSE) == 0             // a forced collapse is advice enough
    assert smaps(p).AnonHugePages == 2048
}

process('bad', start: 2.s) {
    assert prctl(PR_SET_THP_DISABLE, 0, PR_THP_DISABLE_EXCEPT_ADVISED) == -EINVAL   // flags only when disabling
    assert prctl(PR_SET_THP_DISABLE, 1, 1) == -EINVAL       // bit 0 is reserved
    assert prctl(PR_SET_THP_DISABLE, 1, 0, 1) == -EINVAL
    assert prctl(PR_GET_THP_DISABLE, 1) == -EINVAL
    assert prctl(12345) == -EINVAL
    assert prctl(PR_GET_THP_DISABLE) == 0
}

run until: 3.s, sample: 1.s
