package hugesim.kernel

import hugesim.mm.Geometry
import hugesim.mm.page.MigrateType
import hugesim.record.Event
import hugesim.sim.Environment
import hugesim.uapi.Errno
import spock.lang.Specification

import static hugesim.units.Size.GB
import static hugesim.units.Size.MB
import static hugesim.units.Size.TB

/**
 * Booting a machine: the RFC's boot-time reservation (docs/model.md 1.2, scenarios S1-S3), the
 * watermarks (4.3, S20) and boot-time HugeTLB pages, read back through /sys and /proc.
 */
class BootSpec extends Specification {
    static final int BLOCK = 512                     // 4 KiB pages per 2 MiB pageblock
    static final String RTHP = 'kernel/mm/reserved_thp/'

    List<Event> events = []

    // The machines here keep no memory for the kernel (kernelReserved 0): the boot rules are stated for a
    // zone whose managed pages are all of RAM, as docs/model.md 4.3 and S1-S3 give their figures.
    // KernelMemorySpec boots with the kernel's own memory.

    Kernel boot(long memory, String cmdline = '') {
        Kernel.boot(new Environment(10_000_000_000L), MachineConfig.of(memory).withCmdline(cmdline).withKernelReserved(0), events)
    }

    /** A one-node machine of geometry {@code g}, no swap. */
    Kernel boot(Geometry g, long memory, String cmdline = '') {
        Kernel.boot(new Environment(10_000_000_000L), new MachineConfig(memory, 1, 0, MachineConfig.DEFAULT_SWAP_BANDWIDTH,
                MachineConfig.DEFAULT_SWAP_BANDWIDTH, false, MachineConfig.DEFAULT_MIGRATE, cmdline, g, 0), events)
    }

    List<String> bootLog() { events.findAll { it.kind() == 'boot_log' }*.detail() }

    /** T, U, F as the three sysfs files print them. */
    static List<String> tuf(Kernel k) {
        ['total_hpages', 'used_hpages', 'free_hpages'].collect { k.views.sysfs(RTHP + it) }
    }

    /** int_sqrt(). */
    static long isqrt(long x) { BigInteger.valueOf(x).sqrt().longValue() }

    /**
     * min_free_kbytes per docs/model.md 4.3: sqrt(16 × lowmem kB) clamped to 128..262144, raised with THP on to
     * pageblock_pages × zones × (2 + 3×3) pages, that capped at 5% of lowmem.
     */
    static long minFreeKbytes(long managedPages, int zones, boolean thp) {
        long kb = Math.max(128L, Math.min(262144L, isqrt(16 * managedPages * 4)))
        if (thp) {
            long recommended = Math.min((long) BLOCK * zones * (2 + 3 * 3), managedPages.intdiv(20) as long)
            kb = Math.max(kb, recommended * 4)
        }
        kb
    }

    // ---- S1 -------------------------------------------------------------------------------------

    def "S1 rule 9: thp_reserved_nr=8 gives T=8, U=0, F=8 in /sys/kernel/mm/reserved_thp"() {
        when:
        def k = boot(8 * GB, 'thp_reserved_nr=8')

        then:
        tuf(k) == ['8', '0', '8']
    }

    def "S1 rule 7: the boot log says 'reserved 8/8 PMD THP pageblocks (2097152 bytes each)'"() {
        when:
        boot(8 * GB, 'thp_reserved_nr=8')

        then:
        bootLog().contains('reserved 8/8 PMD THP pageblocks (2097152 bytes each)')
    }

    def "S1 rule 10: /proc/pagetypeinfo shows 8 ReserveTHP pageblocks, all free: 4096 free reserved pages"() {
        when:
        def k = boot(8 * GB, 'thp_reserved_nr=8')

        then:
        k.views.pagetypeinfo()['ReserveTHP'] == 8
        k.m.pages.freePages(MigrateType.RESERVED_THP) == 4096
    }

    def "S1 rule 14: MemFree still counts the reserved blocks, ordinary allocations see MemFree - 16 MiB"() {
        when:
        def k = boot(8 * GB, 'thp_reserved_nr=8')
        long memFree = k.views.meminfo('MemFree')

        then:
        memFree == 8 * GB / 1024
        k.m.pages.zone(0).usableFree(false) * 4 == memFree - 16 * 1024
    }

