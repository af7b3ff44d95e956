// Dirty page cache and its writeback (docs/model.md 5.6). A logger appends 2 GiB to a file on a
// rotational disk (150 MB/s) on a 4 GiB machine. Its pages are dirty in the page cache; past
// vm.dirty_background_ratio (10 % of dirtyable memory) the flusher writes them back, oldest first, and
// past vm.dirty_ratio (20 %) the writer waits in balance_dirty_pages() for writeback to catch up. Once
// the write returns, what is left under the background threshold waits until it is 30 s old
// (vm.dirty_expire_centisecs) for the periodic flush; deleting the file frees its cache.
// `hugesim kernel-check` cannot replay it (file I/O is the model's).
name 'dirty-throttle'
description 'A 2 GiB append to a slow disk is throttled at vm.dirty_ratio and written back by the flusher.'

machine { memory 4.GB; swap 4.GB; disk 'hdd' }
policy thp()
run until: 120.s, sample: 1.s

process('logger') {
    long dirtyable = meminfo('MemFree')                    // about what global_dirtyable_memory() finds
    writeFile 'log', 2.GB
    // it returned once no more than the threshold was dirty or under writeback
    assert meminfo('Dirty') + meminfo('Writeback') <= dirtyable * 20 / 100 + 2048
    // 2 GiB less what may stay dirty, written at 150 MB/s, before the write could return
    assert now >= (2.GB - dirtyable * 1024 * 20 / 100) / 150.MB
    assert meminfo('Dirty') > 0                            // at or under the background threshold: it waits
    sleep 60.s                                             // for dirty_expire_centisecs (30 s), then goes out
    assert meminfo('Dirty') == 0 && meminfo('Writeback') == 0
    assert meminfo('Cached') == 2 * 1024 * 1024            // clean now, still cached
    assert deleteFile('log') == 0
    assert meminfo('Cached') == 0
    assert deleteFile('log') == -2                         // ENOENT
}
