// Scenario S20 / section 4.3 of docs/model.md, worked example: "64 GiB single node, DMA ~ 4 k, DMA32
// ~ 0.79 M (3 GiB), Normal ~ 15.73 M managed pages. Default min_free_kbytes = sqrt(16 x 64 Gi kB) =
// 32768 kB, raised by THP to 67584 kB (16896 pages)": khugepaged's set_recommended_min_free_kbytes()
// asks for pageblock_nr_pages x nr_zones x (2 + MIGRATE_PCPTYPES x MIGRATE_PCPTYPES) = 512 x 3 x 11
// pages, counting every populated zone up to ZONE_NORMAL (DMA, DMA32 and Normal on x86_64 with more
// than 4 GiB), capped at 5% of lowmem (not reached here).
// mm/khugepaged.c set_recommended_min_free_kbytes():
//     for_each_populated_zone(zone) { if (zone_idx(zone) > gfp_zone(GFP_USER)) continue; nr_zones++; }
//     recommended_min = pageblock_nr_pages * nr_zones * 2;
//     recommended_min += pageblock_nr_pages * nr_zones * MIGRATE_PCPTYPES * MIGRATE_PCPTYPES;
// mm/page_alloc.c calculate_min_free_kbytes(): int_sqrt(lowmem_kbytes * 16), clamped to 128..262144.
name 's20-min-free-kbytes-64g'
description 'min_free_kbytes on a 64 GiB x86_64 machine with THP enabled: 67584 kB (three populated zones).'

machine {
    memory 64.GB
}

policy thp()

process('p') {
    assert sysfs('kernel/mm/transparent_hugepage/enabled') == 'always [madvise] never'
    assert sysctl('vm.min_free_kbytes') == 512 * 3 * 11 * 4                  // 67584 kB
}

run until: 1.s, sample: 1.s
