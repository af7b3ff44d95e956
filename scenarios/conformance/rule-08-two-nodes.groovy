// Rule 8 (docs/model.md 1.2) [inferred]: "The blocks come from ZONE_NORMAL first, then DMA32/DMA, and from
// the boot CPU's node first (default local policy), so a 2-node machine can end up with most reserved
// blocks on node 0."
// The code's consequence for the order: each alloc_pages() first runs the fast path at the LOW watermark
// over the whole zonelist (node 0, then node 1); only when every zone fails low does the slow path retry at
// MIN, again node 0 first. So node 0 gives blocks down to its low watermark, then node 1 down to its low
// watermark, and only then does either go below low. Here the request is more than node 0 gives above low
// and less than both nodes do: node 0 ends at its low watermark, node 1 holds the rest.
// Observable through rule 50: a task faults the reserved blocks of its own node only.
// mm/page_alloc.c: prepare_alloc_pages() starts with ALLOC_WMARK_LOW; get_page_from_freelist() goes to the
// next zone of the zonelist when zone_watermark_fast() fails; __alloc_pages_slowpath() then uses
// gfp_to_alloc_flags() = ALLOC_WMARK_MIN. RFC patch 2/8, reserved_thp_pageblocks(): alloc_pages(gfp, order).
name 'rule-08-two-nodes'
description 'The boot loop takes node 0 down to its low watermark, then node 1, before it goes below low anywhere.'

machine {
    memory 16.GB
    nodes 2
    cmdline 'thp_reserved_nr=6000'
}

policy thp()

process('node0') {
    // node 0's zone: its managed pages (node 0 holds the kernel image besides its share of the memory map,
    // so the two zones differ) and its low watermark from __setup_per_zone_wmarks()
    long pages = zoneinfo()[0].managed
    long low = zoneinfo()[0].low
    // order-9 allocations a node passes at low: usable − 511 > low, 512 pages less each time
    long aboveLow = (pages - 511 - low - 1).intdiv(512) + 1
    long total = sysfs('kernel/mm/reserved_thp/total_hpages')
    assert total == 6000 && aboveLow < total && total <= 2 * aboveLow   // the case this scenario is about

    long a = mmap(0, total * 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(a, total * 2.MB, MADV_RESERVED_THP) == 0
    assert madvise(a, total * 2.MB, MADV_POPULATE_WRITE) == -ENOMEM   // the rest is on node 1
    assert smaps(a).AnonHugePages == aboveLow * 2048                 // node 0 stopped at low
    assert munmap(a + aboveLow * 2.MB, (total - aboveLow) * 2.MB) == 0
}

process('node1', start: 1.s, node: 1) {
    long free = sysfs('kernel/mm/reserved_thp/free_hpages')
    long b = mmap(0, free * 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    assert madvise(b, free * 2.MB, MADV_RESERVED_THP) == 0
    assert madvise(b, free * 2.MB, MADV_POPULATE_WRITE) == 0           // node 1 holds exactly the rest
}

run until: 2.s, sample: 1.s
