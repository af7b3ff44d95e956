// docs/model.md rules 73, 74 and 78: over memory.max a charge reclaims the cgroup's own memory (try_charge_memcg(),
// try_to_free_mem_cgroup_pages()): a 96 MiB cgroup touching 128 MiB swaps its coldest part out and finishes;
// another cgroup's memory is left alone. With no swap, the cgroup's OOM killer kills inside the cgroup only.
name 'rule-73-memory-max'
description 'memory.max: reclaim within the cgroup, then its OOM killer.'

machine {
    memory 1.GB
    swap 512.MB
}

policy thp()

int RW = PROT_READ | PROT_WRITE
int ANON = MAP_PRIVATE | MAP_ANONYMOUS

process('bystander', cgroup: 'other') {
    long a = mmap(0, 64.MB, RW, ANON)
    assert madvise(a, 64.MB, MADV_HUGEPAGE) == 0
    touch a, 64.MB
    idle a, 64.MB                                              // cold, but not in the limited cgroup
    sleep 10.s
    assert smaps(a).Swap == 0
    assert cgroup('other/memory.current') == 64.MB
}

process('svc', start: 1.s, cgroup: 'svc') {
    cgroup 'svc/memory.max', 96.MB
    assert cgroup('svc/memory.max') == 96.MB
    long a = mmap(0, 128.MB, RW, ANON)
    assert madvise(a, 128.MB, MADV_HUGEPAGE) == 0
    touch a, 64.MB
    idle a, 64.MB
    touch a + 64.MB, 64.MB                                     // over memory.max: the first half goes to swap
    assert cgroup('svc/memory.current') <= 96.MB
    assert cgroup('svc/memory.swap.current') >= 32.MB
    assert cgroup('svc/memory.events').max > 0
    assert cgroup('svc/memory.events').oom == 0
    assert vmstat('oom_kill') == 0
}

run until: 12.s, sample: 1.s
