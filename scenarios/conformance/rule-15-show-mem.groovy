// Rule 15 (docs/model.md 1.3): "the free-area dump gains reserved_thp:…kB free_reserved_thp:…kB per
// zone. The patch text says /proc/zoneinfo, but the diff only changes the OOM/sysrq dump (show_mem)."
// The dump is printed by sysrq-m and by every OOM kill, before the "Killed process" line.
// RFC patch 3/8, mm/show_mem.c show_free_areas():
//     " reserved_thp:%luKB" " free_reserved_thp:%luKB" ... K(zone->nr_reserved_thp), K(zone->nr_free_reserved_thp)
name 'rule-15-show-mem'
description 'The OOM and sysrq-m memory dump shows each zone\'s reserved_thp and free_reserved_thp.'

machine {
    memory 1.GB
    cmdline 'thp_reserved_nr=2'
}

policy thp()

int RW = PROT_READ | PROT_WRITE
int ANON = MAP_PRIVATE | MAP_ANONYMOUS

process('p') {
    List<String> dump = showMem()
    assert dump.size() == 1
    assert dump[0].startsWith('Node 0 Normal free:')
    assert dump[0].contains(' reserved_thp:4096KB free_reserved_thp:4096KB ')
    long a = mmap(0, 2.MB, RW, ANON)
    assert madvise(a, 2.MB, MADV_RESERVED_THP) == 0
    touch a, 2.MB
    assert showMem()[0].contains(' reserved_thp:4096KB free_reserved_thp:2048KB ')
    sleep 1.s                                               // the hog below is killed meanwhile
}

process('hog', start: 100.ms) {
    long h = mmap(0, 1.GB, RW, ANON)
    touch h, 1.GB                                           // more than the machine has, and no swap
}

run until: 2.s, sample: 1.s
