// Rule 24 (docs/model.md 1.6): "Value 26 in the generic header and on alpha, mips, parisc, xtensa."
// (The 64-bit-only EINVAL and the THP-configured check have no observable in a 64-bit THP kernel.)
// RFC patch 8/8, include/uapi/asm-generic/mman-common.h:
//     #define MADV_RESERVED_THP 26 /* Use reserved transparent hugepages */
// and madvise_behavior_valid(): case MADV_RESERVED_THP:
name 'rule-24-advice-value'
description 'MADV_RESERVED_THP is advice 26.'

machine {
    memory 1.GB
    cmdline 'thp_reserved_nr=1'
}

policy thp()

process('p') {
    assert MADV_RESERVED_THP == 26
    long a = mmap(0, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(a, 2.MB, 26) == 0
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 1
    assert smaps(a).VmFlags.split(' ').contains('rt')
}

run until: 1.s, sample: 1.s
