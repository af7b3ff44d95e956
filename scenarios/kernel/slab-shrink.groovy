// Reclaimable slab gives way under memory pressure (docs/model.md 4.7): a file walk fills 600 MiB of dentry
// and inode cache (MIGRATE_RECLAIMABLE, SReclaimable) and exits, the cache staying; an application then
// faults 640 MiB of 4 KiB pages on a machine without swap. Its order-0 allocations fall below the low
// watermark (kswapd) and min (direct reclaim): the only reclaimable memory is the cache, which the
// shrinkers free (shrink_slab(), super_cache_scan()), so the application gets its memory and the OOM killer
// is not called. Unmovable slab (socket buffers) is freed with its process instead.
// `hugesim kernel-check` cannot replay it (kernelAlloc is the model's).
name 'slab-shrink'
description 'Dentry and inode cache left by a finished file walk is shrunk when an application needs the memory.'

machine { memory 1.GB }
policy thp()

process('walk') {
    kernelAlloc 600.MB, reclaimable: true
    assert meminfo('SReclaimable') == 600 * 1024
    assert pagetypeinfo()['Reclaimable'] >= 300
    exit()
}

process('sockets', start: 1.s) {
    kernelAlloc 32.MB
    assert meminfo('SUnreclaim') == 32 * 1024
    exit()
}

process('app', start: 2.s) {
    assert meminfo('SReclaimable') == 600 * 1024      // the walk's cache outlives it
    assert meminfo('SUnreclaim') == 0                 // the sockets' buffers did not
    long len = 640.MB
    long a = mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    touch a, len
    assert vmstat('oom_kill') == 0
    assert meminfo('SReclaimable') < 600 * 1024 - 200 * 1024
    assert meminfo('AnonPages') >= 640 * 1024
}

expect { clean }

run until: 3.s, sample: 100.ms