    // ---- S2 -------------------------------------------------------------------------------------

    def "S2(a) rule 3: thp_reserved_size=4M thp_reserved_nr=8 reserves nothing and logs the warning"() {
        when:
        def k = boot(8 * GB, 'thp_reserved_size=4M thp_reserved_nr=8')

        then:
        tuf(k) == ['0', '0', '0']
        k.views.pagetypeinfo()['ReserveTHP'] == 0
        bootLog().contains('unsupported thp_reserved_size=4M, only 2097152 is supported')
        !bootLog().any { it.startsWith('reserved ') }
    }

    def "S2(b) rule 4: thp_reserved_nr=8x reserves nothing and logs 'invalid thp_reserved_nr=8x'"() {
        when:
        def k = boot(8 * GB, 'thp_reserved_nr=8x')

        then:
        tuf(k) == ['0', '0', '0']
        k.views.pagetypeinfo()['ReserveTHP'] == 0
        bootLog().contains('invalid thp_reserved_nr=8x')
    }

    def "S2(c) rule 9: without parameters the reserved_thp directory exists with T=0 and nothing is logged"() {
        when:
        def k = boot(8 * GB)

        then:
        tuf(k) == ['0', '0', '0']
        k.views.pagetypeinfo()['ReserveTHP'] == 0
        !bootLog().any { it.contains('thp_reserved') || it.startsWith('reserved ') }
    }

    def "rule 9: the reserved_thp files are read-only"() {
        given:
        def k = boot(8 * GB, 'thp_reserved_nr=8')

        expect:
        k.views.sysfsWrite('/sys/' + RTHP + file, '16') == -Errno.EACCES
        tuf(k) == ['8', '0', '8']

        where:
        file << ['total_hpages', 'used_hpages', 'free_hpages']
    }

    def "S2(d) rule 2: thp_reserved_size=2M thp_reserved_nr=8 gives T=8"() {
        when:
        def k = boot(8 * GB, 'thp_reserved_size=2M thp_reserved_nr=8')

        then:
        tuf(k) == ['8', '0', '8']
        bootLog().contains('reserved 8/8 PMD THP pageblocks (2097152 bytes each)')
    }

    def "rule 5: thp_reserved_nr=0 reserves nothing and logs no reservation line"() {
        when:
        def k = boot(8 * GB, 'thp_reserved_nr=0')

        then:
        tuf(k) == ['0', '0', '0']
        bootLog().isEmpty()
    }

    // ---- S3 -------------------------------------------------------------------------------------

    def "S3 rule 7/8: a 2 GiB machine asked for 100000 reserves only what fits above the min watermark"() {
        given: 'the same machine booted without a reservation'
        def plain = boot(2 * GB).m.pages.zone(0)
        long expected = (plain.usableFree(false) - plain.min()).intdiv(BLOCK)
        events.clear()

        when:
        def k = boot(2 * GB, 'thp_reserved_nr=100000')
        def z = k.m.pages.zone(0)
        long t = k.views.sysfs(RTHP + 'total_hpages') as long

        then:
        t < 100000
        t == expected
        t == 1002          // (524288 - 11264) / 512: min_free_kbytes 45056 (DMA and DMA32 populated)
        bootLog().contains("reserved $t/100000 PMD THP pageblocks (2097152 bytes each)".toString())

        and: 'one more order-9 block would have taken usable free memory below min'
        !(z.usableFree(false) - (BLOCK - 1) > z.min())
    }

    // ---- watermarks (4.3, S20) ------------------------------------------------------------------

