package hugesim.scenarios

import hugesim.dsl.HugesimSpecification
import hugesim.dsl.Results
import hugesim.dsl.ScenarioException
import hugesim.dsl.Scenarios
import hugesim.record.RunResult
import spock.lang.Shared

import static hugesim.uapi.Mman.*

/**
 * The sharedPool design (docs/model.md 7.2, rules 57-63): reserved THPs served from HugeTLB's own pool, as
 * Wilcox asks in the review thread. One script per rule under scenarios/designs, and the cover letter's hot
 * upgrade (scenarios/hot-upgrade.groovy) under sharedPool beside hugetlb(pool:) and reservedThp: what each
 * sets aside and what it costs.
 */
class SharedPoolSpec extends HugesimSpecification {
    static final String DIR = 'designs'

    /** scenarios/hot-upgrade.groovy as written (22 GB budget, 10 GB of 16 cold), under every design's policy. */
    @Shared Results upgrade = Scenarios.load('hot-upgrade.groovy').withPolicies([
            hugetlb(pool: 32.GB), hugetlb(pool: 22.GB),
            reservedThp(reserve: 22.GB), reservedThp(reserve: 22.GB, overcommit: true),
            sharedPool(pool: 32.GB), sharedPool(pool: 22.GB), sharedPool(pool: 22.GB, overcommit: true),
            sharedPool(pool: 22.GB, overcommit: true, swapIn: 'wait')]).runAll()

    RunResult rule(String file, Map<String, Object> set = [:]) {
        RunResult r = run(set, "${DIR}/${file}")[0]
        assert r.events().findAll { it.kind() in ['oom_kill', 'sigbus', 'sigsegv', 'assert_failed'] }.isEmpty()
        r
    }

    // ---- 7.2 the rules, one script each ------------------------------------------------------------

    def "rule 57: sharedPool boots hugepages= only, no MIGRATE_RESERVED_THP pageblock; the quota reads HugePages_Total"() {
        when:
        def r = rule('rule-57-one-pool.groovy')

        then:
        r.summary().clean()
        r.series().at('meminfo.HugePages_Total', 1) == 8
        r.series().at('reserved_thp.total_hpages', 1) == 8
        r.summary().peakReservedBytes() == 16L << 20          // the pool alone is set aside
    }

    def "rule 58: MAP_HUGETLB mappings and reserved THPs share one pool; HugePages_Total, _Free and _Rsvd count both (mm/hugetlb.c hugetlb_acct_memory())"() {
        when:
        def r = rule('rule-58-both-consumers.groovy')

        then:
        r.summary().clean()
        r.summary().thpFaultAlloc() == 3
        r.series().at('meminfo.HugePages_Free', 1) == 8
    }

    def "rule 59: reserved THP charges are HugePages_Rsvd and HugeTLB's mmap sees them; with rsvd: false they promise pool pages twice and the reserved fault finds none (rule 47)"() {
        when:
        def counted = rule('rule-59-rsvd.groovy', [rsvd: true])
        def twice = rule('rule-59-rsvd.groovy')

        then: 'the script asserts each side; counted, HugeTLB is refused and the reserved THPs all fault'
        counted.summary().clean()
        counted.policy() == 'sharedPool(pool: 16M)'
        counted.summary().thpFaultAlloc() == 8
        and: 'not counted, 24 MiB is promised from a 16 MiB pool and 4 reserved faults fail'
        twice.summary().clean()
        twice.policy() == 'sharedPool(pool: 16M, rsvd: false)'
        twice.summary().peakUsedBytes() == 24L << 20
        twice.summary().thpFaultAlloc() == 4
        twice.summary().thpFaultFallback() == 1
    }

    def "rule 60: a reserved THP's fault dequeues as a HugeTLB fault does: the local node's pool page first, then another node's (dequeue_hugetlb_folio_nodemask()), no stall"() {
        when:
        def r = rule('rule-60-fault-per-node.groovy')

        then:
        r.summary().clean()
        r.summary().stalls() == 0
        r.summary().thpFaultAlloc() == 6
    }

    def "rule 61: pool pages mapped as reserved THPs stay the pool's: MADV_HUGEPAGE/NOHUGEPAGE EINVAL, migrate_pages leaves them (closing rule 32's hole)"() {
        when:
        def r = rule('rule-61-stays-in-pool.groovy')

        then:
        r.summary().clean()
        r.series().at('reserved_thp.resident_hpages', 1) == 2
    }

