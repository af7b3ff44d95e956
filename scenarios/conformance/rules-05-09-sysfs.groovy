// Rule 9 (docs/model.md 1.2): "Sysfs directory /sys/kernel/mm/reserved_thp/, created even when nothing was
// reserved, read-only files: total_hpages (reserved capacity), used_hpages (quota charged), free_hpages =
// total − used." Scenario S2(c): no parameters -> directory exists, T=0.
// Rule 5: "There is no runtime interface to grow or shrink the pool."
// RFC patch 2/8, mm/reserved_thp.c:
//     static struct kobj_attribute total_hpages_attr = __ATTR_RO(total_hpages);
//     ...
//     kobj = kobject_create_and_add("reserved_thp", mm_kobj);      (outside the "if (requested ...)")
// A 0444 attribute without a store method: kernfs_fop_open() refuses a write open with -EACCES.
name 'rules-05-09-sysfs'
description 'Without parameters the reserved_thp files exist and read 0; they are read-only.'

machine {
    memory 1.GB
}

policy thp()

process('check') {
    assert sysfs('kernel/mm/reserved_thp/total_hpages') == 0
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 0
    assert sysfs('kernel/mm/reserved_thp/free_hpages') == 0
    assert sysfs('kernel/mm/reserved_thp/total_hpages', 8) == -EACCES
    assert sysfs('kernel/mm/reserved_thp/used_hpages', 0) == -EACCES
    assert sysfs('kernel/mm/reserved_thp/free_hpages', 8) == -EACCES
    assert sysfs('kernel/mm/reserved_thp/total_hpages') == 0
    assert pagetypeinfo()['ReserveTHP'] == 0
}

run until: 1.s, sample: 1.s
