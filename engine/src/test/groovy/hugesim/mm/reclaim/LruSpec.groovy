package hugesim.mm.reclaim

import hugesim.kernel.Kernel
import hugesim.kernel.MachineConfig
import hugesim.kernel.Task
import hugesim.mm.Fault
import hugesim.mm.Geometry
import hugesim.mm.VmStat
import hugesim.mm.page.AllocRequest
import hugesim.mm.page.Gfp
import hugesim.mm.page.Zone
import hugesim.mm.vma.LruFolio
import hugesim.mm.vma.Vma
import hugesim.sim.Environment
import spock.lang.Specification

import static hugesim.uapi.Mman.*
import static hugesim.units.Size.MB

/**
 * The anonymous LRU lists and their scanning (mm/vmscan.c, mm/swap.c), and kswapd, on a one-node machine
 * of 256 MiB with 256 MiB of swap. THP windows are faulted in directly, so each window is one LRU entry.
 */
class LruSpec extends Specification {
    Kernel k = Kernel.boot(new Environment(10_000_000_000L), new MachineConfig(256 * MB, 1, 256 * MB, MachineConfig.DEFAULT_SWAP_BANDWIDTH,
            MachineConfig.DEFAULT_SWAP_BANDWIDTH, false, MachineConfig.DEFAULT_MIGRATE, '', Geometry.X86_64), [])
    Task t = k.newTask('p')
    Zone zone = k.m.pages.zone(0)

