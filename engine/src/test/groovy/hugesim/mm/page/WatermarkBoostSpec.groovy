package hugesim.mm.page

import hugesim.kernel.AnonymousWrites
import hugesim.kernel.Kernel
import hugesim.kernel.MachineConfig
import hugesim.kernel.Task
import hugesim.mm.Fault
import hugesim.sim.Environment
import spock.lang.Specification

import static hugesim.uapi.Mman.*
import static hugesim.units.Size.GB
import static hugesim.units.Size.KB
import static hugesim.units.Size.MB

/**
 * Watermark boosting (mm/page_alloc.c boost_watermark(), try_to_claim_block(), rmqueue(); mm/vmscan.c
 * wakeup_kswapd(), balance_pgdat()): a fallback that may claim another migratetype's pageblock raises the
 * zone's watermarks and flags ZONE_BOOSTED_WATERMARK; the next allocation that may wake kswapd does, and
 * kswapd, having balanced the node to the boosted high watermark, takes the boost off and wakes kcompactd.
 */
class WatermarkBoostSpec extends Specification implements AnonymousWrites {
    static final long S = 1_000_000_000L

    Environment env = new Environment(10_000_000_000L)
    Kernel k = Kernel.boot(env, MachineConfig.of(1 * GB).withKernelReserved(0), [])
    Task t = k.newTask('p')
    Zone zone = k.m.pages.zone(0)

    /** 4 KiB pages over memory but 64 MiB, then every other page freed: every used block half free. */
    void fragment() {
        long fill = zone.usableFree(true) * 4 * KB - 64 * MB
        fill -= fill % (2 * MB)
        long a = map(fill)
        assert t.madvise(a, fill, MADV_NOHUGEPAGE) == 0
        for (long p = a; p < a + fill; p += 2 * MB) {
            assert write(p) == Fault.DONE
        }
        for (long p = a; p < a + fill; p += 8 * KB) assert t.madvise(p, 4 * KB, MADV_DONTNEED) == 0
    }

    /**
     * Unmovable pages, as slab: the unmovable free pages there are, the free blocks, then one page more, for which a
     * half-free movable block is claimed (a fragmenting fallback).
     */
    Allocation claimOne() {
        long n = zone.freePages(MigrateType.UNMOVABLE) + zone.freeBlocks(MigrateType.MOVABLE) * 512L + 1
        Allocation a = k.m.alloc.allocPages(AllocRequest.pages(n, 0, Gfp.KERNEL))
        assert a.ok()
        k.m.slab.add(1, false, a.runs())
        a
    }

    long vmstat(String name) { k.views.vmstat(name) }

    def "boost_watermark(): a kernel allocation that claims part of a movable pageblock raises min, low and high by a pageblock, shown as zoneinfo's boost; a whole free block claimed boosts nothing"() {
        given:
        assert k.views.sysctl('vm.compaction_proactiveness', 0) == 0
        long min = zone.min(), low = zone.low(), high = zone.high()

        when: 'a free block claimed whole (current_order >= pageblock_order)'
        assert k.m.alloc.allocPages(AllocRequest.pages(512, 0, Gfp.KERNEL)).ok()

        then:
        zone.watermarkBoost() == 0

        when: 'memory scattered, then more unmovable pages than free blocks hold'
        fragment()
        claimOne()

        then: 'one claim below the pageblock order: one pageblock of boost on every watermark'
        zone.watermarkBoost() == 512
        zone.min() == min + 512 && zone.low() == low + 512 && zone.high() == high + 512
        k.views.zoneinfo()[0].boost == 512L
        k.views.zoneinfo()[0].high == high + 512
    }

    def "boost_watermark(): the boost stops at watermark_boost_factor / 10000 of high (150 %), and vm.watermark_boost_factor 0 turns boosting off"() {
        given:
        assert k.views.sysctl('vm.watermark_boost_factor') == 15000
        assert k.views.sysctl('vm.compaction_proactiveness', 0) == 0
        long high = zone.high()
        fragment()

        when: 'more claims than 150 % of high takes (50 pageblocks), nothing run to take the boost off'
        60.times { claimOne() }

        then:
        zone.watermarkBoost() == Math.max(512L, high * 15000 / 10000)

        when:
        zone.clearWatermarkBoost(zone.watermarkBoost())
        assert k.views.sysctl('vm.watermark_boost_factor', 0) == 0
        claimOne()

        then:
        zone.watermarkBoost() == 0
        k.views.sysctl('vm.watermark_boost_factor', -1) == -hugesim.uapi.Errno.EINVAL
    }

    def "ZONE_BOOSTED_WATERMARK: the next allocation that may wake kswapd does (rmqueue()); kswapd, balanced at the boosted high, reclaims without swap, takes the boost off and wakes kcompactd for pageblock_order (balance_pgdat())"() {
        given: 'no swap; proactive compaction off; a fragmenting fallback'
        assert k.views.sysctl('vm.compaction_proactiveness', 0) == 0
        fragment()
        claimOne()
        assert zone.watermarkBoost() == 512
        assert zone.freeBlocks(MigrateType.MOVABLE) == 0

        when: 'a 4 KiB allocation with free memory well above the boosted high watermark'
        assert zone.usableFree(false) > zone.high() + 512
        assert k.m.alloc.allocPages(AllocRequest.pages(1, 0, 0)).ok()
        env.run(1 * S)

        then: 'kswapd ran once, swapped nothing, and left the watermarks as they were'
        vmstat('pageoutrun') == 0 || vmstat('pswpout') == 0
        zone.watermarkBoost() == 0
        and: 'kcompactd compacted until a free block exists'
        vmstat('compact_daemon_wake') == 1
        vmstat('compact_daemon_migrate_scanned') > 0
        zone.freeBlocks(MigrateType.MOVABLE) > 0
        vmstat('compact_stall') == 0
    }

    def "wakeup_kswapd(): a node balanced for the order and not boosted does not wake kswapd; a boosted one does"() {
        given:
        assert k.views.sysctl('vm.compaction_proactiveness', 0) == 0

        when: 'a balanced node'
        k.reclaim.wakeupKswapd(0, 0, false)

        then:
        !k.reclaim.kswapdRunning(0)

        when: 'the same node with a boost'
        fragment()
        claimOne()
        zone.testAndClearBoostedWatermark()
        k.reclaim.wakeupKswapd(0, 0, false)

        then:
        k.reclaim.kswapdRunning(0)
    }
}