    def "4.3: a 64 GiB machine: THP raises min_free_kbytes to 67584 for DMA, DMA32 and Normal (set_recommended_min_free_kbytes)"() {
        given: 'x86_64 populates three zones on such a machine, though the model keeps one'
        long managed = 64 * GB / 4096
        long minKb = minFreeKbytes(managed, 3, true)
        long min = minKb.intdiv(4)
        long delta = Math.max(min.intdiv(4) as long, (managed * 10).intdiv(10000) as long)

        when:
        def k = boot(64 * GB)
        def z = k.m.pages.zone(0)

        then:
        k.views.sysctl('vm.min_free_kbytes') == minKb
        [z.min(), z.low(), z.high()] == [min, min + delta, min + 2 * delta]

        and: 'the numbers of docs/model.md 4.3, worked by hand: 16896 pages = 67584 kB'
        minKb == 67584
        [z.min(), z.low(), z.high()] == [16896L, 33673L, 50450L]
    }

    def "4.3: min_free_kbytes and watermarks follow the formula on a #label machine"() {
        given:
        long managed = memory / 4096
        long minKb = minFreeKbytes(managed, zones, thp)
        long min = minKb.intdiv(4)
        long delta = Math.max(min.intdiv(4) as long, (managed * 10).intdiv(10000) as long)

        when:
        def k = boot(memory, cmdline)
        def z = k.m.pages.zone(0)

        then:
        k.views.sysctl('vm.min_free_kbytes') == minKb
        minKb == expectedKb
        [z.min(), z.low(), z.high()] == [min, min + delta, min + 2 * delta]

        where:
        label                   | memory   | cmdline                       | thp   | zones || expectedKb
        '256 MiB (5% cap)'      | 256 * MB | ''                            | true  | 2     || 13104     // 65536 / 20 = 3276 pages
        '2 GiB (THP raises)'    | 2 * GB   | ''                            | true  | 2     || 45056     // DMA, DMA32: 11264 pages > sqrt 5792 kB
        '2 GiB, THP never'      | 2 * GB   | 'transparent_hugepage=never'  | false | 2     || 5792
        '8 TiB (upper clamp)'   | 8 * TB   | ''                            | true  | 3     || 262144    // sqrt gives 370727 kB
    }

    def "4.3: with two nodes, each zone's min is its share of min_free_kbytes and THP counts every populated zone"() {
        given: 'node 0 populates DMA, DMA32 and Normal, node 1 Normal'
        long managed = 64 * GB / 4096
        long minKb = minFreeKbytes(managed, 4, true)
        long perZone = managed.intdiv(2)
        long min = (minKb.intdiv(4) * perZone).intdiv(managed)
        long delta = Math.max(min.intdiv(4) as long, (perZone * 10).intdiv(10000) as long)

        when:
        def k = Kernel.boot(new Environment(10_000_000_000L),
                new MachineConfig(64 * GB, 2, 0, MachineConfig.DEFAULT_SWAP_BANDWIDTH, MachineConfig.DEFAULT_SWAP_BANDWIDTH,
                        false, MachineConfig.DEFAULT_MIGRATE, '', hugesim.mm.Geometry.X86_64, 0), events)

        then:
        minKb == 90112      // 4 zones × 5632 pages × 4 kB > sqrt 32768 kB
        k.views.sysctl('vm.min_free_kbytes') == minKb
        k.m.pages.zones().every { [it.min(), it.low(), it.high()] == [min, min + delta, min + 2 * delta] }
    }

    // ---- MemFree and boot-time HugeTLB pages ----------------------------------------------------

    def "2.1: MemFree of a freshly booted machine is all its memory, in kB (free pages × 4)"() {
        when:
        def k = boot(64 * GB)

        then:
        k.views.meminfo('MemFree') == 64 * GB / 1024
        k.views.meminfo('MemFree') == k.m.pages.freePages() * 4
    }

    def "2.3: hugepages=16384 gives HugePages_Total 16384 (all free) and MemFree drops by 32 GiB"() {
        given:
        long before = boot(64 * GB).views.meminfo('MemFree')

        when:
        def k = boot(64 * GB, 'hugepages=16384')

        then:
        k.views.meminfo('HugePages_Total') == 16384
        k.views.meminfo('HugePages_Free') == 16384
        k.views.meminfo('HugePages_Rsvd') == 0
        k.views.meminfo('HugePages_Surp') == 0
        k.views.meminfo('Hugetlb') == 32 * GB / 1024
        k.views.sysctl('vm.nr_hugepages') == 16384
        k.views.meminfo('MemFree') == before - 32 * GB / 1024
    }

