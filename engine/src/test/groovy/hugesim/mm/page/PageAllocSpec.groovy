package hugesim.mm.page

import hugesim.mm.VmStat
import hugesim.sim.Environment
import hugesim.sim.WaitQueue
import spock.lang.Specification

import static hugesim.mm.page.Allocation.Status.*

/**
 * The allocation entry point (mm/page_alloc.c __alloc_pages(), get_page_from_freelist(),
 * __alloc_pages_slowpath()) on two nodes of eight 2 MiB blocks each, with reclaim and the OOM killer
 * stubbed: what each request may do, and what the result says it did.
 */
class PageAllocSpec extends Specification {
    Zone node0 = new Zone(0, 'Normal', 8, 512), node1 = new Zone(1, 'Normal', 8, 512)
    PageAllocator pages = new PageAllocator([node0, node1])
    Environment env = new Environment(10_000_000_000L)
    WaitQueue waiters = new WaitQueue()
    Map<VmStat, Long> vmstat = [:].withDefault { 0L }
    PageAlloc alloc = new PageAlloc(pages, 512, env, waiters, { VmStat item, long n -> vmstat[item] += n })
    List<String> calls = []
    boolean reclaimable
    int victim = -1
    Runnable retry = {}

    def setup() {
        alloc.setDirectReclaim(new DirectReclaim() {
            boolean tryToFreePages(int nid, long nrPages, Runnable then) { calls << "reclaim $nrPages".toString(); reclaimable }
            boolean reclaimReservedThp(int nid, Runnable then) { calls << 'reserved'; reclaimable }
            void wakeupKswapd(int nid) { calls << "kswapd $nid".toString() }
            int outOfMemory() { calls << 'oom'; victim }
        })
        // an order-9 request leaves 3585 pages for the check: node 0 passes min but not low
        node0.setWatermarks(1000, 3600, 4000)
        node1.setWatermarks(100, 200, 300)
    }

    def "the fast path takes the first node of the zonelist passing the low watermark"() {
        when:
        Allocation a = alloc.allocPages(AllocRequest.pmd(0, 0))

        then:
        a.ok()
        a.node() == 1
        PageAllocator.node(a.handle()) == 1
        calls == []
    }

    def "__GFP_THISNODE: the local node's low watermark fails, the slow path's retry at min takes it"() {
        when:
        Allocation a = alloc.allocPages(AllocRequest.pmd(0, Gfp.THISNODE))

        then:
        a.ok()
        a.node() == 0
        node0.freePages() == 7 * 512
        calls == []
    }

    def "with no block passing min and no direct reclaim, the request fails and nothing is started"() {
        given:
        node0.setWatermarks(3600, 3700, 3800)

        expect:
        alloc.allocPages(AllocRequest.pmd(0, Gfp.THISNODE)).status() == FAILED
        calls == []
        vmstat[VmStat.allocstall_normal] == 0
    }

    def "a THP that may reclaim gets one round of about compact_gap pages and waits, never the OOM killer"() {
        given:
        node0.setWatermarks(3600, 3700, 3800)
        reclaimable = true

        when:
        Allocation a = alloc.allocPages(AllocRequest.pmd(0, Gfp.THISNODE).reclaiming(7, retry))

        then:
        a.status() == WAIT
        calls == ['reclaim 1024']
        vmstat[VmStat.allocstall_normal] == 1

        when: 'nothing can be reclaimed'
        reclaimable = false
        calls.clear()

        then:
        alloc.allocPages(AllocRequest.pmd(0, Gfp.THISNODE).reclaiming(7, retry)).status() == FAILED
        calls == ['reclaim 1024']
    }

    def "order 0: pages from one node, and how many of them are CMA pages"() {
        given: 'node 0 has CMA blocks holding more than half its free memory'
        (0..4).each { node0.setType(it, MigrateType.CMA) }

        when:
        Allocation a = alloc.allocPages(AllocRequest.pages(100, 0, Gfp.WMARK_MIN))

        then:
        a.ok()
        a.node() == 0
        a.pages() == 100
        (0..<PageRuns.runs(a.runs())).sum { int k -> pages.typeOfPage(0, PageRuns.pfn(a.runs(), k)) == MigrateType.CMA ? PageRuns.len(a.runs(), k) : 0 } == 100
        node0.pagesInUse(MigrateType.CMA) == 100
    }

