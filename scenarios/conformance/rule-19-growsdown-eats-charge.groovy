// Rule 19 (docs/model.md 1.4), the quiet case: when other charges exist, the over-uncharge of a grown
// reserved MAP_GROWSDOWN VMA stays within used_hpages, so nothing warns: it silently returns quota that
// another process holds. used_hpages then counts less than the reserved VMAs span, free_hpages promises
// blocks twice, and a later charge succeeds that the quota should have refused. The WARN comes only when
// the last uncharge finds used too small, seconds later and in another process's exit.
// RFC patch 6/8, mm/vma.c, vms_gather_munmap_vmas():
//     if (next->vm_flags & VM_RESERVED_THP)
//             vms->nr_reserved_thp += reserved_thp_hpage_nr(next->vm_start, next->vm_end);
name 'rule-19-growsdown-eats-charge'
description 'A grown reserved stack returns another process charge on munmap; the WARN fires later, at another exit.'

machine {
    memory 1.GB
    cmdline 'thp_reserved_nr=4'
}

policy thp()

process('holder') {
    long h = mmap(0, 4.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(h, 4.MB, MADV_RESERVED_THP) == 0         // holds 2 hpages
    sleep 2500.ms
    exit()                                                  // uncharges 2 of 4 used: no WARN either
}

process('stack', start: 1.s) {
    long a = mmap(0, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN)
    assert madvise(a, 2.MB, MADV_RESERVED_THP) == 0
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 3
    touch a - 2.MB, 4.KB                                    // grows by a PMD, uncharged
    assert munmap(a - 2.MB, 4.MB) == 0                      // uncharges 2 of the 3 used: no WARN
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 1 // the holder alone still spans 2
    assert sysfs('kernel/mm/reserved_thp/free_hpages') == 3

    long b = mmap(0, 6.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(b, 6.MB, MADV_RESERVED_THP) == 0         // 2 + 3 hpages reserved out of 4
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 4
    sleep 2500.ms                                           // the holder exits at 2.5 s
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 2 // 3 hpages still reserved here
    exit()                                                  // uncharges 3 with 2 used: the WARN, clamp to 0
}

run until: 5.s, sample: 1.s
