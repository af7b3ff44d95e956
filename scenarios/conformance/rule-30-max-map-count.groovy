// Rule 30 (docs/model.md 1.6): "Rollback: if the charge succeeded but the VMA update (split/merge) fails,
// the charge is returned. A split failure from max_map_count (-ENOMEM) is reported as EAGAIN as above."
// MADV_RESERVED_THP on the middle of a VMA needs two splits. split_vma() refuses once map_count has reached
// vm.max_map_count: with the limit at 2 and one VMA, the split at the start succeeds and stays (vma_modify()
// does not undo it), the split at the end fails with -ENOMEM, the charge is returned, and madvise's exit
// path turns -ENOMEM into EAGAIN. The same limit makes mmap and a hole-punching munmap fail with ENOMEM.
// mm/vma.c, split_vma():
//     if (vma->vm_mm->map_count >= sysctl_max_map_count)
//             return -ENOMEM;
// RFC patch 8/8, madvise_vma_behavior():
//     error = madvise_update_vma(new_flags, madv_behavior);
//     if (error && charge_reserved_thp)
//             reserved_thp_uncharge(reserved_hpages);
name 'rule-30-max-map-count'
description 'MADV_RESERVED_THP whose VMA split hits vm.max_map_count returns its charge and fails with EAGAIN.'

machine {
    memory 1.GB
    cmdline 'thp_reserved_nr=8'
}

policy thp()

process('p') {
    assert sysctl('vm.max_map_count') == 65530
    assert sysctl('vm.max_map_count', -1) == -EINVAL
    assert sysctl('vm.max_map_count', 2) == 0
    long a = mmap(0, 6.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)

    assert madvise(a + 2.MB, 2.MB, MADV_RESERVED_THP) == -EAGAIN
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 0 // the charge went back
    assert smaps(a).Size == 2048                            // the first split stayed
    assert smaps(a + 2.MB).Size == 4096 && !smaps(a + 2.MB).VmFlags.contains('rt')

    assert mmap(0, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS) == -ENOMEM   // 2 VMAs, limit 2
    assert munmap(a + 2.MB + 4.KB, 4.KB) == -ENOMEM        // a hole would make 3
    assert mprotect(a + 2.MB, 2.MB, PROT_READ) == -ENOMEM  // split_vma() too
    assert munmap(a + 4.MB, 2.MB) == 0                      // one split at the end: allowed to reach the limit

    assert madvise(a + 2.MB, 2.MB, MADV_RESERVED_THP) == 0  // the range is a whole VMA now: no split
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 1
    assert smaps(a + 2.MB).VmFlags.contains('rt')
    assert sysctl('vm.max_map_count', 3) == 0
    assert mmap(0, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS) > 0
}

run until: 1.s, sample: 1.s
