// Rule 55 (docs/model.md 7.1), the reservedThp(chargeAt: 'mmap') design: mmap(MAP_RESERVED_THP) charges the
// quota for the whole mapping, all or nothing, and fails with ENOMEM when it is short, as hugetlb_reserve_pages()
// fails a MAP_HUGETLB mmap (mm/hugetlb.c) and as the RFC's reserved_thp_charge() refuses (rule 18). With
// MAP_FIXED the new mapping is charged before the old one is unmapped (mm/vma.c __mmap_region(): the
// gathered VMAs are unmapped once the new one is set up), so replacing a reserved mapping needs quota for
// both. madvise(MADV_RESERVED_THP) on the mapping charges nothing more (rule 28); MADV_HUGEPAGE gives its
// charge back and makes it an ordinary THP mapping (rule 31).
name 'rule-55-charge-at-mmap'
description 'mmap(MAP_RESERVED_THP) charges the quota when the mapping is made, ENOMEM when it is short.'

machine {
    memory 1.GB
}

policy reservedThp(reserve: 16.MB, chargeAt: 'mmap')     // T = 8

String USED = 'kernel/mm/reserved_thp/used_hpages'
int RW = PROT_READ | PROT_WRITE
int RESERVED = MAP_PRIVATE | MAP_ANONYMOUS | MAP_RESERVED_THP

process('p') {
    assert sysfs('kernel/mm/reserved_thp/total_hpages') == 8
    long a = mmap(0, 12.MB, RW, RESERVED)
    assert a > 0
    assert sysfs(USED) == 6                                 // charged at mmap, before any fault
    assert meminfo('AnonHugePages') == 0

    // all or nothing: 3 hpages with F = 2 is ENOMEM, nothing mapped, nothing charged
    assert mmap(0, 6.MB, RW, RESERVED) == -ENOMEM
    assert sysfs(USED) == 6
    long b = mmap(0, 4.MB, RW, RESERVED)
    assert b > 0
    assert sysfs(USED) == 8
    assert sysfs('kernel/mm/reserved_thp/free_hpages') == 0

    // MAP_FIXED over a reserved mapping: the new one is charged first, so with F = 0 it fails and the old stays
    assert mmap(b, 4.MB, RW, RESERVED | MAP_FIXED) == -ENOMEM
    assert smaps(b).VmFlags.contains('rt') && sysfs(USED) == 8
    // an ordinary MAP_FIXED over it unmaps it and returns its charge
    assert mmap(b, 4.MB, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED) == b
    assert sysfs(USED) == 6 && !smaps(b).VmFlags.contains('rt')

    // rule 28: the mapping is reserved already, so the advice charges nothing
    assert madvise(a, 12.MB, MADV_RESERVED_THP) == 0
    assert sysfs(USED) == 6
    // rule 31: MADV_HUGEPAGE returns the charge of the part it covers
    assert madvise(a + 8.MB, 4.MB, MADV_HUGEPAGE) == 0
    assert sysfs(USED) == 4
    assert smaps(a + 8.MB).VmFlags.contains('hg') && smaps(a).VmFlags.contains('rt')

    touch a, 8.MB
    assert vmstat('thp_fault_alloc') == 4
    assert munmap(a, 12.MB) == 0
    assert sysfs(USED) == 0
}

run until: 1.s, sample: 1.s
