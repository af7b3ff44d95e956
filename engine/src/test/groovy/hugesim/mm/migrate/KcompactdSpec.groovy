package hugesim.mm.migrate

import hugesim.kernel.AnonymousWrites
import hugesim.kernel.Kernel
import hugesim.kernel.MachineConfig
import hugesim.kernel.Task
import hugesim.mm.Fault
import hugesim.mm.page.AllocRequest
import hugesim.mm.page.Allocation
import hugesim.mm.page.Gfp
import hugesim.mm.page.MigrateType
import hugesim.mm.page.PageRuns
import hugesim.mm.page.Zone
import hugesim.mm.vma.Vma
import hugesim.sim.Environment
import spock.lang.Specification

import static hugesim.uapi.Mman.*
import static hugesim.units.Size.GB
import static hugesim.units.Size.KB
import static hugesim.units.Size.MB

/**
 * Background compaction (mm/compaction.c kcompactd(), kcompactd_do_work(), wakeup_kcompactd(),
 * proactive_compact_node(), fragmentation_score_node()) and what wakes it: kswapd going to sleep
 * (mm/vmscan.c kswapd_try_to_sleep()), wakeup_kswapd() for a THP fault that may not compact directly
 * (mm/huge_memory.c vma_thp_gfp_mask()), and the end of boosted reclaim (balance_pgdat()).
 */
class KcompactdSpec extends Specification implements AnonymousWrites {
    static final long MS = 1_000_000L, S = 1_000_000_000L

    Environment env = new Environment(10_000_000_000L)
    Kernel k
    Task t
    Zone zone

    void boot(MachineConfig c = MachineConfig.of(1 * GB).withKernelReserved(0)) {
        k = Kernel.boot(env, c, [])
        t = k.newTask('p')
        zone = k.m.pages.zone(0)
    }

    /** 1 GiB with 1 GiB of swap, all of RAM managed. */
    static MachineConfig swapMachine() {
        new MachineConfig(1 * GB, 1, 1 * GB, MachineConfig.DEFAULT_SWAP_BANDWIDTH, MachineConfig.DEFAULT_SWAP_BANDWIDTH, false,
                MachineConfig.DEFAULT_MIGRATE, '', hugesim.mm.Geometry.X86_64, 0L)
    }

    /** {@code len} of 4 KiB pages written, then every other page freed. */
    long scatter(long len) {
        long a = map(len)
        assert t.madvise(a, len, MADV_NOHUGEPAGE) == 0
        writeAll(a, len)
        for (long p = a; p < a + len; p += 8 * KB) assert t.madvise(p, 4 * KB, MADV_DONTNEED) == 0
        a
    }

    /**
     * Memory filled with 4 KiB pages to 96 MiB above what is free, then every other page freed, and the free
     * blocks but four taken by THPs nobody maps: the score near 100.
     */
    long fragment() {
        long fill = zone.usableFree(true) * 4 * KB - 96 * MB
        long a = scatter(fill - fill % (2 * MB))
        takeFreeBlocks(4)
        a
    }

    /**
     * Free blocks taken as PMD-order folios until {@code left} remain, of any ordinary type: a page-table refill
     * that claimed a free chunk of MAX_PAGE_ORDER made both its blocks Unmovable, one of them still free.
     */
    void takeFreeBlocks(int left) {
        while (freeBlocks() > left) assert k.m.alloc.allocPages(AllocRequest.pmd(0, 0)).ok()
    }

    /** Free blocks of the ordinary types (what a THP may take: its own, or one it claims whole). */
    int freeBlocks() {
        [MigrateType.MOVABLE, MigrateType.UNMOVABLE, MigrateType.RECLAIMABLE].sum { zone.freeBlocks(it) } as int
    }

    long vmstat(String name) { k.views.vmstat(name) }

    int score() { k.compaction.fragmentationScoreNode(0) }

    int movableFreeBlocks() { zone.freeBlocks(MigrateType.MOVABLE) }

    def "fragmentation_score_node(): the share of free memory in chunks below the PMD order, weighted by present / (node present + 1)"() {
        given:
        boot()

        expect: 'a fresh machine has all its free memory in free blocks'
        score() == 0

        when:
        fragment()
        long free = zone.freePages(), blocks = freeBlocks()
        long zoneScore = (free - blocks * 512) * 100 / free
        long present = zone.nrBlocks * 512L

        then: "fragmentation_score_zone() is extfrag_for_order() at order 9; the node's is one less for its one zone's weighting"
        Compaction.fragmentationScoreZone(zone) == zoneScore
        score() == (int) (present * zoneScore / (present + 1))
        score() > 90
    }

