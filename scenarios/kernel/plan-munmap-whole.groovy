// The author's reply to "munmap the first 4 KiB of a huge page": "the entire huge page will be freed at
// munmap time". The posted code returns EINVAL (rule 37); reservedThp(munmapWhole: true) follows the reply.
name 'plan-munmap-whole'
description "munmap of part of a reserved huge page frees the whole page (the author's stated plan)."

machine {
    memory 1.GB
}

policy reservedThp(reserve: 8.MB, munmapWhole: true)

process('p') {
    long a = mapHuge 4.MB
    touch a, 4.MB
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 2
    assert munmap(a + 4.KB, 4.KB) == 0                 // the code as posted: -EINVAL
    assert smaps(a) == null                             // the whole first huge page went
    assert smaps(a + 2.MB).Size == 2048
    assert sysfs('kernel/mm/reserved_thp/used_hpages') == 1
    assert meminfo('AnonHugePages') == 2048
}

run until: 1.s, sample: 1.s
