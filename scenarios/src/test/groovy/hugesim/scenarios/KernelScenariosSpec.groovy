package hugesim.scenarios

import hugesim.dsl.Scenarios
import hugesim.record.RunResult
import spock.lang.Specification

/**
 * Kernel behaviour, scenario by scenario: the RFC's fork and mremap rules (docs/model.md rules 39-42,
 * scripts in conformance/) and the mainline HugeTLB, THP and watermark scenarios S13-S24 (scripts in
 * kernel/). Each script asserts the kernel's return values and views itself; a feature adds what the
 * run recorded: events, the summary and the sampled series.
 *
 * A feature under @PendingFeature holds the kernel's behaviour where the model does not (yet); its
 * reason names the difference.
 */
class KernelScenariosSpec extends Specification {

    /** Runs one policy of a script, found by its label, e.g. {@code reservedThp(reserve: 16M)}. */
    private static RunResult runUnder(String path, String label) {
        def file = Scenarios.load(path)
        def policy = file.scenario.policies().find { it.label() == label }
        assert policy != null : "${path} has no policy ${label}"
        file.run(policy)
    }

    // ---- RFC patch 6/8: fork and mremap ----------------------------------------------------------

    def "Rule 39 / S10: fork charges the child every copied reserved VMA in full, skips MADV_DONTFORK VMAs, and fails with ENOMEM (rolled back) when the quota is short"() {
        when:
        def r = Scenarios.run('conformance/rule-39-fork.groovy')[0]
        def s = r.series()

        then: 'the script held; two children were forked, the two failed forks left no process behind'
        r.summary().clean()
        r.events('process_start').findAll { it.detail().contains('forked from') }*.process() == ['child', 'nocopy']
        r.events('process_exit')*.process() == ['child']
        and: 'right after the first fork the parent and the child hold 2 hpages each'
        s.at('reserved_thp.used_hpages', 0) == 4
        and: "the child's COW went to ordinary memory: never more than the parent's two reserved blocks in use (rule 51)"
        s.max('reserved_thp.resident_hpages') == 2
        s.at('reserved_thp.used_hpages', 5) == 0
    }

    def "Rules 40-42 / S11 (T = 8): growing in place charges the delta, misaligned lengths and addresses are EINVAL, a move carries its charge, DONTUNMAP charges the new copy, shrinking uncharges"() {
        when:
        def r = runUnder('conformance/rule-40-42-mremap.groovy', 'reservedThp(reserve: 16M)')
        def s = r.series()

        then:
        r.summary().clean()
        s.at('reserved_thp.total_hpages', 0) == 8
        s.at('reserved_thp.used_hpages', 1) == 0
        and: 'the two THPs moved with their PMDs: faulted once, never split or copied'
        s.at('vmstat.thp_fault_alloc', 1) == 2
        s.at('vmstat.thp_split_page', 1) == 0
    }

    def "Rule 41 / S11 (T = 4): a DONTUNMAP move that cannot charge its whole new_len fails with ENOMEM and changes nothing"() {
        when:
        def r = runUnder('conformance/rule-40-42-mremap.groovy', 'reservedThp(reserve: 8M)')

        then:
        r.summary().clean()
        r.series().at('reserved_thp.total_hpages', 0) == 4
        r.series().at('reserved_thp.used_hpages', 1) == 0
        r.series().at('vmstat.thp_fault_alloc', 1) == 2
    }

    def "shmem (docs/model.md 3.7): the script's counters hold, and the sampled series show its shared memory come and go"() {
        when:
        def r = Scenarios.run('kernel/shmem-thp.groovy')[0]
        def s = r.series()

        then: 'every assert of the script held'
        r.summary().clean()
        and: 'at 0.1 s the first memfd is gone and the THP-backed one is mapped by the parent and its child'
        s.at('meminfo.ShmemHugePages', 0.15) == 4096
        s.at('meminfo.Shmem', 0.15) == 4096
        s.at('hugesim.resident_kB', 0.15) == 4096
        and: 'at 0.4 s only the /dev/shm file is left; once it is unlinked, nothing'
        s.at('meminfo.Shmem', 0.45) == 2048
        s.at('meminfo.ShmemHugePages', 0.45) == 0
        s.at('meminfo.Shmem', 1.0) == 0
    }