    def "order 0 below min: direct reclaim, else the OOM killer; the result says whom it killed"() {
        given: 'neither node can give 200 pages above its min watermark'
        node0.setWatermarks(4000, 4001, 4002)
        node1.setWatermarks(4000, 4001, 4002)
        AllocRequest r = AllocRequest.pages(200, 0, Gfp.WMARK_MIN).reclaiming(7, retry)

        when: 'something is reclaimable'
        reclaimable = true

        then:
        alloc.allocPages(r).status() == WAIT
        calls == ['reclaim 1']

        when: 'nothing is, and the OOM killer picks another task'
        reclaimable = false
        victim = 3
        calls.clear()

        then:
        alloc.allocPages(r).status() == WAIT
        calls == ['reclaim 1', 'oom']

        when: 'it picks the caller'
        victim = 7

        then:
        alloc.allocPages(r).status() == KILLED

        when: 'no task holds memory: the caller waits for memory to be freed'
        victim = -1

        then:
        alloc.allocPages(r).status() == STALL
        waiters.size() == 1
        vmstat[VmStat.allocstall_normal] == 4
    }

    def "a reserved THP comes only from reserved blocks of its node, without watermarks; its slow path is the reserved reclaim"() {
        given:
        node0.setType(7, MigrateType.RESERVED_THP)
        node0.setWatermarks(4000, 4001, 4002)
        AllocRequest r = AllocRequest.pmd(0, Gfp.RESERVED_THP | Gfp.THISNODE)

        when:
        Allocation a = alloc.allocPages(r)

        then:
        a.ok()
        PageAllocator.block(a.handle()) == 7

        when: 'the reserve is used up'
        reclaimable = true

        then:
        alloc.allocPages(r).status() == FAILED
        alloc.allocPages(r.reclaiming(7, retry)).status() == WAIT
        calls == ['reserved']
        vmstat[VmStat.allocstall_normal] == 0
    }

    def "Gfp.BULK: as many as the node can give above min, possibly none"() {
        given:
        node0.setWatermarks(3000, 3100, 3200)

        when:
        Allocation a = alloc.allocPages(AllocRequest.pages(2000, 0, Gfp.THISNODE | Gfp.BULK | Gfp.WMARK_MIN))

        then:
        a.ok()
        a.pages() == 4096 - 3000
        node0.freePages() == 3000
    }

    def "Gfp.NO_CMA: movable free pages only, however much CMA is free"() {
        given: 'six of the eight blocks are CMA'
        (0..5).each { node0.setType(it, MigrateType.CMA) }
        node0.setWatermarks(0, 1, 2)

        when:
        Allocation more = alloc.allocPages(AllocRequest.pages(1025, 0, Gfp.THISNODE | Gfp.WMARK_MIN | Gfp.NO_CMA))
        Allocation all = alloc.allocPages(AllocRequest.pages(1024, 0, Gfp.THISNODE | Gfp.WMARK_MIN | Gfp.NO_CMA))

        then: 'the two movable blocks hold 1024 pages'
        !more.ok()
        all.ok()
        all.pages() == 1024
        node0.freePages(MigrateType.MOVABLE) == 0
        node0.pagesInUse(MigrateType.CMA) == 0
    }

    def "__rmqueue() of 6.15: with the movable lists empty, CMA pages come before claiming a free block of another type"() {
        given: 'node 0: six movable blocks taken, one CMA and one unmovable block free (CMA not above half of free memory)'
        6.times { assert node0.takeBlock(MigrateType.MOVABLE) >= 0 }
        node0.setType(6, MigrateType.CMA)
        node0.setType(7, MigrateType.UNMOVABLE)
        node0.setWatermarks(0, 0, 0)

        when:
        Allocation a = alloc.allocPages(AllocRequest.pages(100, 0, Gfp.THISNODE | Gfp.WMARK_MIN))

        then: 'the 100 pages are CMA pages; the unmovable block is still free and still unmovable'
        a.ok()
        (0..<PageRuns.runs(a.runs())).every { pages.typeOfPage(0, PageRuns.pfn(a.runs(), it)) == MigrateType.CMA }
        node0.pagesInUse(MigrateType.CMA) == 100
        node0.freeBlocks(MigrateType.UNMOVABLE) == 1
    }
}
