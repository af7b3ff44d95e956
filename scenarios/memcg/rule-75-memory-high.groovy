// docs/model.md rule 75: over memory.high a charge succeeds, and on the way back to user space the task reclaims
// what is over (reclaim_high(): memory.events high) and sleeps the penalty calculate_high_delay() gives
// (mem_cgroup_handle_over_high()): the touch takes longer than without the limit, and usage comes back near high.
name 'rule-75-memory-high'
description 'memory.high: reclaim and throttling, no OOM kill.'

machine {
    memory 1.GB
    swap 512.MB
}

policy thp()

int RW = PROT_READ | PROT_WRITE
int ANON = MAP_PRIVATE | MAP_ANONYMOUS

process('svc', cgroup: 'svc') {
    cgroup 'svc/memory.high', 64.MB
    long a = mmap(0, 128.MB, RW, ANON)
    assert madvise(a, 128.MB, MADV_HUGEPAGE) == 0
    touch a, 128.MB, once: true
    Map events = cgroup('svc/memory.events')
    assert events.high > 0
    assert events.max == 0
    assert events.oom_kill == 0
    assert cgroup('svc/memory.swap.current') > 0
}

run until: 30.s, sample: 1.s
