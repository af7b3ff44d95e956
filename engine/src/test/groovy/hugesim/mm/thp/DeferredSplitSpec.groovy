package hugesim.mm.thp

import hugesim.mm.VmStat
import hugesim.mm.page.AllocRequest
import hugesim.mm.page.Gfp
import hugesim.mm.page.MigrateType
import hugesim.mm.page.PageAlloc
import hugesim.mm.page.PageAllocator
import hugesim.mm.page.PageRuns
import hugesim.mm.page.Zone
import spock.lang.Specification

/**
 * PTE-mapped THP folios and the deferred-split queue (mm/huge_memory.c __split_huge_pmd(),
 * deferred_split_folio(), deferred_split_scan(); mm/rmap.c __folio_remove_rmap()).
 */
class DeferredSplitSpec extends Specification {
    Zone zone = new Zone(0, 'Normal', 8, 512)
    PageAllocator pages = new PageAllocator([zone])
    PageAlloc alloc = new PageAlloc(pages, 512, null, null, { VmStat item, long n -> })
    Map<VmStat, Long> vmstat = [:].withDefault { 0L }
    int reservedWakes, memoryWakes
    DeferredSplit split = new DeferredSplit(pages, { VmStat item, long n -> vmstat[item] += n },
            { reservedWakes++ }, { memoryWakes++ })

    /** Pages [from, from + n) of the folio in block handle {@code h}, as a window maps them. */
    static long[] pages(long h, int from, int n) {
        new PageRuns.Builder().add(PageAllocator.node(h), PageAllocator.block(h) * 512L + from, from, n).build()
    }

    def "a PMD split alone queues nothing: every page is still mapped"() {
        when:
        long id = split.pmdSplit(alloc.allocPages(AllocRequest.pmd(0, Gfp.WMARK_MIN)).handle(), 512)

        then:
        vmstat[VmStat.thp_deferred_split_page] == 0
        split.scan() == 0
        vmstat[VmStat.thp_split_page] == 0
        !split.isSplit(id)
        zone.freePages() == 7 * 512
    }

    def "deferred_split_folio(): the first partial unmap queues the folio once, and the folio keeps its whole block"() {
        given:
        long h = alloc.allocPages(AllocRequest.pmd(0, Gfp.WMARK_MIN)).handle()
        long id = split.pmdSplit(h, 512)

        when:
        split.unmap(id, pages(h, 0, 1))
        split.unmap(id, pages(h, 1, 255))

        then:
        vmstat[VmStat.thp_deferred_split_page] == 1
        zone.freePages() == 7 * 512
        split.unmappedPages() == 256
    }

    def "deferred_split_scan(): the queued folio is split in place and its unmapped pages are freed"() {
        given:
        long h = alloc.allocPages(AllocRequest.pmd(0, Gfp.WMARK_MIN)).handle()
        long id = split.pmdSplit(h, 512)
        split.unmap(id, pages(h, 0, 200))

        when:
        long freed = split.scan()

        then:
        freed == 200
        vmstat[VmStat.thp_split_page] == 1
        split.isSplit(id)
        zone.freePages() == 7 * 512 + 200
        zone.pagesInUse(MigrateType.MOVABLE) == 312
        !zone.pageInUse(PageAllocator.block(h) * 512L + 199) && zone.pageInUse(PageAllocator.block(h) * 512L + 200)

        when: 'the split pages are freed one by one'
        split.unmap(id, pages(h, 200, 312))

        then:
        zone.freePages() == 8 * 512
        split.size() == 0
        split.scan() == 0
        vmstat[VmStat.thp_split_page] == 1
    }

    def "the last unmap of an unsplit folio frees its block whole, without a split"() {
        given:
        long h = alloc.allocPages(AllocRequest.pmd(0, Gfp.WMARK_MIN)).handle()
        long id = split.pmdSplit(h, 512)
        split.unmap(id, pages(h, 500, 12))

        when:
        split.unmap(id, pages(h, 0, 500))

        then:
        zone.freeBlocks(MigrateType.MOVABLE) == 8
        vmstat[VmStat.thp_split_page] == 0
        split.size() == 0
        split.scan() == 0
        memoryWakes == 1
    }

    def "rule 32: a split reserved THP's pages keep their reserved block until the last is freed; the shrinker frees nothing ordinary allocations can use"() {
        given:
        zone.setType(7, MigrateType.RESERVED_THP)
        long h = alloc.allocPages(AllocRequest.pmd(0, Gfp.RESERVED_THP | Gfp.THISNODE)).handle()
        long id = split.pmdSplit(h, 512)
        split.unmap(id, pages(h, 0, 1))

        when:
        long freed = split.scan()

        then:
        freed == 0
        vmstat[VmStat.thp_split_page] == 1
        zone.freeBlocks(MigrateType.RESERVED_THP) == 0
        zone.freePages(MigrateType.RESERVED_THP) == 1

        when:
        split.unmap(id, pages(h, 1, 511))

        then:
        zone.freeBlocks(MigrateType.RESERVED_THP) == 1
        reservedWakes >= 1
    }

    def "split_folio(): the pages no PTE maps are freed where they are, the mapped ones stay in their places"() {
        given: 'every other page of a THP unmapped, then the shrinker splits it'
        long h = alloc.allocPages(AllocRequest.pmd(0, Gfp.WMARK_MIN)).handle()
        long id = split.pmdSplit(h, 512)
        for (int p = 0; p < 512; p += 2) split.unmap(id, pages(h, p, 1))

        when:
        split.scan()

        then: 'the block holds 256 pages, none of them next to another: no free chunk above order 0'
        zone.pagesInUse(MigrateType.MOVABLE) == 256
        zone.nrFree(MigrateType.MOVABLE, 0) == 256
        (1..8).every { zone.nrFree(MigrateType.MOVABLE, it) == 0 }
        zone.freeBlocks(MigrateType.MOVABLE) == 7

        when: 'the other half goes too'
        for (int p = 1; p < 512; p += 2) split.unmap(id, pages(h, p, 1))

        then: 'the buddies merge back into a whole free block'
        zone.freeBlocks(MigrateType.MOVABLE) == 8
        zone.nrFree(MigrateType.MOVABLE, 0) == 0
        split.size() == 0
    }
}
