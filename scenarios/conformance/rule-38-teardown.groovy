// Rule 38 (docs/model.md 1.7): "Teardown (exit, execve, and cleanup of a failed fork): all reserved VMAs of
// the mm are uncharged." Scenario S9: exit -> U=0. A task killed by a signal is torn down the same way.
// (execve is not in the scenario DSL; the cleanup of a failed fork is in rule-39-fork.groovy.)
// RFC patch 6/8, mm/mmap.c, tear_down_vmas():
//     if (vma->vm_flags & VM_RESERVED_THP)
//             nr_reserved_thp += reserved_thp_hpage_nr(vma->vm_start, vma->vm_end);
//     ...
//     reserved_thp_uncharge(nr_reserved_thp);
name 'rule-38-teardown'
description 'exit and a fatal signal uncharge every reserved VMA of the address space.'

machine {
    memory 1.GB
    cmdline 'thp_reserved_nr=8'
}

policy thp()

process('exits') {
    long a = mmap(0, 4.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    long b = mmap(0, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(a, 4.MB, MADV_RESERVED_THP) == 0
    assert madvise(b, 2.MB, MADV_RESERVED_THP) == 0
    touch a, 2.MB                                           // one VMA part faulted, the rest not
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 3
    sleep 1500.ms
    exit()
}

process('killed') {
    long c = mmap(0, 4.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(c, 4.MB, MADV_RESERVED_THP) == 0
    sleep 2500.ms
    assert munmap(c + 2.MB, 2.MB) == 0
    touch c + 2.MB, 4.KB                                    // SIGSEGV: no mapping there
    assert false : 'the task died of SIGSEGV'
}

process('check', start: 1.s) {
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 5
    sleep 1.s                                               // 'exits' exited at 1.5 s
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 2
    sleep 1.s                                               // 'killed' died at 2.5 s
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 0
}

run until: 4.s, sample: 1.s
