package hugesim.kernel

import hugesim.mm.page.AllocRequest
import hugesim.mm.page.Allocation
import hugesim.mm.page.Gfp
import hugesim.mm.page.MigrateType
import hugesim.mm.page.PageRuns
import hugesim.mm.page.Zone
import hugesim.sim.Environment
import spock.lang.Specification

import static hugesim.uapi.Mman.*
import static hugesim.units.Size.GB
import static hugesim.units.Size.KB
import static hugesim.units.Size.MB

/**
 * The kernel's own memory (docs/model.md 4.7): what it keeps at boot (MemTotal below RAM) and the
 * unmovable and reclaimable allocations workloads cause, which fall back into movable pageblocks as
 * mm/page_alloc.c's __rmqueue() of Linux 6.15 makes them (__rmqueue_claim(), try_to_claim_block(),
 * __rmqueue_steal()).
 */
class KernelMemorySpec extends Specification implements AnonymousWrites {
    Kernel k
    Task t

    Kernel boot(MachineConfig c) {
        k = Kernel.boot(new Environment(10_000_000_000L), c, [])
        t = k.newTask('p')
        k
    }

    Zone zone() { k.m.pages.zone(0) }

    Allocation kalloc(long pages, int gfp = Gfp.KERNEL) {
        Allocation a = k.m.alloc.allocPages(AllocRequest.pages(pages, 0, gfp))
        assert a.ok()
        k.m.slab.add(1, (gfp & Gfp.RECLAIMABLE) != 0, a.runs())
        a
    }

    /** Blocks of the zone that hold a page of {@code runs}. */
    Set<Integer> blocksOf(long[] runs) {
        Set<Integer> b = [] as Set
        for (int i = 0; i < PageRuns.runs(runs); i++) {
            long p = PageRuns.pfn(runs, i)
            for (long q = p; q < p + PageRuns.len(runs, i); q += 512) b << (int) (q / 512)
            b << (int) ((p + PageRuns.len(runs, i) - 1) / 512)
        }
        b
    }

    def "setup_arch(): a #mem machine boots with MemTotal #kb kB, within 1 MiB of Debian's 6.1 in a guest of that size (#measured kB)"() {
        when:
        boot(MachineConfig.of(mem))

        then: 'the default: the fixed part, the memory map, the hash tables, swiotlb above 4 GiB'
        k.views.meminfo('MemTotal') == kb
        Math.abs(kb - measured) <= 1024
        k.views.meminfo('MemFree') == kb
        k.m.pages.zone(0).managedPages() * 4 == kb

        where:
        mem      | kb       | measured
        512 * MB | 468428   | 468428
        1 * GB   | 983756   | 983756
        2 * GB   | 2014412  | 2014412
        8 * GB   | 8132812  | 8132032
        16 * GB  | 16378060 | 16377232
    }

    def "memblock: the fixed part at the bottom of node 0, the memory map at the top of each node, Unmovable in pagetypeinfo"() {
        when:
        boot(new MachineConfig(2 * GB, 2, 0, MachineConfig.DEFAULT_SWAP_BANDWIDTH, MachineConfig.DEFAULT_SWAP_BANDWIDTH, false,
                MachineConfig.DEFAULT_MIGRATE, '', hugesim.mm.Geometry.X86_64))
        Zone z0 = k.m.pages.zone(0), z1 = k.m.pages.zone(1)

        then: '46900 kB fixed: 22 whole blocks and 462 pages of the 23rd; 32768 + 3072 kB split over the two tops'
        (0..<22).every { !z0.isFreeBlock(it) && z0.typeOf(it) == MigrateType.UNMOVABLE }
        z0.kernelPagesIn(22) == 46900.intdiv(4) - 22 * 512
        z0.typeOf(22) == MigrateType.UNMOVABLE
        (z0.nrBlocks - 8..<z0.nrBlocks).every { z0.typeOf(it) == MigrateType.UNMOVABLE }
        (z1.nrBlocks - 8..<z1.nrBlocks).every { z1.typeOf(it) == MigrateType.UNMOVABLE }
        z1.typeOf(0) == MigrateType.MOVABLE
        k.views.meminfo('MemTotal') == 2 * GB / KB - (46900 + 32768 + 3072)
    }

    def "kernelReserved overrides the default: 0 keeps all of RAM, 64 MiB leaves MemTotal 64 MiB below it"() {
        expect:
        boot(MachineConfig.of(1 * GB).withKernelReserved(reserved)).views.meminfo('MemTotal') == (1 * GB - reserved).intdiv(KB)
        k.views.meminfo('MemFree') == (1 * GB - reserved).intdiv(KB)

        where:
        reserved << [0, 64 * MB, 46900 * KB + 4 * KB]
    }

