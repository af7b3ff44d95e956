// Rule 40 (docs/model.md 1.7), RFC patch 6/8: for a reserved VMA, "new_addr too when expanding or
// moving to a fixed/DONTUNMAP target -> else EINVAL". With MREMAP_DONTUNMAP and without MREMAP_FIXED,
// new_addr is only a hint for get_unmapped_area(), but vrm_implies_new_addr() is true for DONTUNMAP, so
// check_reserved_thp_alignment() rejects an unaligned hint before anything is charged or moved.
// mm/mremap.c:
//     static bool vrm_implies_new_addr(struct vma_remap_struct *vrm)
//     {       return vrm->flags & (MREMAP_FIXED | MREMAP_DONTUNMAP); }
//     check_reserved_thp_alignment():
//             if ((vrm->remap_type == MREMAP_EXPAND || vrm_implies_new_addr(vrm)) &&
//                 !IS_ALIGNED(vrm->new_addr, HPAGE_PMD_SIZE))
//                     return false;
//     check_prep_vma(): if (!check_reserved_thp_alignment(vrm)) return -EINVAL;
// (Kept apart from conformance/rule-40-42-mremap.groovy, which holds scenario S11.)
name 'rule-40-mremap-dontunmap-new-addr'
description 'mremap(MREMAP_DONTUNMAP) of a reserved VMA with an unaligned new_addr hint fails with EINVAL.'

machine {
    memory 8.GB
    cmdline 'thp_reserved_nr=2'
}

policy thp()

String USED = 'kernel/mm/reserved_thp/used_hpages'

process('p') {
    long e = mmap(0, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(e, 2.MB, MADV_RESERVED_THP) == 0
    assert sysfs(USED) == 1
    long hint = mmap(0, 8.MB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert munmap(hint, 8.MB) == 0                                  // a free range, page-aligned
    // the charge of 1 hpage would fit (F = 1): only the alignment can refuse it
    assert mremap(e, 2.MB, 2.MB, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, hint + 4.KB) == -EINVAL
    assert sysfs(USED) == 1
    assert smaps(e).VmFlags.contains('rt')
}

run until: 1.s, sample: 1.s
