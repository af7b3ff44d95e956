// Rule 32 of the RFC as posted: switching a reserved range to MADV_HUGEPAGE returns its quota while its
// THPs keep occupying reserved pageblocks. The quota then promises blocks that are in use, and a
// reserved fault stalls on VM_FAULT_OOM (rules 47, 49) although free_hpages > 0, until a block is freed.
name 'quota-without-blocks'
description 'The quota returned by MADV_HUGEPAGE promises blocks still in use: a reserved fault stalls.'

machine {
    memory 8.GB
    cmdline 'thp_reserved_nr=2'
}

policy thp()

process('first') {
    long a = mmap(0, 4.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(a, 4.MB, MADV_RESERVED_THP) == 0
    touch a, 4.MB                                       // both reserved blocks now hold a THP
    assert madvise(a, 4.MB, MADV_HUGEPAGE) == 0         // rule 31: the quota goes back ...
    assert sysfs('kernel/mm/reserved_thp/free_hpages') == 2
    assert smaps(a).AnonHugePages == 4096               // ... the THPs stay (rule 32)
    sleep 10.s
    assert munmap(a, 4.MB) == 0                         // frees the blocks: the stalled fault goes on
}

process('second', start: 1.s) {
    long b = mmap(0, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(b, 2.MB, MADV_RESERVED_THP) == 0     // the quota says yes
    assert madvise(b, 2.MB, MADV_POPULATE_WRITE) == -ENOMEM   // rule 49: a kernel-initiated fault sees ENOMEM
    touch b, 2.MB                                       // a user fault stalls until 10 s
    assert now == 10
    assert smaps(b).AnonHugePages == 2048
}

run until: 20.s, sample: 1.s
