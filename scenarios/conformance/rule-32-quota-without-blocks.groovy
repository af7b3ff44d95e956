// Rule 32 (docs/model.md 1.6) [inferred]: "Folios already faulted into a range that is switched away stay
// mapped and keep occupying reserved pageblocks while their quota has been returned. After this, the quota
// can promise blocks that are physically in use, and a later reserved fault can fail even though
// free_hpages > 0."
// Scenario S6: both THPs faulted; madvise(A, 4M, MADV_HUGEPAGE) -> 0, U=0, F=4, VmFlags hg not rt; the two
// THPs stay mapped, so free reserved pages = (4−2)×512 while F=4. Then a 4-hpage reserved VMA is granted
// by the quota, and its third fault finds no reserved block (MADV_POPULATE_WRITE: ENOMEM, rule 49).
// RFC patch 8/8: MADV_HUGEPAGE uncharges (madvise_vma_behavior) but touches no page; patch 7/8's fault
// allocates with __GFP_RESERVED_THP from the RESERVED_THP free list only, whatever the quota says.
name 'rule-32-quota-without-blocks'
description 'MADV_HUGEPAGE returns the quota of faulted reserved THPs; the quota then promises blocks in use.'

machine {
    memory 1.GB
    cmdline 'thp_reserved_nr=4'
}

policy thp()

process('p') {
    long a = mmap(0, 4.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(a, 4.MB, MADV_RESERVED_THP) == 0
    touch a, 4.MB
    assert madvise(a, 4.MB, MADV_HUGEPAGE) == 0
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 0
    assert sysfs('kernel/mm/reserved_thp/free_hpages') == 4
    def flags = smaps(a).VmFlags.split(' ')
    assert flags.contains('hg') && !flags.contains('rt')
    assert smaps(a).AnonHugePages == 4096                    // the THPs stay, in reserved blocks
    sleep 2.s                                                // sampled at 1 s: 2 blocks resident, F = 4

    long b = mmap(0, 8.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(b, 8.MB, MADV_RESERVED_THP) == 0          // the quota grants 4
    assert sysfs('kernel/mm/reserved_thp/free_hpages') == 0
    assert madvise(b, 8.MB, MADV_POPULATE_WRITE) == -ENOMEM  // only 2 blocks are free
    assert smaps(b).AnonHugePages == 4096
    assert vmstat('thp_fault_alloc') == 4
}

run until: 3.s, sample: 1.s
