// Rule 22 (docs/model.md 1.5): "New VMA flag VM_RESERVED_THP (bit 43, only with
// CONFIG_TRANSPARENT_HUGEPAGE); /proc/PID/smaps VmFlags: shows it as rt." Scenario S4: VmFlags has rt.
// (The bit number itself has no view: only the two letters are user-visible.)
// RFC patch 5/8, fs/proc/task_mmu.c, show_smap_vma_flags():
//     #ifdef CONFIG_TRANSPARENT_HUGEPAGE
//             [ilog2(VM_RESERVED_THP)] = "rt",
//     #endif
name 'rule-22-vmflag-rt'
description 'A reserved VMA shows rt in smaps VmFlags; the rest of the mapping does not.'

machine {
    memory 1.GB
    cmdline 'thp_reserved_nr=4'
}

policy thp()

process('p') {
    long a = mmap(0, 4.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert !smaps(a).VmFlags.split(' ').contains('rt')
    assert madvise(a, 2.MB, MADV_RESERVED_THP) == 0
    assert smaps(a).VmFlags.split(' ').contains('rt')
    assert !smaps(a + 2.MB).VmFlags.split(' ').contains('rt')
}

run until: 1.s, sample: 1.s