    def "kcompactd(): with vm.compaction_proactiveness 20 it looks every HPAGE_FRAG_CHECK_INTERVAL_MSEC and compacts from above the high mark (90) down to the low mark (80) (proactive_compact_node())"() {
        given: 'memory scattered: the score above 90'
        boot()
        fragment()
        int before = movableFreeBlocks()
        assert score() > 90

        when: 'before the first look, at 500 ms'
        env.run(499 * MS)

        then: 'nothing moved'
        vmstat('compact_daemon_migrate_scanned') == 0
        movableFreeBlocks() == before

        when:
        env.run(501 * MS)

        then: 'it compacted until the score was at the low mark, not beyond: no direct compaction, no wake-up for an order'
        score() <= 80
        score() > 70
        movableFreeBlocks() > before
        vmstat('compact_daemon_migrate_scanned') > 0
        vmstat('compact_daemon_free_scanned') > 0
        vmstat('compact_migrate_scanned') == vmstat('compact_daemon_migrate_scanned')
        vmstat('pgmigrate_success') > 0
        vmstat('compact_stall') == 0
        vmstat('compact_daemon_wake') == 0

        when: 'later looks find the score below the high mark'
        long scanned = vmstat('compact_daemon_migrate_scanned')
        env.run(10 * S)

        then:
        vmstat('compact_daemon_migrate_scanned') == scanned
    }

    def "kcompactd(): vm.compaction_proactiveness 0 leaves it asleep without a timeout; writing a value wakes it at once (compaction_proactiveness_sysctl_handler())"() {
        given:
        boot()
        assert k.views.sysctl('vm.compaction_proactiveness') == 20
        assert k.views.sysctl('vm.compaction_proactiveness', 0) == 0
        fragment()

        when:
        env.run(10 * S)

        then: 'no proactive compaction'
        vmstat('compact_daemon_migrate_scanned') == 0
        score() > 90

        when: 'proactiveness 50: the low mark is 50, and the handler wakes kcompactd without waiting for a timeout'
        assert k.views.sysctl('vm.compaction_proactiveness', 50) == 0
        env.run(10 * S + 1 * MS)

        then:
        vmstat('compact_daemon_migrate_scanned') > 0
        score() <= 50

        expect: 'proc_dointvec_minmax() bounds: 0 to 100'
        k.views.sysctl('vm.compaction_proactiveness', 101) == -hugesim.uapi.Errno.EINVAL
        k.views.sysctl('vm.compaction_proactiveness', -1) == -hugesim.uapi.Errno.EINVAL
    }

    def "kcompactd(): a proactive pass that does not lower the score puts the next look 500 ms << COMPACT_MAX_DEFER_SHIFT (32 s) away"() {
        given: 'vm.compaction_proactiveness 30 (marks 70 and 80); the free memory scattered inside unmovable blocks, which compaction neither empties nor fills'
        boot()
        assert k.views.sysctl('vm.compaction_proactiveness', 30) == 0
        Allocation kernel = k.m.alloc.allocPages(AllocRequest.pages((512 * MB).intdiv(4 * KB) as long, 0, Gfp.KERNEL))
        assert kernel.ok()
        PageRuns.Builder half = new PageRuns.Builder()
        for (int r = 0; r < PageRuns.runs(kernel.runs()); r++) {
            long pfn = PageRuns.pfn(kernel.runs(), r)
            for (long p = pfn; p < pfn + PageRuns.len(kernel.runs(), r); p += 2) half.add(0, p, 0, 1)
        }
        k.m.pages.freeKernelRuns(half.build())
        and: 'the free blocks taken but 16 (THPs nobody maps)'
        takeFreeBlocks(16)
        assert score() > 80

        when: 'the first look: at once, the sysctl write woke kcompactd'
        env.run(600 * MS)

        then: 'nothing to do in movable blocks: the score stayed, and the next look is 32 s away'
        score() > 80
        vmstat('pgmigrate_success') == 0
        vmstat('compact_daemon_migrate_scanned') == 0
        k.compaction.kcompactd(0).timeout == 32 * S

        when: 'now 32 MiB of 4 KiB pages, every other freed: movable blocks compaction could empty'
        scatter(32 * MB)
        int blocks = movableFreeBlocks()
        env.run(31 * S + 900 * MS)

        then: 'no look before 32 s'
        vmstat('compact_daemon_migrate_scanned') == 0
        movableFreeBlocks() == blocks

        when:
        env.run(32 * S + 100 * MS)

        then: 'the look at 32 s compacts'
        vmstat('compact_daemon_migrate_scanned') > 0
        movableFreeBlocks() > blocks
    }