    def "Rule 40: with MREMAP_DONTUNMAP, an unaligned new_addr is EINVAL even without MREMAP_FIXED"() {
        when:
        def r = Scenarios.run('kernel/rule-40-mremap-dontunmap-new-addr.groovy')[0]

        then:
        r.summary().clean()
        r.series().at('reserved_thp.used_hpages', 0) == 1
    }

    // ---- HugeTLB ----------------------------------------------------------------------------------

    def "S13: private HugeTLB mappings reserve at mmap, faults consume the reservations, MADV_DONTNEED restores them, and MAP_NORESERVE faults past the pool raise SIGBUS"() {
        when:
        def r = Scenarios.run('kernel/s13-hugetlb-private-reservation.groovy')[0]
        def s = r.series()

        then: 'the one SIGBUS is the 11th write of the MAP_NORESERVE process, which was killed'
        r.events('sigbus')*.process() == ['noreserve']
        r.events('sigbus')[0].time() == 1.0d
        r.summary().sigbus() == 1
        r.summary().stalls() == 0 && r.summary().oomKills() == 0
        and: 'the pool ends as it started, with nothing reserved'
        s.at('meminfo.HugePages_Total', 0) == 10
        s.at('meminfo.HugePages_Total', 4) == 20
        s.at('meminfo.HugePages_Free', 4) == 20
        s.at('meminfo.HugePages_Rsvd', 4) == 0
    }

    def "S14: after fork a private HugeTLB page is shared COW; the child has no reservation and gets SIGBUS, and the owner takes the page back from the child"() {
        when:
        def r = Scenarios.run('kernel/s14-hugetlb-fork-cow.groovy')[0]

        then: 'the child that wrote without a free page, and the child whose page the owner took, died of SIGBUS'
        r.events('sigbus')*.process() == ['child-a', 'child-b']
        r.events('sigbus')*.time() == [0.0d, 3.0d]
        and: 'the parents and the third child were not signalled'
        r.summary().sigbus() == 2
        r.events('process_exit')*.process() == ['parent-a', 'parent-b']
        and: 'at the end the third parent holds one page and reserved one more (pool of 2)'
        r.series().at('meminfo.HugePages_Total', 7) == 2
        r.series().at('meminfo.HugePages_Free', 7) == 1
        r.series().at('meminfo.HugePages_Rsvd', 7) == 1
    }

    def "S15: surplus pages come from the buddy allocator up to nr_overcommit_hugepages and go back when freed"() {
        when:
        def r = Scenarios.run('kernel/s15-surplus.groovy')[0]
        def s = r.series()

        then: 'the fifth MAP_NORESERVE fault found surplus_huge_pages at nr_overcommit_hugepages'
        r.events('sigbus')*.process() == ['noreserve']
        r.events('sigbus')[0].time() == 1.0d
        and: 'surplus pages left the pool whenever they were freed: empty after the first two processes'
        s.at('meminfo.HugePages_Total', 0) == 0
        s.at('meminfo.HugePages_Total', 1) == 0
        s.at('meminfo.MemFree', 1) == s.at('meminfo.MemFree', 0)
        and: 'the last process turned its two surplus pages into persistent ones'
        s.at('meminfo.HugePages_Total', 3) == 2
        s.at('meminfo.HugePages_Surp', 3) == 0
        s.at('meminfo.HugePages_Free', 3) == 2
    }

    def "S15: MADV_DONTNEED of a surplus page returns it to the buddy allocator and restores no reservation"() {
        when:
        def r = Scenarios.run('kernel/s15-surplus-dontneed.groovy')[0]

        then:
        r.summary().clean()
    }

