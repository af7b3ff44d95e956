// Rule 19 (docs/model.md 1.4): "Uncharge of n: n = 0 is a no-op; if n > used, a one-time kernel warning
// fires and used is clamped to 0; otherwise used -= n."
// A reserved MAP_GROWSDOWN VMA grows at fault time without being charged (expand_downwards() knows nothing of
// the quota), and munmap and exit uncharge what the VMA spans then: (vm_end - vm_start) >> PMD_SHIFT. A
// reserved VMA of 4 MiB (2 hpages charged) grown by 2 MiB uncharges 3: the WARN fires, used_hpages is
// clamped to 0. WARN_ON_ONCE: the second over-uncharge (at exit) clamps without a second warning.
// The munmap of the whole grown VMA splits nothing, so rule 36's alignment check does not apply even when
// vm_start is not PMD-aligned (vms_gather_munmap_vmas() checks only when vms->start > vma->vm_start).
// RFC patch 4/8, mm/reserved_thp.c, reserved_thp_uncharge():
//     if (WARN_ON_ONCE(nr_hpages > reserved_thp_used))
//             reserved_thp_used = 0;
//     else
//             reserved_thp_used -= nr_hpages;
name 'rule-19-growsdown-warn'
description 'munmap and exit of a grown reserved stack uncharge more than was charged: one WARN, used clamped to 0.'

machine {
    memory 1.GB
    cmdline 'thp_reserved_nr=8'
}

policy thp()

process('stack') {
    long a = mmap(0, 4.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN)
    assert madvise(a, 4.MB, MADV_RESERVED_THP) == 0
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 2
    touch a - 2.MB, 4.KB                                    // vm_start moves down a PMD: 6 MiB, still 2 charged
    assert smaps(a).Size == 6144
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 2
    sleep 1500.ms
    assert munmap(a - 2.MB, 6.MB) == 0                      // uncharges 3 with 2 used at 1.5 s: WARN, clamp
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 0
    assert sysfs('kernel/mm/reserved_thp/free_hpages') == 8

    long b = mmap(0, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN)
    assert madvise(b, 2.MB, MADV_RESERVED_THP) == 0
    touch b - 2.MB, 4.KB
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 1
    sleep 1500.ms
    exit()                                                  // uncharges 2 with 1 used: clamped, no second WARN
}

run until: 4.s, sample: 1.s