    def "kernelReserved that is not whole pages, negative or leaves a node less than half of its memory is refused, naming the default"() {
        when:
        MachineConfig.of(1 * GB).withKernelReserved(bytes)

        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains(message)

        where:
        bytes      | message
        -4096      | 'must not be negative'
        1000       | 'is not a whole number of 4K pages'
        600 * MB   | 'kernelReserved 600M leaves node 0 less than half of its 1G (the default for this machine is 64820K)'
    }

    def "hugetlb_cma_reserve() comes first: the area keeps the top of node 0 and the memory map lies below it"() {
        when:
        boot(MachineConfig.of(4 * GB).withCmdline('hugetlb_cma=1G'))
        Zone z = zone()

        then:
        (z.nrBlocks - 512..<z.nrBlocks).every { z.typeOf(it) == MigrateType.CMA }
        z.typeOf(z.nrBlocks - 513) == MigrateType.UNMOVABLE
        k.views.meminfo('CmaTotal') == 1 * GB / KB
    }

    def "__rmqueue_claim(): on a fresh machine an unmovable allocation takes the largest free chunk, an order-10 buddy, and both its pageblocks become Unmovable (change_pageblock_range())"() {
        given:
        boot(MachineConfig.of(1 * GB).withKernelReserved(0))

        when:
        Allocation a = kalloc(1)

        then:
        k.views.pagetypeinfo()['Unmovable'] == 2
        blocksOf(a.runs()) == [0] as Set
        zone().typeOf(0) == MigrateType.UNMOVABLE && zone().typeOf(1) == MigrateType.UNMOVABLE
        zone().freePages(MigrateType.UNMOVABLE) == 1023
        k.views.meminfo('SUnreclaim') == 4
        k.views.meminfo('Slab') == 4
    }

    def "a reclaimable allocation (__GFP_RECLAIMABLE) claims blocks of its own type: Reclaimable in pagetypeinfo, SReclaimable in meminfo"() {
        given:
        boot(MachineConfig.of(1 * GB).withKernelReserved(0))

        when:
        kalloc(3 * 512, Gfp.KERNEL | Gfp.RECLAIMABLE)

        then:
        k.views.pagetypeinfo()['Reclaimable'] == 4
        k.views.meminfo('SReclaimable') == 6 * 1024
        k.views.meminfo('KReclaimable') == 6 * 1024
        k.views.meminfo('SUnreclaim') == 0
    }

    /** Every block filled with 4 KiB pages, then {@code freeEvery}: one page in that many freed in each. */
    long fragment(int freeEvery) {
        long fill = zone().usableFree(true) * 4 * KB - 64 * MB
        fill -= fill % (2 * MB)
        long a = map(fill)
        assert t.madvise(a, fill, MADV_NOHUGEPAGE) == 0
        writeAll(a, fill)
        for (long p = a; p < a + fill; p += freeEvery * 4 * KB) assert t.madvise(p, 4 * KB, MADV_DONTNEED) == 0
        a
    }

    def "try_to_claim_block(): with no free block left, a movable block with half of it free becomes Unmovable whole"() {
        given: 'no wholly free block below the watermark share; every used block half free'
        boot(MachineConfig.of(1 * GB).withKernelReserved(0))
        fragment(2)
        int movableBefore = k.views.pagetypeinfo()['Movable']

        when: 'more than the free blocks there are, after the free pages of Unmovable blocks (what the page tables left of theirs)'
        int freeBlocks = zone().freeBlocks(MigrateType.MOVABLE)
        Allocation a = kalloc(zone().freePages(MigrateType.UNMOVABLE) + (freeBlocks + 1) * 512L)

        then: 'the free blocks claimed whole first, then a half-free movable block claimed'
        k.views.pagetypeinfo()['Movable'] < movableBefore - freeBlocks
        blocksOf(a.runs()).every { zone().typeOf(it) == MigrateType.UNMOVABLE }
    }

    def "__rmqueue_steal(): blocks less than half free are not claimed: the unmovable pages go into Movable blocks, which stay Movable, polluted"() {
        given: 'every used block a quarter free; the free pages of Unmovable blocks (what the page tables left of theirs) and the free blocks taken first'
        boot(MachineConfig.of(1 * GB).withKernelReserved(0))
        fragment(4)
        int freeBlocks = zone().freeBlocks(MigrateType.MOVABLE)
        kalloc(zone().freePages(MigrateType.UNMOVABLE) + freeBlocks * 512L)
        int movable = k.views.pagetypeinfo()['Movable']

        when: '16 MiB more'
        Allocation a = kalloc(4096)

        then: 'no block changed type; the pages sit in Movable blocks, 128 to a block'
        k.views.pagetypeinfo()['Movable'] == movable
        Set<Integer> polluted = blocksOf(a.runs())
        polluted.every { zone().typeOf(it) == MigrateType.MOVABLE && zone().kernelPagesIn(it) > 0 }
        polluted.size() == 4096.intdiv(128)
    }

