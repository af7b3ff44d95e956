// Runs on a stock kernel: hugesim kernel-check replays it on the distribution kernel, where it agrees.
// S16, after tools/testing/selftests/mm/charge_reserved_hugetlb.sh (cgroup v2): a hugetlb cgroup charges
// reservations at mmap (hugetlb.2MB.rsvd.current) and pages at fault (hugetlb.2MB.current); an mmap over
// rsvd.max fails, a fault over max is SIGBUS (docs/model.md 2.4).
name 's16-hugetlb-cgroup'
description 'Reservation and fault charges of the hugetlb cgroup controller.'

machine {
    memory 4.GB
    cmdline 'hugepages=10'
}

policy thp()

at(0.s) {
    cgroup 'a/hugetlb.2MB.max', 10 * 2.MB
    cgroup 'a/hugetlb.2MB.rsvd.max', 10 * 2.MB
}

process('reserve-only', start: 1.s, cgroup: 'a') {
    long p = mmap(0, 5 * 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB)
    assert cgroup('a/hugetlb.2MB.rsvd.current') == 5 * 2.MB       // reservation charged at mmap
    assert cgroup('a/hugetlb.2MB.current') == 0                    // nothing faulted yet
    touch p, 5 * 2.MB                                              // populate
    assert cgroup('a/hugetlb.2MB.current') == 5 * 2.MB
    assert cgroup('a/hugetlb.2MB.rsvd.current') == 5 * 2.MB
    assert munmap(p, 5 * 2.MB) == 0
    assert cgroup('a/hugetlb.2MB.current') == 0
    assert cgroup('a/hugetlb.2MB.rsvd.current') == 0
}

process('over-rsvd-max', start: 2.s, cgroup: 'a') {
    cgroup 'a/hugetlb.2MB.rsvd.max', 2 * 2.MB
    assert mmap(0, 5 * 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB) == -ENOMEM
    assert cgroup('a/hugetlb.2MB.rsvd.current') == 0
    cgroup 'a/hugetlb.2MB.rsvd.max', 10 * 2.MB
}

process('over-max', start: 3.s, cgroup: 'a') {
    cgroup 'a/hugetlb.2MB.max', 2 * 2.MB
    long p = mmap(0, 5 * 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB)
    assert p > 0
    touch p, 5 * 2.MB                                              // the third page is over max: SIGBUS
    assert false : 'not reached: the process is killed by SIGBUS'
}

process('after', start: 4.s) {
    assert cgroup('a/hugetlb.2MB.current') == 0                    // the killed process's pages were uncharged
    assert cgroup('a/hugetlb.2MB.rsvd.current') == 0
    assert cgroup('a/hugetlb.2MB.events') == 2                     // the mmap over rsvd.max and the fault over max
    assert meminfo('HugePages_Free') == 10
    assert meminfo('HugePages_Rsvd') == 0
}

run until: 5.s, sample: 1.s