    def "HugeTLB per node: a node's nr_hugepages grows and shrinks that node only (set_max_huge_pages with a node id), and a fault dequeues the local node's free pages first (dequeue_hugetlb_folio_nodemask)"() {
        when:
        def r = Scenarios.run('kernel/hugetlb-per-node.groovy')[0]
        def s = r.series()

        then: 'every file read and write in the script matched'
        r.summary().clean()
        and: 'node 1 grew by four pages: 10 in the pool before the worker started'
        s.at('meminfo.HugePages_Total', 0) == 10
        and: "node 1's surplus pages left the pool at munmap; the global write then made it 8 and 4"
        s.at('meminfo.HugePages_Total', 2) == 4
        s.at('meminfo.HugePages_Surp', 2) == 0
        s.at('meminfo.HugePages_Total', 3) == 4
    }

    def "HugeTLB: htlb_buddy_alloc_success counts every pool and surplus page taken from the buddy allocator"() {
        when:
        def r = Scenarios.run('kernel/s15-htlb-buddy-alloc.groovy')[0]

        then:
        r.summary().clean()
    }

    def "S21: a static HugeTLB pool lets the successor reserve at mmap with 32 GiB; with 22 GiB its mmap fails (free - resv = 3072 < 8192) and cold pages never swap"() {
        when:
        def results = Scenarios.run('kernel/s21-static-pool.groovy')
        def big = results['hugetlb(pool: 32G)'].series()
        def small = results['hugetlb(pool: 22G)'].series()

        then: 'both runs held their asserts'
        results.every { it.summary().clean() }
        and: '32 GiB: every page in use during the overlap, half the pool idle after the old process exits'
        big.at('meminfo.HugePages_Free', 450) == 0
        big.at('meminfo.HugePages_Rsvd', 450) == 0
        big.at('meminfo.HugePages_Free', 700) == 8192
        and: '22 GiB: the successor got nothing, the old process kept its 8192 pages'
        small.at('meminfo.HugePages_Free', 450) == 3072
        small.at('meminfo.HugePages_Rsvd', 450) == 0
        and: 'nothing was ever swapped'
        big.max('vmstat.pswpout') == 0
        small.max('vmstat.pswpout') == 0
    }

    def "S21: MADV_PAGEOUT and MADV_COLD refuse HugeTLB and mlocked memory with EINVAL"() {
        when:
        def r = Scenarios.run('kernel/s21-hugetlb-pageout.groovy')[0]

        then:
        r.summary().clean()
        r.series().max('vmstat.pswpout') == 0
    }

    // ---- THP ---------------------------------------------------------------------------------------

    def "S17: THP faults follow enabled and the VMA's advice, reads map the huge zero page, and only windows wholly inside the VMA get a THP"() {
        when:
        def r = Scenarios.run('kernel/s17-thp-fault-basics.groovy')[0]

        then:
        r.summary().clean()
        r.series().at('vmstat.thp_fault_alloc', 1) == 7
        r.series().at('vmstat.thp_fault_fallback', 1) == 0
    }

    def "S18: munmap or MADV_DONTNEED of 4 KiB inside a THP splits its PMD and queues a deferred split; mprotect splits the PMD only"() {
        when:
        def r = Scenarios.run('kernel/s18-thp-partial-unmap.groovy')[0]

        then:
        r.summary().clean()
        r.series().at('vmstat.thp_fault_alloc', 1) == 5
        r.series().at('meminfo.AnonHugePages', 1) == 2048      // only the second half of the last mapping
    }

    def "S18: a partially unmapped THP stays whole until the deferred-split shrinker runs under memory pressure, and a partial mprotect queues nothing"() {
        when:
        def r = Scenarios.run('kernel/s18-deferred-split.groovy')[0]
        def s = r.series()

        then: 'the script held; the hog that made the pressure was the one killed'
        r.summary().failedCalls() == 0
        r.events('oom_kill')*.process() == ['hog']
        and: 'no split before the pressure, one after (the queued folio; the fully mapped one was never queued)'
        s.at('vmstat.thp_split_page', 0) == 0
        s.at('vmstat.thp_split_page', 1) == 1
    }

