package hugesim.mm.rthp

import hugesim.mm.page.MigrateType
import hugesim.mm.page.Zone
import hugesim.uapi.Errno
import spock.lang.Specification

import java.util.function.Consumer

/**
 * The RFC's quota (patch 4/8, docs/model.md rules 17-19) and its boot-time reservation loop
 * (patch 2/8, rules 6-8), on real zones.
 */
class ReservedThpQuotaSpec extends Specification {
    static final int BLOCK = 512          // pages in a 2 MiB pageblock

    List<String> warnings = []
    ReservedThp rthp = new ReservedThp({ String w -> warnings << w } as Consumer<String>)

    /** A zone of wholly free pageblocks with its min watermark at {@code min} pages. */
    static Zone zone(int blocks, long min, int node = 0) {
        def z = new Zone(node, 'Normal', blocks, BLOCK)
        z.setWatermarks(min, min + min.intdiv(4), min + 2 * min.intdiv(4))
        z
    }

    /** The quota with {@code total} hpages reserved on a zone far larger than needed. */
    ReservedThp withTotal(long total) {
        assert rthp.reserveAtBoot(total, [zone(1024, 0)], 1, 1) == total
        rthp
    }

    // ---- charge and uncharge (rules 17-19) ------------------------------------------------------

    def "rule 18: charging 0 hpages succeeds trivially, even with no reserved capacity"() {
        expect:
        rthp.total() == 0
        rthp.charge(0) == 0
        rthp.used() == 0
        rthp.free() == 0
    }

    def "rule 18: a charge within total - used succeeds and adds n to used"() {
        given:
        withTotal(8)

        expect:
        rthp.charge(3) == 0
        rthp.used() == 3
        rthp.free() == 5
        rthp.charge(5) == 0
        rthp.used() == 8
        rthp.free() == 0
    }

    def "rule 18: a charge larger than total - used fails with -ENOMEM and changes nothing"() {
        given:
        withTotal(8)
        rthp.charge(5)

        when:
        int r = rthp.charge(n)

        then:
        r == -Errno.ENOMEM
        rthp.used() == 5
        rthp.free() == 3
        rthp.total() == 8

        where:
        n << [4, 9, 1000]
    }

    def "rule 18: the charge is all or nothing, so a failed charge leaves room for a smaller one"() {
        given:
        withTotal(4)
        rthp.charge(2)

        expect:
        rthp.charge(3) == -Errno.ENOMEM
        rthp.charge(2) == 0
        rthp.used() == 4
        rthp.charge(1) == -Errno.ENOMEM
    }

    def "rule 19: uncharging 0 is a no-op and uncharging within used subtracts n, without a warning"() {
        given:
        withTotal(8)
        rthp.charge(6)

        when:
        rthp.uncharge(0)

        then:
        rthp.used() == 6

        when:
        rthp.uncharge(4)

        then:
        rthp.used() == 2
        rthp.free() == 6
        warnings.isEmpty()
    }

    def "rule 19: uncharging 0 with nothing used is a no-op and does not warn"() {
        when:
        rthp.uncharge(0)

        then:
        rthp.used() == 0
        warnings.isEmpty()
    }

    def "rule 19: uncharging more than used fires one kernel warning through the Consumer and clamps used to 0"() {
        given:
        withTotal(8)
        rthp.charge(3)

        when:
        rthp.uncharge(5)

        then:
        rthp.used() == 0
        rthp.free() == 8
        warnings.size() == 1
        warnings[0].contains('reserved_thp_uncharge')
    }

    def "rule 19: the over-uncharge warning is WARN_ON_ONCE: a second over-uncharge clamps again but stays silent"() {
        given:
        withTotal(8)
        rthp.charge(3)
        rthp.uncharge(5)
        rthp.charge(2)

        when:
        rthp.uncharge(7)

        then:
        rthp.used() == 0
        warnings.size() == 1

        and: 'the quota keeps working normally afterwards'
        rthp.charge(8) == 0
        rthp.used() == 8
    }

    def "rule 17: the quota is one global pair: charges made for different callers add up against one total"() {
        given: 'capacity reserved over two nodes'
        rthp.reserveAtBoot(6, [zone(3, 0, 0), zone(3, 0, 1)], 1, 1)

        expect:
        rthp.total() == 6
        rthp.charge(4) == 0
        rthp.charge(3) == -Errno.ENOMEM
        rthp.charge(2) == 0
        rthp.free() == 0
    }

    def "overcommit (author's stated plan): charges never fail on the quota and used may exceed total"() {
        given:
        withTotal(4)
        rthp.setOvercommit(true)

        expect:
        rthp.charge(3) == 0
        rthp.charge(5) == 0
        rthp.used() == 8
        rthp.total() == 4
        rthp.free() == -4

        when: 'overcommit is switched off again'
        rthp.setOvercommit(false)

        then: 'the posted rule 18 applies once more'
        rthp.charge(1) == -Errno.ENOMEM
        rthp.used() == 8
    }

    // ---- boot reservation (rules 6-8) -----------------------------------------------------------

    def "rule 6: reserving N blocks marks them MIGRATE_RESERVED_THP and they stay free on that list"() {
        given:
        def z = zone(64, 1024)
        long freeBefore = z.freePages()

        when:
        long got = rthp.reserveAtBoot(8, [z], 1, 1)

        then:
        got == 8
        rthp.total() == 8
        rthp.requested() == 8
        rthp.used() == 0
        z.blocks(MigrateType.RESERVED_THP) == 8
        z.freeBlocks(MigrateType.RESERVED_THP) == 8
        z.freePages(MigrateType.RESERVED_THP) == 8 * BLOCK
        z.blocks(MigrateType.MOVABLE) == 56

        and: 'rule 14: the zone still counts them free, but ordinary allocations cannot use them'
        z.freePages() == freeBefore
        z.usableFree(false) == freeBefore - 8 * BLOCK
    }

