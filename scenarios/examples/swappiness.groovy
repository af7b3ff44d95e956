// vm.swappiness weighs anonymous memory against the page cache (docs/model.md 5.6). A service has 2 GiB
// gone idle and a 1 GiB file it reads often (all of it on the active file list, so the inactive file
// list is low and reclaim is not in cache_trim_mode). A batch job then needs 1.5 GiB. get_scan_count()
// splits each scan in the ratio swappiness : 200 − swappiness: at 0 only the page cache is reclaimed, at
// 200 only anonymous memory, at the default 60 both.
name 'swappiness'
description 'The same memory pressure under vm.swappiness 0, 60 and 200: page cache or swap.'

def swappiness = param('swappiness', 60)

machine { memory 4.GB; swap 4.GB }
policy thp()
run until: 60.s, sample: 1.s

process('service') {
    sysctl 'vm.swappiness', swappiness
    long heap = mmap(0, 2.GB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    touch heap, 2.GB
    idle heap, 2.GB
    readFile 'index', 1.GB
    readFile 'index', 1.GB                                  // referenced twice: active
    assert meminfo('Active(file)') == 1024 * 1024
    sleep 60.s
}

process('batch', start: 10.s) {
    long a = mmap(0, 1536.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    touch a, 1536.MB
    sleep 30.s
}
