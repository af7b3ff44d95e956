// Rule 56 (docs/model.md 7.1), the reservedThp(chargeAt: 'mmap') design: once made, a mapping of
// MAP_RESERVED_THP is a reserved VMA like one made by madvise, so its charge follows it through the RFC's
// VMA lifecycle (patch 6/8) unchanged: munmap refuses a split off a PMD boundary and uncharges what it
// removes (rule 37), mremap charges growth, a move keeps the charge and DONTUNMAP charges the copy
// (rules 40-42), fork charges the child in full or fails with ENOMEM (rule 39), and exit uncharges
// everything (rule 38).
name 'rule-56-lifecycle'
description 'A MAP_RESERVED_THP mapping keeps its charge through munmap, mremap, fork and exit.'

machine {
    memory 1.GB
}

policy reservedThp(reserve: 16.MB, chargeAt: 'mmap')     // T = 8

String USED = 'kernel/mm/reserved_thp/used_hpages'
int RW = PROT_READ | PROT_WRITE
int RESERVED = MAP_PRIVATE | MAP_ANONYMOUS | MAP_RESERVED_THP

process('parent') {
    long a = mmap(0, 4.MB, RW, RESERVED)
    assert sysfs(USED) == 2
    touch a, 4.MB

    // rule 37: munmap off a PMD boundary is EINVAL; an aligned piece is uncharged
    assert munmap(a, 4.KB) == -EINVAL
    assert sysfs(USED) == 2
    assert munmap(a + 2.MB, 2.MB) == 0
    assert sysfs(USED) == 1

    // rules 40-41: growing in place charges the difference; an unaligned new length is EINVAL
    assert mremap(a, 2.MB, 3.MB, 0) == -EINVAL
    assert mremap(a, 2.MB, 4.MB, 0) == a
    assert sysfs(USED) == 2
    // rule 42: a move keeps the charge (the old range is not uncharged, the new not charged again)
    long t = mmap(0, 8.MB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS)
    long moved = mremap(a, 4.MB, 4.MB, MREMAP_MAYMOVE | MREMAP_FIXED, t + 2.MB)
    assert moved == t + 2.MB
    assert sysfs(USED) == 2 && smaps(moved).VmFlags.contains('rt') && smaps(moved).AnonHugePages == 2048
    // rule 41: DONTUNMAP charges all of the new length; with F = 6 that fits once
    long copy = mremap(moved, 4.MB, 4.MB, MREMAP_MAYMOVE | MREMAP_DONTUNMAP)
    assert copy > 0
    assert sysfs(USED) == 4
    assert munmap(copy, 4.MB) == 0
    assert sysfs(USED) == 2

    // rule 39: fork charges the child the full 2 hpages; rule 38: its exit gives them back
    long child = fork('child') {
        assert smaps(moved).VmFlags.contains('rt')
        assert sysfs(USED) == 8                             // the child runs once the parent sleeps, after its 8 MB
        sleep 1.s
        exit()
    }
    assert child > 0
    assert sysfs(USED) == 4
    long big = mmap(0, 8.MB, RW, RESERVED)                   // U = 8, F = 0
    assert big > 0 && sysfs(USED) == 8
    assert fork() == -ENOMEM                                // the child needs 2 + 4 hpages
    assert sysfs(USED) == 8
    sleep 2.s                                               // the first child exits
    assert sysfs(USED) == 6
    exit()
}

process('checker', start: 4.s) {
    assert sysfs(USED) == 0                                 // rule 38: the parent's exit uncharged everything
}

run until: 5.s, sample: 1.s