    def "THP defrag (vma_thp_gfp_mask): always reclaims for every THP fault, madvise and defer+madvise only for MADV_HUGEPAGE regions, defer and never fall back at once"() {
        when:
        def r = Scenarios.run('kernel/thp-defrag.groovy')[0]

        then: 'the script held; what was reclaimed went to swap as whole THPs'
        r.summary().clean()
        r.summary().thpSwpout() > 0
        r.summary().thpSwpoutFallback() == 0
        r.summary().swappedOutBytes() == r.summary().thpSwpout() * 2 * 1024 * 1024
    }

    def "S23: plain THP gets huge pages while free pageblocks pass the watermark, then falls back to 4 KiB pages; cold THPs swap out whole and come back as 4 KiB pages"() {
        when:
        def r = Scenarios.run('kernel/s23-plain-thp.groovy')[0]
        def s = r.series()

        then:
        r.summary().clean()
        r.summary().thpSwpout() >= 1
        r.summary().thpSwpoutFallback() == 0
        r.summary().swappedOutBytes() == r.summary().thpSwpout() * 2 * 1024 * 1024
        and: 'the old process had 64 THPs before the successor came, and fewer after its swap-ins'
        s.at('meminfo.AnonHugePages', 4) == 64 * 2048
        and: 'what was still in the swap cache when it came back was a hit, the rest was read'
        s.at('vmstat.pswpin', 14) == r.summary().thpSwpout() * 512 - s.at('meminfo.SwapCached', 11) / 4
        and: 'after the successor exited and the old process came back, its swapped THPs stayed 4 KiB pages'
        s.at('meminfo.AnonHugePages', 14) == (64 - r.summary().thpSwpout()) * 2048
        s.at('meminfo.SwapFree', 14) == s.at('meminfo.SwapTotal', 14)
    }

    def "S23: each window makes one THP attempt; a 4 KiB fallback fault that waits for reclaim does not try again"() {
        when:
        def r = Scenarios.run('kernel/s23-fallback-once.groovy')[0]

        then:
        r.summary().clean()
    }

    def "S23: THP faults succeed down to the min watermark, the slow path's, not only down to low"() {
        when:
        def r = Scenarios.run('kernel/s23-thp-min-watermark.groovy')[0]

        then:
        r.series().at('vmstat.thp_fault_fallback', 1) == 1
    }

    // ---- watermarks --------------------------------------------------------------------------------

    def "S20: order-0 allocations stop at the min watermark counting only ordinary free pages; MemFree still shows the free reserved pageblocks"() {
        when:
        def r = Scenarios.run('kernel/s20-watermarks.groovy')[0]
        def s = r.series()

        then: 'the filler, the only process holding memory, was OOM-killed'
        r.events('oom_kill')*.process() == ['filler']
        r.summary().oomKills() == 1
        r.summary().sigbus() == 0 && r.summary().stalls() == 0
        and: 'no reserved block was touched: the quota and all 64 blocks are still free'
        s.max('reserved_thp.resident_hpages') == 0
        s.at('reserved_thp.free_hpages', 1) == 64
    }

    def "S20: min_free_kbytes on a 64 GiB x86_64 machine with THP enabled is 67584 kB"() {
        when:
        def r = Scenarios.run('kernel/s20-min-free-kbytes-64g.groovy')[0]

        then:
        r.summary().clean()
    }

    // ---- Reserved THP as posted -------------------------------------------------------------------

