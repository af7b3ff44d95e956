// docs/model.md rule 76: memory.low protects a cgroup from global reclaim while others have memory to give
// (shrink_node_memcgs(): mem_cgroup_below_low(), memcg_low_skipped). The machine runs short: kswapd and direct
// reclaim take the unprotected cgroup's cold memory and leave the protected one's, though it is as cold.
name 'rule-76-memory-low'
description 'memory.low: global reclaim passes over the protected cgroup.'

machine {
    memory 512.MB
    swap 512.MB
}

policy thp()

int RW = PROT_READ | PROT_WRITE
int ANON = MAP_PRIVATE | MAP_ANONYMOUS

process('protected', cgroup: 'prod') {
    cgroup 'prod/memory.low', 128.MB
    long a = mmap(0, 128.MB, RW, ANON)
    assert madvise(a, 128.MB, MADV_HUGEPAGE) == 0
    touch a, 128.MB
    idle a, 128.MB
    sleep 10.s
    assert smaps(a).Swap == 0
    assert cgroup('prod/memory.events').low == 0
}

process('batch', start: 1.s, cgroup: 'batch') {
    long a = mmap(0, 128.MB, RW, ANON)
    assert madvise(a, 128.MB, MADV_HUGEPAGE) == 0
    touch a, 128.MB
    idle a, 128.MB
}

process('pressure', start: 2.s, cgroup: 'batch') {
    long a = mmap(0, 224.MB, RW, ANON)
    assert madvise(a, 224.MB, MADV_HUGEPAGE) == 0
    touch a, 224.MB                                            // the machine runs short: batch's cold memory goes
    assert cgroup('batch/memory.swap.current') > 0
    assert cgroup('prod/memory.swap.current') == 0
}

run until: 12.s, sample: 1.s