    def "rule 62: a freed or whole-swapped reserved THP returns its page to the pool (free_huge_folio()), never to the buddy allocator"() {
        when:
        def r = rule('rule-62-back-to-pool.groovy')

        then:
        r.summary().clean()
        r.summary().thpSwpout() == 1
        r.summary().thpSwpoutFallback() == 0
        r.series().at('meminfo.HugePages_Free', 1) == 8
    }

    def "rule 62: with swapIn: 'wait' a swapped-out pool THP comes back whole into a page of the pool"() {
        when:
        def r = run {
            machine {
                memory 1.GB
                swap 64.MB, device: 'zram'   // freed once written, so the swap-in reads it back
            }
            policy sharedPool(pool: 16.MB, swapIn: 'wait')
            process('p') {
                long a = mmap(0, 4.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
                assert madvise(a, 4.MB, MADV_RESERVED_THP) == 0
                touch a, 4.MB
                assert madvise(a, 2.MB, MADV_PAGEOUT) == 0
                sleep 100.ms
                assert meminfo('HugePages_Free') == 7 && meminfo('HugePages_Rsvd') == 1
                read a, 2.MB
                assert meminfo('HugePages_Free') == 6 && meminfo('HugePages_Rsvd') == 0
                assert meminfo('AnonHugePages') == 4096 && vmstat('pswpin') == 512
            }
            run until: 1.s
        }[0]

        then:
        r.summary().clean()
        r.summary().thpSwpout() == 1
        r.series().at('reserved_thp.resident_hpages', 1) == 2
    }

    def "rule 63: overcommitted, a fault with no pool page swaps a cold reserved THP out whole and waits for its write"() {
        when:
        def r = rule('rule-63-overcommit.groovy')

        then:
        r.summary().clean()
        r.summary().thpSwpout() == 4
        r.summary().swappedOutBytes() == 8L << 20
        r.summary().peakUsedBytes() == 24L << 20                // 12 hpages charged against a pool of 8
        r.summary().peakResidentBytes() == 16L << 20
    }

    def "sharedPool's options: chargeAt and swapIn take the reservedThp values, chargeAt: 'mmap' cannot overcommit, and an unknown option names its line"() {
        when:
        Scenarios.inline('bad', 'bad.groovy') {
            policy sharedPool(opts)
        }.runAll()

        then:
        def e = thrown(ScenarioException)
        e.message.contains(message)

        where:
        opts                                                || message
        [pool: 2.GB, chargeAt: 'mmap', overcommit: true]   || "sharedPool(chargeAt: 'mmap') reserves at mmap and cannot overcommit"
        [pool: 2.GB, chargeAt: 'fault']                    || "sharedPool(chargeAt: 'fault') is not one of [madvise, mmap]"
        [pool: 2.GB, swapIn: 'never']                      || "sharedPool(swapIn: 'never') is not one of [fallback, wait, fail]"
        [pool: 2.GB, reserve: 2.GB]                        || 'reserve'
        [overcommit: true]                                 || 'sharedPool() needs pool:'
    }

    def "an unknown sharedPool option is bad input naming FILE:LINE"() {
        given:
        File f = File.createTempFile('sharedpool-bad', '.groovy')
        f.text = "machine { memory 1.GB }\n\npolicy sharedPool(pool: 16.MB, rsvp: false)\n"

        when:
        Scenarios.load(f.path)

        then:
        def e = thrown(ScenarioException)
        e.message.startsWith("${f.path}:3:")
        e.message.contains('rsvp')

        cleanup:
        f.delete()
    }

    // ---- the hot upgrade ---------------------------------------------------------------------------

    def "the hot upgrade under sharedPool: 22 GB set aside fails the successor's madvise as the posted quota does; 32 GB runs clean as HugeTLB's pool does"() {
        expect:
        upgrade.collect { it.policy() + ': ' + it.summary().verdict() } == [
                'hugetlb(pool: 32G): clean',
                'hugetlb(pool: 22G): new: mmap ENOMEM',
                'reservedThp(reserve: 22G): new: madvise EAGAIN',
                'reservedThp(reserve: 22G, overcommit: true): clean',
                'sharedPool(pool: 32G): clean',
                'sharedPool(pool: 22G): new: madvise EAGAIN',
                'sharedPool(pool: 22G, overcommit: true): clean',
                'sharedPool(pool: 22G, overcommit: true, swapIn: wait): clean']
        and: 'what each sets aside: the pool, or the reserved pageblocks'
        upgrade.collect { it.summary().peakReservedBytes().intdiv(1L << 30) } == [32, 22, 22, 22, 32, 22, 22, 22]
        and: 'failed calls, stalls and swap I/O'
        upgrade.collect { it.summary().failedCalls() } == [0, 1, 1, 0, 0, 1, 0, 0]
        upgrade.collect { it.summary().stalls() } == [0, 0, 0, 0, 0, 0, 0, 0]
        upgrade.collect { it.summary().thpSwpout() } == [0, 0, 0, 5120, 0, 0, 5120, 5120]
        upgrade.collect { it.summary().swappedOutBytes().intdiv(1L << 30) } == [0, 0, 0, 10, 0, 0, 10, 10]
    }

    def "the hot upgrade, sharedPool(pool: 22 GB, overcommit: true): 5120 cold THPs go to swap whole and their pages back to the pool, HugePages_Free 0 through the overlap, the touch 5 s later than with 32 GB"() {
        given:
        def r = upgrade['sharedPool(pool: 22G, overcommit: true)']
        def s = r.series()

        expect:
        r.summary().clean()
        r.summary().thpSwpoutFallback() == 0
        s.at('meminfo.HugePages_Total', 450) == 11264
        s.at('meminfo.HugePages_Free', 450) == 0
        s.at('meminfo.HugePages_Rsvd', 450) == 0
        s.at('reserved_thp.used_hpages', 450) == 16384       // overcommitted: 16384 charged of 11264
        s.at('reserved_thp.resident_hpages', 450) == 11264   // every pool page a THP
        s.at('meminfo.AnonHugePages', 450) == 11264L * 2048
        // the buddy allocator gave nothing but the successor's page tables (8192 deposited, 16 PMD tables),
        // taken through the per-CPU list 63 pages at a time: 130 batches, the rest from the batch left over
        s.at('meminfo.MemFree', 450) == s.at('meminfo.MemFree', 100) - 130 * 63 * 4
        Math.round(r.summary().lastTouchDone()) == Math.round(upgrade['sharedPool(pool: 32G)'].summary().lastTouchDone()) + 5
        and: 'the same figures as the author\'s plan with reserved pageblocks: the pool changes where memory is set aside, not what it costs'
        r.summary().lastTouchDone() == upgrade['reservedThp(reserve: 22G, overcommit: true)'].summary().lastTouchDone()
        r.summary().swappedOutBytes() == upgrade['reservedThp(reserve: 22G, overcommit: true)'].summary().swappedOutBytes()
    }

    def "the hot upgrade, sharedPool(pool: 22 GB): the successor's charge counts in HugePages_Rsvd until it is refused; the old heap's 8192 pages are THPs of the pool"() {
        given:
        def s = upgrade['sharedPool(pool: 22G)'].series()

        expect:
        s.at('meminfo.HugePages_Free', 100) == 3072
        s.at('meminfo.HugePages_Rsvd', 100) == 0
        s.at('reserved_thp.used_hpages', 100) == 8192
        s.at('reserved_thp.free_hpages', 100) == 3072
        s.at('meminfo.AnonHugePages', 100) == 8192L * 2048
        s.at('meminfo.HugePages_Free', 700) == 11264          // the old service's exit gave every page back
    }

    def "a MAP_HUGETLB service hands over to a reserved-THP successor in one pool: 32 GB runs clean; with 22 GB, overcommit finds no cold reserved THP (HugeTLB pages do not swap) and the successor stalls until the old service exits"() {
        when:
        def mixed = Scenarios.run("${DIR}/hot-upgrade-from-hugetlb.groovy")

        then:
        mixed.collect { it.policy() + ': ' + it.summary().verdict() } == [
                'sharedPool(pool: 32G): clean',
                'sharedPool(pool: 22G): new: madvise EAGAIN',
                'sharedPool(pool: 22G, overcommit: true): new: 1 stall (294.0 s)']
        def oc = mixed['sharedPool(pool: 22G, overcommit: true)']
        oc.summary().thpSwpout() == 0
        oc.summary().lastTouchDone() == 610
        oc.series().at('meminfo.HugePages_Total', 450) - oc.series().at('meminfo.HugePages_Free', 450) == 11264
        oc.series().at('meminfo.AnonHugePages', 450) == 3072L * 2048      // the successor's THPs beside 8192 HugeTLB pages
    }
}
