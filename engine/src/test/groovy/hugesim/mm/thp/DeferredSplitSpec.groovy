package hugesim.mm.thp

import hugesim.mm.VmStat
import hugesim.mm.page.AllocRequest
import hugesim.mm.page.Gfp
import hugesim.mm.page.MigrateType
import hugesim.mm.page.PageAlloc
import hugesim.mm.page.PageAllocator
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
        long id = split.pmdSplit(alloc.allocPages(AllocRequest.pmd(0, Gfp.WMARK_MIN)).handle(), 512)

        when:
        split.unmap(id, 1)
        split.unmap(id, 255)

        then:
        vmstat[VmStat.thp_deferred_split_page] == 1
        zone.freePages() == 7 * 512
        split.unmappedPages() == 256
    }

    def "deferred_split_scan(): the queued folio is split in place and its unmapped pages are freed"() {
        given:
        long id = split.pmdSplit(alloc.allocPages(AllocRequest.pmd(0, Gfp.WMARK_MIN)).handle(), 512)
        split.unmap(id, 200)

        when:
        long freed = split.scan()

        then:
        freed == 200
        vmstat[VmStat.thp_split_page] == 1
        split.isSplit(id)
        zone.freePages() == 7 * 512 + 200
        zone.pagesInUse(MigrateType.MOVABLE) == 312

        when: 'the split pages are freed one by one'
        split.unmap(id, 312)

        then:
        zone.freePages() == 8 * 512
        split.size() == 0
        split.scan() == 0
        vmstat[VmStat.thp_split_page] == 1
    }

    def "the last unmap of an unsplit folio frees its block whole, without a split"() {
        given:
        long id = split.pmdSplit(alloc.allocPages(AllocRequest.pmd(0, Gfp.WMARK_MIN)).handle(), 512)
        split.unmap(id, 12)

        when:
        split.unmap(id, 500)

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
        split.unmap(id, 1)

        when:
        long freed = split.scan()

        then:
        freed == 0
        vmstat[VmStat.thp_split_page] == 1
        zone.freeBlocks(MigrateType.RESERVED_THP) == 0
        zone.freePages(MigrateType.RESERVED_THP) == 1

        when:
        split.unmap(id, 511)

        then:
        zone.freeBlocks(MigrateType.RESERVED_THP) == 1
        reservedWakes >= 1
    }

    def "a split CMA folio's pages that cma_alloc() migrated out of CMA are freed as movable pages"() {
        given: 'a THP in a CMA block, partly unmapped and split by the shrinker'
        zone.setType(0, MigrateType.CMA)
        assert zone.takeBlock(0)
        long id = split.pmdSplit(0L, 512)
        split.unmap(id, 12)
        split.scan()
        assert zone.pagesInUse(MigrateType.CMA) == 500

        and: 'alloc_contig_range() moves its 500 pages out of the CMA block'
        int moved = zone.evacuate(0)
        zone.allocPages(MigrateType.MOVABLE, moved)

        when:
        split.unmap(id, 500)

        then:
        zone.pagesInUse(MigrateType.MOVABLE) == 0
        zone.pagesInUse(MigrateType.CMA) == 0
        zone.freePages() == 8 * 512
    }
}