    def "4.3: 2 MiB boot pages come from the buddy allocator after the watermarks are set (hugetlb_init is a subsys_initcall)"() {
        given:
        long managed = 64 * GB / 4096
        long minKb = minFreeKbytes(managed, 3, true)

        when:
        def k = boot(64 * GB, 'hugepages=16384')

        then:
        k.m.pages.zone(0).managedPages() == managed
        k.views.sysctl('vm.min_free_kbytes') == minKb
        minKb == 67584
        k.m.pages.zone(0).min() == minKb.intdiv(4)
        k.views.meminfo('HugePages_Total') == 16384
        k.vmstat(hugesim.mm.VmStat.htlb_buddy_alloc_success) == 16384
    }

    def "2.3: hugepagesz=1G hugepages=4 gives four 1 GiB pages, outside the default 2 MiB pool"() {
        given:
        long before = boot(8 * GB).views.meminfo('MemFree')

        when:
        def k = boot(8 * GB, 'hugepagesz=1G hugepages=4')

        then:
        k.views.sysfs('kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages') == '4'
        k.views.sysfs('kernel/mm/hugepages/hugepages-1048576kB/free_hugepages') == '4'
        k.views.meminfo('HugePages_Total') == 0
        k.views.meminfo('Hugetlb') == 4 * GB / 1024
        k.views.meminfo('MemFree') == before - 4 * GB / 1024
    }

    def "1.2 + 2.3: the RFC reservation runs after the boot HugeTLB pool is taken"() {
        given:
        def plain = boot(2 * GB, 'hugepages=512').m.pages.zone(0)
        long expected = (plain.usableFree(false) - plain.min()).intdiv(BLOCK)
        events.clear()

        when:
        def k = boot(2 * GB, 'hugepages=512 thp_reserved_nr=100000')

        then:
        k.views.meminfo('HugePages_Total') == 512
        k.m.rthp.total() == expected
        expected < 1024 - 512
    }

    def "2.3 hugepages_setup node format: hugepages=0:2,1:3 allocates two pages on node 0 and three on node 1"() {
        when:
        def k = Kernel.boot(new Environment(10_000_000_000L),
                new MachineConfig(8 * GB, 2, 0, MachineConfig.DEFAULT_SWAP_BANDWIDTH, MachineConfig.DEFAULT_SWAP_BANDWIDTH,
                        false, MachineConfig.DEFAULT_MIGRATE, 'hugepages=0:2,1:3', hugesim.mm.Geometry.X86_64, 0), events)

        then:
        k.views.meminfo('HugePages_Total') == 5
        k.m.pages.zone(0).freePages() == k.m.pages.zone(0).managedPages() - 2 * BLOCK
        k.m.pages.zone(1).freePages() == k.m.pages.zone(1).managedPages() - 3 * BLOCK
    }

    def "2.3 without the node format, boot pages are spread round-robin over the nodes"() {
        when:
        def k = Kernel.boot(new Environment(10_000_000_000L),
                new MachineConfig(8 * GB, 2, 0, MachineConfig.DEFAULT_SWAP_BANDWIDTH, MachineConfig.DEFAULT_SWAP_BANDWIDTH,
                        false, MachineConfig.DEFAULT_MIGRATE, 'hugepages=5', hugesim.mm.Geometry.X86_64, 0), events)

        then:
        k.m.pages.zone(0).managedPages() - k.m.pages.zone(0).freePages() == 3 * BLOCK
        k.m.pages.zone(1).managedPages() - k.m.pages.zone(1).freePages() == 2 * BLOCK
    }

    // ---- a lowered PAGE_BLOCK_MAX_ORDER (4.1) ---------------------------------------------------