    /** {@code n} MADV_HUGEPAGE windows of task p, each faulted in as a THP. */
    Vma thps(int n) {
        long a = t.mmap(0, n * 2 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
        assert t.madvise(a, n * 2 * MB, MADV_HUGEPAGE) == 0
        Vma v = t.mm.find(a)
        n.times { assert k.memory.fault(t.mm, v, it, true, {}, false) == Fault.DONE }
        v
    }

    long vmstat(VmStat item) { k.m.get(item) }

    long inactive() { k.reclaim.lru.size(0, LruFolio.INACTIVE) }

    long active() { k.reclaim.lru.size(0, LruFolio.ACTIVE) }

    /** Runs the event loop until every write started has completed. */
    void settle() { k.env.run(k.env.now() + 5_000_000_000L) }

    /** One shrink_node() of direct reclaim on node 0, priorities 12 down to 0; returns the pages started. */
    long shrinkNode(long target) {
        k.reclaim.vmscan.shrinkNode(0, target, Vmscan.ScanControl.DIRECT, new WriteBatch(k.env, {}))
    }

    def "lru_cache_add_inactive_or_unevictable(): a faulted THP joins the inactive list (since 5.9), one entry per THP"() {
        when:
        Vma v = thps(2)

        then:
        inactive() == 2
        active() == 0
        v.lru(0) != v.lru(1)
        v.lru(0).list == LruFolio.INACTIVE
    }

    def "folio_check_references(): a working-set THP young once is kept with PG_referenced, young again it is activated"() {
        given:
        Vma v = thps(1)
        k.reclaim.lru.accessed(t.mm, v, 0, true)

        when: 'the first look keeps it'
        long first = shrinkNode(512)

        then:
        first == 0
        inactive() == 1
        v.lru(0).referenced
        vmstat(VmStat.pgactivate) == 0

        when: 'the second activates it'
        long second = shrinkNode(512)

        then:
        second == 0
        active() == 1
        inactive() == 0
        vmstat(VmStat.pgactivate) == 512
        vmstat(VmStat.pgscan_direct) == 1024
        vmstat(VmStat.pgsteal_direct) == 0

        and: 'direct reclaim with its retries never writes it out'
        !k.reclaim.reclaimPages(0, 512, {})
    }

    def "folio_check_references(): a THP not accessed since its fault is kept once, then reclaimed (FOLIOREF_RECLAIM)"() {
        given:
        Vma v = thps(1)

        when: 'the first look keeps it, the retry reclaims it'
        boolean started = k.reclaim.reclaimPages(0, 512, {})
        settle()

        then: 'written whole, it stays in the swap cache at the inactive tail, unmapped'
        started
        v.kind(0) == Vma.PTE
        v.swp(0) == 512
        vmstat(VmStat.pgscan_direct) == 1024
        vmstat(VmStat.pgsteal_direct) == 0
        vmstat(VmStat.thp_swpout) == 1
        k.reclaim.swapCache.pages() == 512
        inactive() == 1

        when: 'the next pass finds it clean and frees it (__remove_mapping())'
        k.reclaim.reclaimPages(0, 512, {})

        then:
        vmstat(VmStat.pgsteal_direct) == 512
        vmstat(VmStat.pswpout) == 512
        k.reclaim.swapCache.pages() == 0
        inactive() == 0
    }

    def "shrink_active_list(): with the inactive list low, an active anonymous folio is deactivated though referenced (pgrefill, pgdeactivate)"() {
        given: 'a working-set THP on the active list'
        Vma v = thps(1)
        k.reclaim.lru.accessed(t.mm, v, 0, true)
        shrinkNode(512)
        shrinkNode(512)
        assert active() == 1

        when: 'it goes idle and reclaim runs again'
        k.reclaim.lru.idle(t.mm, v, 0)
        long started = shrinkNode(512)
        settle()

        then: 'deactivated at priority 0 (its last access was before the look that activated it), then written out'
        started == 512
        vmstat(VmStat.pgrefill) == 512
        vmstat(VmStat.pgdeactivate) == 512
        v.swp(0) == 512
    }

    def "the working set survives and idle memory goes: reclaim takes the idle THP whatever their order on the list"() {
        given: 'the older THP is the working set, the younger one idle'
        Vma v = thps(2)
        k.reclaim.lru.accessed(t.mm, v, 0, true)
        k.reclaim.lru.idle(t.mm, v, 1)

        when:
        k.reclaim.reclaimPages(0, 512, {})
        settle()

        then: 'the idle one is written out and waits in the swap cache'
        v.kind(0) == Vma.PMD_THP
        v.swp(1) == 512
        vmstat(VmStat.thp_swpout) == 1
        k.reclaim.swapCache.pages() == 512
    }

    def "MADV_COLD deactivates and clears the young bits: the next look reclaims at once"() {
        given:
        Vma v = thps(1)
        k.reclaim.lru.accessed(t.mm, v, 0, true)

        when:
        assert t.madvise(v.start, 2 * MB, MADV_COLD) == 0
        long started = shrinkNode(512)
        settle()

        then:
        started == 512
        vmstat(VmStat.pgscan_direct) == 512
        v.swp(0) == 512
    }

    def "wakeup_kswapd(): an order-0 request below the low watermark wakes kswapd, which writes idle THPs out until free is above high, then sleeps"() {
        given: 'idle THPs filling memory down to just above low'
        long thpCount = (zone.usableFree(true) - zone.low() - 600) / 512
        Vma v = thps((int) thpCount)
        thpCount.times { k.reclaim.lru.idle(t.mm, v, (int) it) }
        long low = zone.low(), high = zone.high()

        when: 'an order-0 request takes the free pages below low'
        assert k.m.alloc.allocPages(AllocRequest.pages(zone.usableFree(true) - low + 8, 0, Gfp.WMARK_MIN)).ok()
        assert zone.usableFree(false) <= low
        settle()

        then:
        zone.usableFree(false) > high
        vmstat(VmStat.pageoutrun) >= 1
        vmstat(VmStat.pgsteal_kswapd) > 0
        vmstat(VmStat.pgsteal_kswapd) % 512 == 0
        vmstat(VmStat.pgsteal_direct) == 0
        vmstat(VmStat.thp_swpout) * 512 == vmstat(VmStat.pgsteal_kswapd)
        zone.usableFree(false) - high <= 512   // it stops once above high: one THP past it at most
    }

    def "kswapd_try_to_sleep(): woken again #wait ms after balancing, kswapd_low_wmark_hit_quickly is #quickly (HZ/10 is 100 ms)"() {
        given: 'idle THPs filling memory down to just above low, and kswapd woken once'
        long thpCount = (zone.usableFree(true) - zone.low() - 600) / 512
        Vma v = thps((int) thpCount)
        thpCount.times { k.reclaim.lru.idle(t.mm, v, (int) it) }
        assert k.m.alloc.allocPages(AllocRequest.pages(zone.usableFree(true) - zone.low() + 8, 0, Gfp.WMARK_MIN)).ok()

        when: 'it balances and sleeps; #wait ms later free memory falls below low again'
        while (zone.usableFree(false) <= zone.high()) k.env.run(k.env.now() + 1_000_000L)
        k.env.run(k.env.now() + wait * 1_000_000L)
        assert k.m.alloc.allocPages(AllocRequest.pages(zone.usableFree(true) - zone.low() + 8, 0, Gfp.WMARK_MIN)).ok()
        settle()

        then:
        vmstat(VmStat.kswapd_low_wmark_hit_quickly) == quickly
        zone.usableFree(false) > zone.high()

        where:
        wait || quickly
        0    || 1
        200  || 0
    }

    def "kswapd: a node with nothing to reclaim is hopeless after MAX_RECLAIM_RETRIES (16) passes, and stays asleep"() {
        given: 'the working set fills memory'
        long thpCount = (zone.usableFree(true) - zone.low() - 600) / 512
        Vma v = thps((int) thpCount)
        thpCount.times { k.reclaim.lru.accessed(t.mm, v, (int) it, true) }

        when:
        assert k.m.alloc.allocPages(AllocRequest.pages(zone.usableFree(true) - zone.low() + 8, 0, Gfp.WMARK_MIN)).ok()
        settle()
        assert k.m.alloc.allocPages(AllocRequest.pages(1, 0, Gfp.WMARK_MIN)).ok()
        settle()

        then:
        vmstat(VmStat.pageoutrun) == 16
        vmstat(VmStat.pgsteal_kswapd) == 0
    }
}
