// The page cache gives way to an application (docs/model.md 5.6). A file server reads a 2 GiB file, then
// its first GiB again: that half is activated (folio_mark_accessed()), the rest stays inactive. An
// application then writes 3 GiB of anonymous memory on a 4 GiB machine. While the inactive file list is
// large, get_scan_count() reclaims file pages only (cache_trim_mode): the clean cache is dropped and
// nothing is swapped. Reading the file again brings the evicted stretches back as refaults
// (workingset_refault_file), found through the shadow entries eviction left. Dropping the caches
// (vm.drop_caches) leaves no shadow for what it drops. `hugesim kernel-check` cannot replay it (file I/O is the model's).
name 'page-cache'
description 'A 2 GiB file cache gives way to a 3 GiB application on a 4 GiB machine, without swapping.'

machine { memory 4.GB; swap 4.GB }
policy thp()
run until: 120.s, sample: 1.s

process('server') {
    readFile 'data', 2.GB                                  // from the disk: 2 s at the SSD's 1 GB/s
    assert meminfo('Cached') == 2 * 1024 * 1024
    assert meminfo('Inactive(file)') == 2 * 1024 * 1024
    readFile 'data', 1.GB                                  // a hit: referenced already, now activated
    assert meminfo('Active(file)') == 1024 * 1024
    assert vmstat('pgactivate') == 1.GB.intdiv(4096)
    sleep 100.s
}

process('app', start: 10.s) {
    long a = mmap(0, 3.GB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    touch a, 3.GB
    assert vmstat('pgsteal_file') > 0                      // the cache went
    assert vmstat('pswpout') == 0                          // and nothing was swapped
    assert meminfo('Cached') < 1024 * 1024
    sleep 100.s
}

process('again', start: 30.s) {
    readFile 'data', 2.GB
    assert vmstat('workingset_refault_file') > 0           // stretches read before, evicted, read again
    sysctl 'vm.drop_caches', 1
    assert meminfo('Cached') == 0
    long refaults = vmstat('workingset_refault_file')
    readFile 'data', 64.MB, offset: 2.GB - 64.MB           // cached when dropped (read last)
    assert vmstat('workingset_refault_file') == refaults  // dropped, not evicted: no shadow entry
}
