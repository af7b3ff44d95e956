// Rule 49 (docs/model.md 1.8) [mainline]: "VM_FAULT_OOM from a user page fault does not invoke the global
// OOM killer in kernels since 5.16: unless a memcg OOM is pending, the kernel logs 'Huh VM_FAULT_OOM leaked
// out to the #PF handler. Retrying PF' (rate-limited) and re-executes the faulting instruction, so the task
// spins until memory appears or it is killed. Kernel-initiated faults (MAP_POPULATE, MADV_POPULATE_*, GUP)
// see ENOMEM."
// Scenario S8: VMA2 reserved (U=1) while no reserved block is free; touching it spins, thp_fault_fallback
// rising on every retry; MADV_POPULATE_WRITE instead -> ENOMEM. Here the spin ends at 5 s, when the
// holder of the blocks exits.
// mm/oom_kill.c, pagefault_out_of_memory():
//     if (fatal_signal_pending(current)) return;
//     if (__ratelimit(&pfoom_rs)) pr_warn("Huh VM_FAULT_OOM leaked out to the #PF handler. Retrying PF\n");
// RFC patch 7/8 returns VM_FAULT_OOM for a reserved fault with no free reserved block (rule 47).
name 'rule-49-user-fault-retries'
description 'A user fault that gets VM_FAULT_OOM retries, without the OOM killer, until a reserved block is freed.'

machine {
    memory 1.GB
    cmdline 'thp_reserved_nr=2'
}

policy thp()

process('holder') {
    long a = mmap(0, 4.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(a, 4.MB, MADV_RESERVED_THP) == 0
    touch a, 4.MB
    assert madvise(a, 4.MB, MADV_HUGEPAGE) == 0             // quota back, blocks in use (rule 32)
    sleep 5.s
    exit()
}

process('waiter', start: 1.s) {
    long b = mmap(0, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(b, 2.MB, MADV_RESERVED_THP) == 0
    assert madvise(b, 2.MB, MADV_POPULATE_WRITE) == -ENOMEM // kernel-initiated: ENOMEM
    assert now == 1
    touch b, 2.MB                                           // user fault: retried until 5 s
    assert now == 5
    assert smaps(b).AnonHugePages == 2048
    assert vmstat('oom_kill') == 0
}

run until: 6.s, sample: 1.s