    def "S24: Reserved THP as posted: with 22 GiB the successor's madvise fails with EAGAIN, paging out 5120 cold THPs gives back no quota (their blocks wait in the swap cache), and 3072 hpages is all it can reserve"() {
        when:
        def results = Scenarios.run('kernel/s24-reserved-thp-as-posted.groovy')
        def big = results['reservedThp(reserve: 32G)'].series()
        def small = results['reservedThp(reserve: 22G)'].series()

        then: 'both runs held their asserts; the old process paged out 5120 THPs whole in both'
        results.every { it.summary().clean() }
        results.every { it.summary().thpSwpout() == 5120 && it.summary().thpSwpoutFallback() == 0 }
        and: 'after the page-out: the 5120 written THPs wait in the swap cache, so all 8192 reserved blocks are still taken, and the quota still says 8192'
        [big, small].every { it.at('meminfo.SwapCached', 100) == 5120 * 2048 }
        [big, small].every { it.at('reserved_thp.resident_hpages', 100) == 8192 }
        [big, small].every { it.at('reserved_thp.used_hpages', 100) == 8192 }
        and: '32 GiB: both instances charged; every block is taken during the overlap, 5120 of them by the swap cache'
        big.at('reserved_thp.used_hpages', 450) == 16384
        big.at('reserved_thp.resident_hpages', 450) == 16384
        big.at('meminfo.SwapCached', 450) == 5120 * 2048
        and: '22 GiB: the successor charged only 3072 and faulted them into the 3072 blocks the old one never used'
        small.at('reserved_thp.used_hpages', 450) == 11264
        small.at('reserved_thp.free_hpages', 450) == 0
        small.at('reserved_thp.resident_hpages', 450) == 11264
        and: "after the old process exits only the successor's charge is left"
        big.at('reserved_thp.used_hpages', 700) == 8192
        small.at('reserved_thp.used_hpages', 700) == 3072
        small.at('reserved_thp.resident_hpages', 700) == 3072
    }

    def "3.3 MADV_COLLAPSE: synchronous whatever 'enabled' says; 0 when the range clamps to no window, EINVAL inside one window or on VM_NOHUGEPAGE; thp_collapse_alloc per THP"() {
        when:
        def r = Scenarios.run('kernel/madv-collapse.groovy')[0]

        then: 'the script asserts each errno and count itself'
        r.summary().clean()
        r.series().at('meminfo.AnonHugePages', 1) == 4096
    }

    def "3.6 khugepaged (mm/khugepaged.c khugepaged_do_scan(), hpage_collapse_scan_pmd(), collapse_huge_page()): 32 THPs swapped out and read back as 4 KiB pages are collapsed again within a second at scan_sleep_millisecs 100, 8 ranges per wake"() {
        when:
        def r = Scenarios.run('kernel/khugepaged-swapin.groovy')[0]
        def s = r.series()
        def thps = (0..<s.size()).collect { (s.value('meminfo.AnonHugePages', it) / 2048) as int }
        int swappedIn = (0..<s.size()).find { s.value('vmstat.pswpin', it) == 32 * 512 }
        int allBack = (0..<s.size()).find { thps[it] == 32 && it > swappedIn }

        then: 'the script asserts the knobs, the counters and the second itself'
        r.summary().clean()
        and: 'pages_to_scan = 4096 is 8 ranges per wake: THPs come back 8 at a time, one wake per 100 ms sample'
        thps[swappedIn..allBack].unique() == (0..4).collect { 8 * it }.findAll { it >= thps[swappedIn] }
        allBack - swappedIn <= 10
    }

    def "3.6 khugepaged (hpage_collapse_scan_pmd(), thp_vma_allowable_order()): max_ptes_none 0 leaves a half-populated range alone and counts thp_scan_exceed_none_pte, 511 collapses it; a VM_NOHUGEPAGE VMA is never collapsed"() {
        when:
        def r = Scenarios.run('kernel/khugepaged-limits.groovy')[0]
        def s = r.series()

        then: 'the script asserts the ranges, the counters and the knobs itself'
        r.summary().clean()
        and: 'the full range at once, the half one a second later, the VM_NOHUGEPAGE one never'
        s.at('meminfo.AnonHugePages', 1) == 2048
        s.at('meminfo.AnonHugePages', 2) == 4096
        s.at('meminfo.AnonHugePages', 13) == 4096
    }

