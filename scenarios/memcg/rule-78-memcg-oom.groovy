// docs/model.md rules 73 and 78: with nothing to reclaim (no swap) a charge over memory.max calls the cgroup's
// OOM killer (mem_cgroup_out_of_memory()): it kills the cgroup's largest process, never one outside it, and
// counts memory.events oom and oom_kill; the charge then succeeds. Runs on a stock kernel (hugesim
// kernel-check): a 6.1 guest killed the same process and counted oom 2, one more round while its victim's
// memory was being freed.
name 'rule-78-memcg-oom'
description 'memory.max with no swap: the OOM killer kills inside the cgroup.'

machine {
    memory 1.GB
}

policy thp()

int RW = PROT_READ | PROT_WRITE
int ANON = MAP_PRIVATE | MAP_ANONYMOUS

process('outsider', cgroup: 'other') {
    long a = mmap(0, 256.MB, RW, ANON)
    touch a, 256.MB                                            // the largest process of the machine
    sleep 10.s
    assert cgroup('other/memory.events').oom_kill == 0
}

process('hog', start: 1.s, cgroup: 'svc') {
    long a = mmap(0, 48.MB, RW, ANON)
    touch a, 48.MB
    sleep 10.s
    assert false : 'not reached: the cgroup OOM killer chooses this process'
}

process('svc', start: 2.s, cgroup: 'svc') {
    cgroup 'svc/memory.max', 64.MB
    long a = mmap(0, 32.MB, RW, ANON)
    touch a, 32.MB                                             // 80 MiB would be over: hog is killed
    Map events = cgroup('svc/memory.events')
    assert events.oom == 1
    assert events.oom_kill == 1
    assert cgroup('svc/memory.current') == 32.MB
    assert vmstat('oom_kill') == 1
}

run until: 12.s, sample: 1.s