    def "4.1 rule 6: arm64-64k with PAGE_BLOCK_MAX_ORDER=5: thp_reserved_nr=2 marks 2 × 256 pageblocks ReserveTHP, two hpages"() {
        when:
        def k = boot(Geometry.ARM64_64K.withPageBlockMaxOrder(5), 4 * GB, 'thp_reserved_nr=2')
        def pti = k.views.pagetypeinfo()
        def zone = k.views.zoneinfo()[0]

        then: 'reserved_thp_pageblocks(): order max(13, 5) = 13, hpages_per_block = 2^(13 - 13) = 1'
        tuf(k) == ['2', '0', '2']
        bootLog() == ['reserved 2/2 PMD THP pageblocks (536870912 bytes each)']

        and: 'change_pageblock_range() marks every 2 MiB pageblock of each 512 MiB unit'
        pti['ReserveTHP'] == 512
        pti['Movable'] == 2048 - 512
        pti.values().sum() == 4 * GB / (2 * MB)

        and: 'zone->nr_reserved_thp += 1UL << order: pages of 64 KiB'
        zone.nr_reserved_thp == 2 * 8192
        zone.nr_free_reserved_thp == 2 * 8192
    }

    def "4.1: /proc/pagetypeinfo counts memory / pageblock size on #label, the zone one block per PMD"() {
        when:
        def k = boot(g, memory)

        then:
        k.views.pagetypeinfo().values().sum() == memory / g.pageblockSize()
        k.views.pagetypeinfo()['Movable'] == memory / g.pageblockSize()
        k.m.pages.zone(0).nrBlocks == memory / g.pmdSize()

        where:
        label                  | g                                             | memory
        'x86_64'               | Geometry.X86_64                               | 1 * GB
        'x86_64, order 5'      | Geometry.X86_64.withPageBlockMaxOrder(5)      | 1 * GB
        'arm64-64k'            | Geometry.ARM64_64K                            | 4 * GB
        'arm64-64k, order 5'   | Geometry.ARM64_64K.withPageBlockMaxOrder(5)   | 4 * GB
        'arm64-64k, order 1'   | Geometry.ARM64_64K.withPageBlockMaxOrder(1)   | 4 * GB
    }

    def "4.3: set_recommended_min_free_kbytes() counts pageblock_nr_pages: #label gives #expectedKb kB"() {
        when:
        def k = boot(g, memory)

        then:
        k.views.sysctl('vm.min_free_kbytes') == expectedKb

        where:
        label                           | g                                           | memory || expectedKb
        'arm64-64k, 512 MiB pageblocks' | Geometry.ARM64_64K                          | 4 * GB || 209664   // 8192 × 11 pages, capped at 65536 / 20
        'arm64-64k, 2 MiB pageblocks'   | Geometry.ARM64_64K.withPageBlockMaxOrder(5) | 4 * GB || 22528    // 32 × 1 zone × 11 pages × 64 kB
        'arm64-64k, 128 KiB pageblocks' | Geometry.ARM64_64K.withPageBlockMaxOrder(1) | 4 * GB || 8192     // 2 × 11 pages < sqrt(16 × 4 Gi kB)
        'x86_64, 128 KiB pageblocks'    | Geometry.X86_64.withPageBlockMaxOrder(5)    | 2 * GB || 5792     // 32 × 2 zones × 11 pages < sqrt
    }

    def "2.3: with 2 MiB pageblocks a 512 MiB HugeTLB page takes a whole PMD-sized block and leaves its pageblocks Movable"() {
        when:
        def k = boot(Geometry.ARM64_64K.withPageBlockMaxOrder(5), 4 * GB, 'hugepages=2')

        then:
        k.views.meminfo('HugePages_Total') == 2
        k.views.meminfo('MemFree') == (4 * GB - 2 * 512 * MB).intdiv(1024)
        k.views.pagetypeinfo()['Movable'] == 2048
    }

    def "2.3: with 128 KiB pageblocks on x86_64 a 1 GiB page still comes from memblock, 512 PMD-sized blocks"() {
        when:
        def k = boot(Geometry.X86_64.withPageBlockMaxOrder(5), 4 * GB, 'hugepagesz=1G hugepages=2')

        then:
        k.views.sysfs('kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages') == '2'
        k.views.meminfo('MemTotal') - k.views.meminfo('MemFree') == 2 * GB.intdiv(1024)
        k.views.pagetypeinfo().values().sum() == 4 * GB / (128 * 1024)
    }
}
