// Rule 27 (docs/model.md 1.6): "MADV_RESERVED_THP clears VM_HUGEPAGE and VM_NOHUGEPAGE and sets
// VM_RESERVED_THP; MADV_HUGEPAGE and MADV_NOHUGEPAGE each clear VM_RESERVED_THP (mutual exclusion)."
// In smaps VmFlags: hg = VM_HUGEPAGE, nh = VM_NOHUGEPAGE, rt = VM_RESERVED_THP.
// RFC patch 8/8, mm/khugepaged.c, hugepage_madvise():
//     case MADV_HUGEPAGE:     *vm_flags &= ~VM_NOHUGEPAGE; *vm_flags &= ~VM_RESERVED_THP; *vm_flags |= VM_HUGEPAGE;
//     case MADV_NOHUGEPAGE:   *vm_flags &= ~VM_HUGEPAGE;   *vm_flags &= ~VM_RESERVED_THP; *vm_flags |= VM_NOHUGEPAGE;
//     case MADV_RESERVED_THP: *vm_flags &= ~(VM_HUGEPAGE | VM_NOHUGEPAGE); *vm_flags |= VM_RESERVED_THP;
name 'rule-27-mutual-exclusion'
description 'hg, nh and rt exclude each other in VmFlags.'

machine {
    memory 1.GB
    cmdline 'thp_reserved_nr=4'
}

policy thp()

process('p') {
    def flags = { long addr -> smaps(addr).VmFlags.split(' ') as Set }
    long a = mmap(0, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(a, 2.MB, MADV_HUGEPAGE) == 0
    assert flags(a).contains('hg') && !flags(a).contains('rt')
    assert madvise(a, 2.MB, MADV_RESERVED_THP) == 0
    assert flags(a).contains('rt') && !flags(a).contains('hg') && !flags(a).contains('nh')
    assert madvise(a, 2.MB, MADV_NOHUGEPAGE) == 0
    assert flags(a).contains('nh') && !flags(a).contains('rt') && !flags(a).contains('hg')
    assert madvise(a, 2.MB, MADV_RESERVED_THP) == 0
    assert flags(a).contains('rt') && !flags(a).contains('nh') && !flags(a).contains('hg')
    assert madvise(a, 2.MB, MADV_HUGEPAGE) == 0
    assert flags(a).contains('hg') && !flags(a).contains('rt') && !flags(a).contains('nh')
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 0
}

run until: 1.s, sample: 1.s
