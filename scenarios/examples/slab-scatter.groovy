// Unmovable kernel allocations scatter into movable pageblocks (docs/model.md 4.7). A batch job fills
// memory with 4 KiB pages and frees a quarter of them, 64 KB of every 256 KB, so no block is wholly free
// and none is half free. A server then opens 8192 connections whose socket buffers are 16 KB of unmovable
// slab each (128 MiB, for a minute). __rmqueue() (Linux 6.15) first claims the few free blocks whole
// (__rmqueue_claim()), then, finding no movable block half free (try_to_claim_block()), steals pages
// from movable blocks (__rmqueue_steal()): about 128 of them per block. When the batch job is gone those
// blocks still hold kernel pages: a THP heap falls back there, and direct compaction cannot help
// (compact_fail), until the connections close and the same heap gets THPs throughout.
// `hugesim kernel-check` cannot replay it (kernelAlloc is the model's).
name 'slab-scatter'
description 'Socket buffers allocated while memory is fragmented pollute movable pageblocks: THP faults fall back until they are freed.'

machine { memory 2.GB }
policy thp()

int RW = PROT_READ | PROT_WRITE
int ANON = MAP_PRIVATE | MAP_ANONYMOUS

// free chunks of order 9 and above, in 2 MiB blocks (buddyinfo's last two columns; order 10 is two)
def freeBlocks = { List<String> lines ->
    def cols = lines[0].split(/\s+/)
    (cols[-2] as long) + 2 * (cols[-1] as long)
}

process('batch') {
    long len = ((meminfo('MemFree') - 60_000) * 1024).intdiv(2.MB) * 2.MB
    long a = mmap(0, len, RW, ANON)
    assert madvise(a, len, MADV_NOHUGEPAGE) == 0
    touch a, len
    for (long off = 0; off < len; off += 256.KB) assert madvise(a + off, 64.KB, MADV_DONTNEED) == 0
    assert freeBlocks(buddyinfo()) < 64                  // what the fill left: less than the server needs
    sleep 20.s
    exit()
}

process('server', start: 10.s) {
    int before = pagetypeinfo()['Unmovable']
    8192.times { kernelAlloc 16.KB, for: 60.s }
    assert meminfo('SUnreclaim') == 128 * 1024
    assert freeBlocks(buddyinfo()) == 0                  // the free blocks were claimed whole
    assert pagetypeinfo()['Unmovable'] - before < 64     // the rest went into movable blocks, stolen
}

// the batch job is gone: memory is free but for the blocks holding socket buffers
process('heap', start: 30.s) {
    long free = meminfo('MemFree')
    long polluted = (free * 1024).intdiv(2.MB) - freeBlocks(buddyinfo())
    assert polluted > 100                                // 128 MiB of slab keeps more than 200 MiB from THPs
    long len = ((free - 100_000) * 1024).intdiv(2.MB) * 2.MB
    long a = mmap(0, len, RW, ANON)
    assert madvise(a, len, MADV_HUGEPAGE) == 0
    touch a, len
    assert vmstat('thp_fault_fallback') > 0
    assert vmstat('compact_stall') == vmstat('thp_fault_fallback') && vmstat('compact_success') == 0
    sleep 5.s
    exit()
}

// a minute on, the connections are closed: the same heap gets THPs throughout
process('later', start: 80.s) {
    assert meminfo('SUnreclaim') == 0
    long alloc = vmstat('thp_fault_alloc'), fallback = vmstat('thp_fault_fallback')
    long len = ((meminfo('MemFree') - 100_000) * 1024).intdiv(2.MB) * 2.MB
    long a = mmap(0, len, RW, ANON)
    assert madvise(a, len, MADV_HUGEPAGE) == 0
    touch a, len
    assert vmstat('thp_fault_alloc') - alloc == len.intdiv(2.MB) && vmstat('thp_fault_fallback') == fallback
}

expect { clean }

run until: 90.s, sample: 1.s
