// Rule 39 (docs/model.md 1.7): "fork: for each parent VMA copied (VMAs with VM_DONTCOPY, i.e.
// MADV_DONTFORK, are skipped and not charged), the child is charged the VMA's full hpages. If the charge
// fails, fork fails with ENOMEM; charges already made for earlier VMAs of the child are returned by the
// teardown of the half-built child."  Rule 38: exit uncharges every reserved VMA of the mm.
// Rule 51 [inferred]: a COW after fork is not reserved-aware: the writer's shared THP is split at PMD level.
// Scenario S10: T=4, one reserved 4 MiB VMA (U=2): fork -> U=4; second fork -> ENOMEM, U=4; child exits
// -> U=2. With MADV_DONTFORK first: fork -> U=2. The child's write to a shared THP: its AnonHugePages
// -2048 kB (mm/huge_memory.c do_huge_pmd_wp_page(): __split_huge_pmd(), then wp_page_copy() at 4 KiB).
// RFC patch 6/8, mm/mmap.c, dup_mmap():
//     if (mpnt->vm_flags & VM_DONTCOPY) { ... continue; }
//     if (mpnt->vm_flags & VM_RESERVED_THP) {
//             len = reserved_thp_hpage_nr(mpnt->vm_start, mpnt->vm_end);
//             if (reserved_thp_charge(len))
//                     goto fail_nomem;
// tear_down_vmas(): reserved_thp_uncharge(nr_reserved_thp);
name 'rule-39-fork'
description 'fork charges the child for every copied reserved VMA; DONTFORK VMAs are not charged; ENOMEM rolls back.'

machine {
    memory 8.GB
    cmdline 'thp_reserved_nr=4'
}

policy thp()

String USED = 'kernel/mm/reserved_thp/used_hpages'

process('parent') {
    long a = mmap(0, 4.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(a, 4.MB, MADV_RESERVED_THP) == 0
    assert sysfs(USED) == 2
    touch a, 4.MB
    assert smaps(a).AnonHugePages == 4096

    long child = fork('child') {
        assert smaps(a).VmFlags.contains('rt')              // vm_area_dup() copies VM_RESERVED_THP
        assert smaps(a).AnonHugePages == 4096               // both THPs shared, PMD-mapped
        touch a, 4.KB                                       // COW on the first THP
        assert smaps(a).AnonHugePages == 2048               // the writer's PMD is split (rule 51)
        assert vmstat('thp_split_pmd') == 1
        assert sysfs(USED) == 4                             // COW does not move the quota
        sleep 1.s
        exit()                                              // rule 38: the child's 2 hpages go back
    }
    assert child > 0
    assert sysfs(USED) == 4                                 // the child is charged the VMA's full 2 hpages
    assert fork() == -ENOMEM                                // F = 0 < 2
    assert sysfs(USED) == 4

    sleep 2.s                                               // the child writes and exits
    assert sysfs(USED) == 2
    assert smaps(a).AnonHugePages == 4096                   // only the writer split its PMD

    // MADV_DONTFORK: VM_DONTCOPY VMAs are skipped, so not charged
    assert madvise(a, 4.MB, MADV_DONTFORK) == 0
    assert smaps(a).VmFlags.contains('dc')
    long nocopy = fork('nocopy') {
        assert smaps(a) == null                             // not mapped in the child
        assert sysfs(USED) == 2
    }
    assert nocopy > 0
    assert sysfs(USED) == 2
    sleep 1.s                                               // the child runs
    assert madvise(a, 4.MB, MADV_DOFORK) == 0

    // a second reserved VMA: the child needs 2 + 1 hpages, F = 2: one VMA is charged, the next fails,
    // and the half-built child's teardown returns what was charged
    long b = mmap(0, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(b, 2.MB, MADV_RESERVED_THP) == 0
    assert sysfs(USED) == 3
    assert fork() == -ENOMEM
    assert sysfs(USED) == 3

    assert munmap(a, 4.MB) == 0
    assert munmap(b, 2.MB) == 0
    assert sysfs(USED) == 0
}

run until: 5.s, sample: 1.s