    def "3.6 khugepaged (start_stop_khugepaged(), khugepaged_enter_vma()): enabled=never collapses nothing; back to madvise, an mm is collapsed once registered again"() {
        when:
        def r = Scenarios.run('kernel/khugepaged-never.groovy')[0]
        def s = r.series()

        then:
        r.summary().clean()
        s.at('meminfo.AnonHugePages', 21) == 0
        s.at('meminfo.AnonHugePages', 23) == 8192
    }

    def "3.6 khugepaged (alloc_charge_folio(), khugepaged_do_scan()): a failed allocation counts thp_collapse_alloc_failed and khugepaged sleeps alloc_sleep_millisecs (60 s) before it tries again, memory freed meanwhile or not"() {
        when:
        def r = Scenarios.run('kernel/khugepaged-alloc-fail.groovy')[0]
        def s = r.series()

        then:
        r.summary().clean()
        (0..59).every { s.at('meminfo.AnonHugePages', it) == 0 }
        s.at('meminfo.AnonHugePages', 61) == 4096
    }

    def "4.6 placed pages and 4.4 compaction against a real kernel: every other page freed leaves no free block, THP faults fall back with defrag never, direct compaction makes them with defrag madvise, compact_memory makes free blocks"() {
        when:
        def r = Scenarios.run('kernel/fragmentation-calibration.groovy')[0]

        then: 'the script held every check it states against the kernel measurements'
        r.summary().clean()
        and: 'the counters sampled at the end say the same'
        def s = r.series()
        s.at('vmstat.thp_fault_fallback', 40) == 1 + 128
        // the hog's 48 THPs are one fewer than the guest's 49: the fill's page tables claimed a free block,
        // where the kernel's went into unmovable blocks its boot had left part free (docs/model.md 4.7)
        s.at('vmstat.thp_fault_alloc', 40) == 16 + 48 + 32 + 32
        and: "each of the 32 faults that compacted directly has its time in it: a block's 256 pages or two at the machine's migrate rate (5 GiB/s)"
        def c = r.summary().compactionStalls()
        c.count() == 32
        r.summary().processes()[0].compactionStalls() == c
        c.p50() >= 256 * 4096 / (5.0d * (1L << 30)) && c.max() <= 512 * 4096 / (5.0d * (1L << 30)) + 1e-9
        c.p50() <= c.p99() && c.p99() <= c.max()
        and: "compact_memory's writer waited for its migrations: the last touch, 5 s after it, ends more than 20 ms after 15 s, the faults' waits (at most 32 × 0.4 ms) included"
        r.summary().lastTouchDone() > 15.001 + 0.02
        and: 'the pageblock map has a row per block and a column per sample; compaction filled the high blocks and emptied low ones'
        def map = r.blockMap()
        map.rows() == 512 && map.blocksPerRow() == 1 && map.columnCount() == 41
        (256..<512).count { map.fill(40, it) == 255 } > 200
        (0..<256).count { map.fill(40, it) == 0 } > 100
    }

    def "shrink_slab(): a finished file walk's dentry and inode cache gives way to an application's faults on a machine without swap; unmovable slab goes with its process"() {
        when:
        def r = Scenarios.run('kernel/slab-shrink.groovy')[0]

        then: "the script's own asserts held: no OOM kill, the cache shrunk"
        r.summary().clean()
        def s = r.series()
        s.at('meminfo.SReclaimable', 1.5) == 600 * 1024
        s.at('meminfo.SUnreclaim', 1.5) == 0
        and: 'the shrinkers freed what the application took beyond free memory, the rest of the cache stays'
        s.at('meminfo.AnonPages', 3) == 640 * 1024
        // (the application's 321 page tables came from six per-CPU batches, 378 pages, partly after the shrinkers' last round)
        s.at('meminfo.SReclaimable', 3) == 261344
        s.at('vmstat.oom_kill', 3) == 0
    }
}