    def "rule 6: a reserved block is never handed out again by the boot loop (no block is reserved twice)"() {
        given:
        def z = zone(16, 0)

        when:
        rthp.reserveAtBoot(10, [z], 1, 1)

        then:
        z.blocks(MigrateType.RESERVED_THP) == 10
        (0..<16).count { z.typeOf(it) == MigrateType.RESERVED_THP } == 10
        (0..<16).every { z.isFreeBlock(it) }
    }

    def "rule 7/8: a small zone and a huge request falls short, stopping at the min watermark"() {
        given: '64 blocks (32768 pages), min watermark 4096 pages'
        def z = zone(64, 4096)
        long usableBefore = z.usableFree(false)

        when:
        long got = rthp.reserveAtBoot(1000, [z], 1, 1)

        then: 'an order-9 request passes while usable free - 511 > min'
        got < 1000
        got == (usableBefore - z.min()).intdiv(BLOCK)
        got == 56
        rthp.total() == got
        rthp.requested() == 1000

        and: 'the next block would have failed the watermark, the last one passed it'
        !(z.usableFree(false) - (BLOCK - 1) > z.min())
        z.usableFree(false) + BLOCK - (BLOCK - 1) > z.min()
    }

    def "rule 8: the shortfall point follows the min watermark"() {
        given:
        def z = zone(64, min)

        expect:
        rthp.reserveAtBoot(1000, [z], 1, 1) == expected

        where:
        min   || expected
        0     || 64
        511   || 63
        512   || 63
        1023  || 62
        16384 || 32
        32768 || 0
    }

    def "rule 4/6: an unsigned-wrapped request (Long -1 = 2^64 - 1) reserves until allocation fails"() {
        given: 'min watermark 0; one UNMOVABLE and one MOVABLE block broken up by a single 4 KiB page each'
        def z = zone(64, 0)
        z.setType(63, MigrateType.UNMOVABLE)
        assert z.allocPages(MigrateType.UNMOVABLE, 1, { long p, int n -> } as Zone.Runs)
        assert z.allocPages(MigrateType.MOVABLE, 1, { long p, int n -> } as Zone.Runs)
        int wholeFree = (0..<64).count { z.isFreeBlock(it) }

        when:
        long got = rthp.reserveAtBoot(-1L, [z], 1, 1)

        then: 'every wholly free block was taken, and the loop ended because no further block could be allocated'
        wholeFree == 62
        got == 62
        Long.toUnsignedString(rthp.requested()) == '18446744073709551615'
        z.blocks(MigrateType.RESERVED_THP) == 62
        z.usableFree(false) - (BLOCK - 1) > z.min()   // the watermark would still have passed
    }

    def "rule 6: blocks are taken only from ordinary free blocks, never from CMA"() {
        given:
        def z = zone(8, 0)
        (4..<8).each { z.setType(it, MigrateType.CMA) }

        when:
        long got = rthp.reserveAtBoot(8, [z], 1, 1)

        then:
        got == 4
        z.blocks(MigrateType.CMA) == 4
        z.freeBlocks(MigrateType.CMA) == 4
        (0..<4).every { z.typeOf(it) == MigrateType.RESERVED_THP }
    }

    def "rule 6: with pageblocks smaller than the PMD, each reserved unit is a naturally aligned run of blocks"() {
        given: '2 pageblocks per PMD unit; block 1 is in use, so the aligned pair 0-1 is unusable'
        def z = zone(16, 0)
        assert z.takeBlock(1)

        when:
        long got = rthp.reserveAtBoot(3, [z], 2, 1)

        then:
        got == 3
        z.blocks(MigrateType.RESERVED_THP) == 6
        (2..<8).every { z.typeOf(it) == MigrateType.RESERVED_THP }
        z.typeOf(0) == MigrateType.MOVABLE
        z.typeOf(1) == MigrateType.MOVABLE
    }

    def "rule 7: with several hpages per reserved block the result rounds up to a multiple of hpages-per-block"() {
        given:
        def z = zone(16, 0)

        when:
        long got = rthp.reserveAtBoot(3, [z], 1, 2)

        then:
        got == 4
        rthp.total() == 4
        z.blocks(MigrateType.RESERVED_THP) == 2
    }

    def "rule 8: each block comes from the first zone that passes low (get_page_from_freelist), else the first that passes min (the NORETRY slow path)"() {
        given:
        def z0 = zone(8, 2048)      // low 2560: three blocks keep free - 511 above low, four above min
        def z1 = zone(8, 0, 1)      // no watermark

        when:
        long got = rthp.reserveAtBoot(10, [z0, z1], 1, 1)

        then: 'node 0 down to low, then node 1, and only then would node 0 go on down to min'
        got == 10
        z0.blocks(MigrateType.RESERVED_THP) == 3
        z1.blocks(MigrateType.RESERVED_THP) == 7

        when: 'a request that outlasts both low watermarks'
        def y0 = zone(8, 2048), y1 = zone(8, 2048, 1)
        long more = new ReservedThp({ }).reserveAtBoot(100, [y0, y1], 1, 1)

        then: 'each zone down to low first, then down to min, node 0 first'
        more == 8
        y0.blocks(MigrateType.RESERVED_THP) == 4
        y1.blocks(MigrateType.RESERVED_THP) == 4
    }
}