    def "vma_thp_gfp_mask(): defrag #defrag, MADV_HUGEPAGE #madvised: direct reclaim #direct, __GFP_KSWAPD_RECLAIM #kswapd"() {
        given:
        def thp = new hugesim.mm.thp.ThpSettings()
        thp.defrag = defrag

        expect:
        thp.directReclaim(madvised) == direct
        thp.kswapdReclaim(madvised) == kswapd

        where:
        defrag          | madvised || direct | kswapd
        'always'        | false    || true   | false
        'always'        | true     || true   | false
        'defer'         | false    || false  | true
        'defer'         | true     || false  | true
        'defer+madvise' | false    || false  | true
        'defer+madvise' | true     || true   | false
        'madvise'       | false    || false  | false
        'madvise'       | true     || true   | false
        'never'         | true     || false  | false
    }

    def "defrag defer: a THP fault falls back at once and wakes kswapd for order 9 (__GFP_KSWAPD_RECLAIM), which reclaims compact_gap(9) = 1024 pages though the node is balanced for order 0 (balance_pgdat(), kswapd_shrink_node())"() {
        given: 'swap, memory scattered, no free block, proactive compaction off'
        boot(swapMachine())
        assert k.views.sysctl('vm.compaction_proactiveness', 0) == 0
        assert k.views.sysfsWrite('kernel/mm/transparent_hugepage/enabled', 'always') == 0
        assert k.views.sysfsWrite('kernel/mm/transparent_hugepage/defrag', 'defer') == 0
        fragment()
        takeFreeBlocks(0)
        assert zone.usableFree(false) > zone.high()

        when: 'one THP fault'
        long h = map(2 * MB)
        int rc = write(h)

        then: 'it fell back without compacting or reclaiming itself'
        rc == Fault.DONE
        t.mm.find(h).kind(0) != Vma.PMD_THP
        vmstat('thp_fault_fallback') == 1
        vmstat('compact_stall') == 0
        vmstat('allocstall_normal') == 0

        when: "kswapd's writes complete"
        env.run(5 * S)

        then: 'kswapd wrote at least compact_gap(9) pages to swap for the order'
        vmstat('pageoutrun') > 0
        vmstat('pgscan_kswapd') > 0
        vmstat('pswpout') >= 1024
    }

    def "wakeup_kswapd(): on a node kswapd has given up (MAX_RECLAIM_RETRIES), a THP fault without direct reclaim wakes kcompactd instead, which compacts until a free block exists (kcompactd_do_work(), compact_daemon_wake)"() {
        given: 'no swap: nothing kswapd could reclaim; memory scattered, no free block, proactive compaction off'
        boot()
        assert k.views.sysctl('vm.compaction_proactiveness', 0) == 0
        assert k.views.sysfsWrite('kernel/mm/transparent_hugepage/enabled', 'always') == 0
        assert k.views.sysfsWrite('kernel/mm/transparent_hugepage/defrag', 'defer') == 0
        fragment()
        takeFreeBlocks(0)

        when: 'a THP fault wakes kswapd, which finds nothing to reclaim 16 times'
        write(map(2 * MB))
        env.run(3 * S)

        then: 'it went to sleep without reclaiming compact_gap(9): no kcompactd'
        !k.reclaim.kswapdRunning(0)
        vmstat('compact_daemon_wake') == 0
        movableFreeBlocks() == 0

        when: 'the next THP fault'
        long h = map(2 * MB)
        write(h)
        env.run(4 * S)

        then: 'it fell back too, and kcompactd made a free block in the background'
        t.mm.find(h).kind(0) != Vma.PMD_THP
        vmstat('thp_fault_fallback') == 2
        vmstat('compact_daemon_wake') == 1
        vmstat('compact_daemon_migrate_scanned') > 0
        vmstat('compact_stall') == 0
        movableFreeBlocks() > 0

        when: 'a third fault'
        long h3 = map(2 * MB)
        write(h3)

        then: 'it gets the block'
        t.mm.find(h3).kind(0) == Vma.PMD_THP
    }

    def "defrag madvise outside MADV_HUGEPAGE: the THP fault wakes neither kswapd nor kcompactd (GFP_TRANSHUGE_LIGHT)"() {
        given:
        boot(swapMachine())
        assert k.views.sysctl('vm.compaction_proactiveness', 0) == 0
        assert k.views.sysfsWrite('kernel/mm/transparent_hugepage/enabled', 'always') == 0
        fragment()
        takeFreeBlocks(0)

        when:
        long h = map(2 * MB)
        write(h)
        env.run(5 * S)

        then:
        vmstat('thp_fault_fallback') == 1
        vmstat('compact_daemon_wake') == 0
        vmstat('pageoutrun') == 0
        movableFreeBlocks() == 0
    }

    def "vm.compact_memory: the writer waits for the migrations at the machine's migrate rate (sysctl_compaction_handler() runs compact_nodes() in its context)"() {
        given:
        boot()
        fragment()

        when:
        long moved = k.compaction.compactMemory()

        then:
        moved > 0
        k.compaction.takeWriterNanos() == k.config.migrate().nanosFor(moved * 4 * KB)
        k.compaction.takeWriterNanos() == 0
    }
}
