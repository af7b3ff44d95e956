// docs/model.md rule 78: a write to memory.reclaim reclaims that much of the cgroup (memory_reclaim()), cold memory
// first, and returns 0; asking for more than can be reclaimed (no swap room left) returns -EAGAIN.
name 'rule-78-memory-reclaim'
description 'memory.reclaim: proactive reclaim of one cgroup, EAGAIN when it falls short.'

machine {
    memory 1.GB
    swap 32.MB
}

policy thp()

int RW = PROT_READ | PROT_WRITE
int ANON = MAP_PRIVATE | MAP_ANONYMOUS

process('svc', cgroup: 'svc') {
    long a = mmap(0, 64.MB, RW, ANON)
    assert madvise(a, 64.MB, MADV_HUGEPAGE) == 0
    touch a, 64.MB
    idle a, 64.MB
    assert cgroup('svc/memory.reclaim', 16.MB) == 0
    sleep 1.s
    assert cgroup('svc/memory.swap.current') >= 16.MB
    assert cgroup('svc/memory.current') <= 48.MB
    assert cgroup('svc/memory.reclaim', 48.MB) == -EAGAIN      // swap holds 32 MiB
}

run until: 4.s, sample: 1.s
