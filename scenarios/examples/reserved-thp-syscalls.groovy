// The RFC's API as a C test would use it: raw syscalls, kernel return values, sysfs and vmstat views.
name 'reserved-thp-syscalls'
description 'MADV_RESERVED_THP alignment, quota charge and uncharge, reserved faults.'

machine {
    memory 8.GB
    cmdline 'thp_reserved_nr=4'
}

policy thp()

process('p') {
    long a = mmap(0, 8.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(a + 4.KB, 2.MB, MADV_RESERVED_THP) == -EINVAL    // rule 26: not PMD-aligned
    assert madvise(a, 8.MB, MADV_RESERVED_THP) == 0
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 4
    assert smaps(a).VmFlags.contains('rt')                          // rule 22
    long b = mmap(0, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(b, 2.MB, MADV_RESERVED_THP) == -EAGAIN           // rule 29: -ENOMEM rewritten
    touch a, 8.MB
    assert vmstat('thp_fault_alloc') == 4                           // rule 46
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 4         // rule 21: faults do not move the quota
    assert munmap(a, 4.KB) == -EINVAL                               // rule 37: split at a non-PMD address
    assert munmap(a, 8.MB) == 0
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 0         // rule 37: uncharged after unmap
}

run until: 1.s, sample: 1.s
