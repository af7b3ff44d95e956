// Rule 64 (docs/model.md 7.3), the zoneNosplit design: nosplit=S sets S aside at boot as ZONE_NOSPLIT, a
// policy zone overlaid on the nodes' memory (TAO's "policy (virtual) zones"), spread evenly over the nodes as
// movablecore= spreads ZONE_MOVABLE, from the top of each node's memory down. /proc/zoneinfo shows a NoSplit
// zone per node; the memory stays in MemTotal and MemFree (it is free memory of a zone), no quota exists and
// nothing is charged: the Reserved THP files read 0.
name 'rule-64-zone-set-aside'
description 'nosplit= sets memory aside at boot as a NoSplit zone on every node; nothing is charged.'

machine {
    memory 2.GB
    nodes 2
}

policy zoneNosplit(size: 64.MB)     // nosplit=64M: 32 PMD blocks, 16 on each node

process('p') {
    List<Map> zones = zoneinfo()
    assert zones*.zone == ['Normal', 'NoSplit', 'Normal', 'NoSplit']
    assert zones.findAll { it.zone == 'NoSplit' }*.managed == [8192, 8192]        // 32 MiB per node, in pages
    assert zones.findAll { it.zone == 'NoSplit' }*.nr_free_pages == [8192, 8192]
    assert zones*.nr_reserved_thp == [0, 0, 0, 0]                               // no Reserved THP pageblock
    long managed = zones.sum { it.managed } as long
    assert meminfo('MemTotal') == managed * 4                                   // the zones make MemTotal
    assert meminfo('MemFree') == (zones.sum { it.nr_free_pages } as long) * 4
    assert sysfs('kernel/mm/reserved_thp/total_hpages') == 0                    // no quota, nothing charged
    assert meminfo('HugePages_Total') == 0
}

run until: 1.s, sample: 1.s