    def "RFC patch 1/8: unmovable and reclaimable allocations never take CMA or MIGRATE_RESERVED_THP pages; they fail first"() {
        given: 'ordinary memory all but used up by movable pages, CMA and the reserve free'
        boot(MachineConfig.of(2 * GB).withKernelReserved(0).withCmdline('thp_reserved_nr=64 hugetlb_cma=512M'))
        long cmaFree = zone().freePages(MigrateType.CMA), rthpFree = zone().freePages(MigrateType.RESERVED_THP)
        long ordinary = zone().usableFree(false) - zone().min() - 64
        Allocation movable = k.m.alloc.allocPages(AllocRequest.pages(ordinary, 0, Gfp.NO_CMA))
        assert movable.ok()

        when:
        Allocation unmovable = k.m.alloc.allocPages(AllocRequest.pages(128, 0, Gfp.KERNEL))
        Allocation reclaimable = k.m.alloc.allocPages(AllocRequest.pages(128, 0, Gfp.KERNEL | Gfp.RECLAIMABLE))

        then:
        !unmovable.ok() && !reclaimable.ok()
        zone().freePages(MigrateType.CMA) == cmaFree
        zone().freePages(MigrateType.RESERVED_THP) == rthpFree

        when: 'within the free ordinary pages'
        Allocation small = k.m.alloc.allocPages(AllocRequest.pages(16, 0, Gfp.KERNEL))

        then:
        small.ok()
        zone().freePages(MigrateType.CMA) == cmaFree
        zone().freePages(MigrateType.RESERVED_THP) == rthpFree
    }

    def "a block holding a stolen kernel page is not freed when the movable pages around it go, nor by vm.compact_memory (isolate_migratepages_block() cannot isolate it)"() {
        given: 'memory fragmented, its free blocks taken by unmovable memory, then kernel pages stolen into movable blocks'
        boot(MachineConfig.of(1 * GB).withKernelReserved(0))
        long a = fragment(4)
        kalloc(zone().freeBlocks(MigrateType.MOVABLE) * 512L)
        Allocation stolen = kalloc(8192)
        Set<Integer> polluted = blocksOf(stolen.runs())

        when: 'the fill goes: every block it used is free again but those holding kernel pages'
        k.mmap.teardown(t.mm)

        then:
        polluted.every { !zone().isFreeBlock(it) }
        polluted.every { zone().pagesInUse(it) == zone().kernelPagesIn(it) }

        when: 'vm.compact_memory cannot free them either: nothing in them can move'
        k.views.sysctl('vm.compact_memory', 1)

        then:
        polluted.every { !zone().isFreeBlock(it) }
    }

    def "kfree(): freed kernel pages merge back; a block whose kernel pages are all gone is wholly free again"() {
        given:
        boot(MachineConfig.of(1 * GB).withKernelReserved(0))
        Allocation a = kalloc(300)
        long h = k.m.slab.add(1, false, PageRuns.NONE)

        expect:
        k.m.slab.free(h)
        !k.m.slab.free(h)

        when:
        long free0 = zone().freePages()
        k.m.pages.freeKernelRuns(a.runs())

        then:
        zone().freePages() == free0 + 300
        zone().isFreeBlock(0) && zone().kernelPagesIn(0) == 0
    }

    def "shrink_slab(): the shrinkers free reclaimable slab, oldest first, its last pages first; unmovable slab stays"() {
        given:
        boot(MachineConfig.of(1 * GB).withKernelReserved(0))
        kalloc(512, Gfp.KERNEL | Gfp.RECLAIMABLE)
        kalloc(512, Gfp.KERNEL)
        kalloc(512, Gfp.KERNEL | Gfp.RECLAIMABLE)

        when:
        long freed = k.m.slab.shrink(700)

        then:
        freed == 700
        k.m.slab.reclaimablePages() == 324
        k.m.slab.unreclaimablePages() == 512

        when: 'the owner exits: unmovable slab goes with it, the cache stays'
        k.m.slab.exit(1)

        then:
        k.m.slab.unreclaimablePages() == 0
        k.m.slab.reclaimablePages() == 324
    }
}
