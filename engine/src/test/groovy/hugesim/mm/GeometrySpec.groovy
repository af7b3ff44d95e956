package hugesim.mm

import spock.lang.Specification

/**
 * Pageblock geometry (docs/model.md 4.1): pageblock_order = min(PMD order, CONFIG_PAGE_BLOCK_MAX_ORDER), and
 * the RFC's reservation unit of order max(PMD order, pageblock order) (rule 6).
 */
class GeometrySpec extends Specification {
    static final long KiB = 1L << 10
    static final long MiB = 1L << 20

    def "the default geometries are those of the Kconfig default, PAGE_BLOCK_MAX_ORDER = MAX_PAGE_ORDER: #g.arch"() {
        expect:
        g.withPageBlockMaxOrder(maxOrder) == g
        g.pmdOrder() == pmdOrder
        g.pageblockOrder() == pmdOrder

        where:
        g                  | maxOrder | pmdOrder
        Geometry.X86_64    | 10       | 9
        Geometry.ARM64_64K | 13       | 13
    }

    def "#g.arch with PAGE_BLOCK_MAX_ORDER=#order: #pageblocks pageblocks of #size bytes per PMD-sized unit"() {
        when:
        def lowered = g.withPageBlockMaxOrder(order)

        then:
        lowered.pageblockOrder() == pageblockOrder
        lowered.pageblockSize() == size
        lowered.pageblockPages() == 1 << pageblockOrder
        lowered.pageblocksPerBlock() == pageblocks

        and: 'the zone block and the reserved unit stay one PMD: order max(PMD, pageblock), one hpage each'
        lowered.blockSize() == g.pmdSize()
        lowered.blockPages() == g.pmdPages()
        lowered.hpagesPerReservedBlock() == 1

        where:
        g                  | order || pageblockOrder | size       | pageblocks
        Geometry.X86_64    | 10    || 9              | 2 * MiB    | 1          // min(9, 10)
        Geometry.X86_64    | 9     || 9              | 2 * MiB    | 1
        Geometry.X86_64    | 5     || 5              | 128 * KiB  | 16
        Geometry.X86_64    | 1     || 1              | 8 * KiB    | 256
        Geometry.ARM64_64K | 13    || 13             | 512 * MiB  | 1
        Geometry.ARM64_64K | 5     || 5              | 2 * MiB    | 256
        Geometry.ARM64_64K | 1     || 1              | 128 * KiB  | 4096
    }

    def "mm/Kconfig's range for PAGE_BLOCK_MAX_ORDER is 1..#max on #g.arch: #order is refused"() {
        when:
        g.withPageBlockMaxOrder(order)

        then:
        def e = thrown(IllegalArgumentException)
        e.message == "pageblockOrder (CONFIG_PAGE_BLOCK_MAX_ORDER) must be 1..${max} on ${g.arch()}, got ${order}".toString()

        where:
        g                  | order || max
        Geometry.X86_64    | 0     || 10
        Geometry.X86_64    | 11    || 10
        Geometry.ARM64_64K | 0     || 13
        Geometry.ARM64_64K | 14    || 13
    }
}
