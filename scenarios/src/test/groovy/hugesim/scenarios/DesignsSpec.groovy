package hugesim.scenarios

import hugesim.dsl.HugesimSpecification
import hugesim.dsl.Results
import hugesim.dsl.ScenarioException
import hugesim.dsl.Scenarios
import hugesim.record.RunResult
import spock.lang.Shared

/**
 * The review thread's designs (docs/model.md section 7): one script per rule under scenarios/designs, each
 * asserting its rule with the kernel's return values and views, and the hot upgrade under every design.
 */
class DesignsSpec extends HugesimSpecification {
    static final String DIR = 'designs'

    @Shared Results upgrade = Scenarios.run("${DIR}/hot-upgrade-designs.groovy")

    static RunResult rule(String file) {
        RunResult r = Scenarios.run("${DIR}/${file}")[0]
        assert r.events().findAll { it.kind() in ['oom_kill', 'sigbus', 'sigsegv'] }.isEmpty()
        r
    }

    // ---- 7.1 reservedThp(chargeAt: 'mmap') ------------------------------------------------------

    def "rule 54: MAP_RESERVED_THP is private anonymous only, PMD-rounded and aligned, and VM_RESERVED_THP from the start"() {
        when:
        def r = rule('rule-54-map-reserved-thp.groovy')

        then:
        r.summary().clean()
        r.series().at('reserved_thp.used_hpages', 1) == 2
        r.series().at('reserved_thp.resident_hpages', 1) == 2
    }

    def "rule 55: mmap(MAP_RESERVED_THP) charges the quota all or nothing and fails with ENOMEM when it is short (hugetlb_reserve_pages())"() {
        when:
        def r = rule('rule-55-charge-at-mmap.groovy')

        then:
        r.summary().clean()
        r.series().at('reserved_thp.used_hpages', 1) == 0
    }

    def "rule 56: a MAP_RESERVED_THP mapping keeps its charge through munmap, mremap, fork and exit (rules 37-42)"() {
        when:
        def r = rule('rule-56-lifecycle.groovy')

        then:
        r.summary().clean()
        r.events('process_start')*.process() == ['parent', 'child', 'checker']
        r.series().max('reserved_thp.used_hpages') == 8     // the whole quota, with the child's copy
        r.events('process_exit')*.process() == ['child', 'parent']
        r.series().at('reserved_thp.used_hpages', 3) == 0   // the parent's exit returned the rest
    }

    def "rule 55: chargeAt: 'mmap' cannot overcommit, and chargeAt takes 'madvise' or 'mmap' only"() {
        when:
        Scenarios.inline('bad', 'bad.groovy') {
            policy reservedThp(reserve: 2.GB, chargeAt: chargeAt, overcommit: overcommit)
        }.runAll()

        then:
        def e = thrown(ScenarioException)
        e.message.contains(message)

        where:
        chargeAt | overcommit || message
        'mmap'   | true       || "reservedThp(chargeAt: 'mmap') reserves at mmap and cannot overcommit"
        'fault'  | false      || "reservedThp(chargeAt: 'fault') is not one of [madvise, mmap]"
    }

    // ---- the hot upgrade under every design ------------------------------------------------------

    def "rule 55: with 22 GB charged at mmap the successor's mmap fails with ENOMEM (F = 3072 < 8192), as HugeTLB's does"() {
        given:
        def r = upgrade["reservedThp(reserve: 22G, chargeAt: mmap)"]
        def hugetlb = upgrade['hugetlb(pool: 22G)']

        expect:
        r.summary().verdict() == 'new: mmap ENOMEM'
        hugetlb.summary().verdict() == 'new: mmap ENOMEM'
        r.events('mmap_failed')[0].detail().contains('MAP_RESERVED_THP')
        r.events('mmap_failed')[0].time() == 300
        r.series().at('reserved_thp.used_hpages', 450) == 8192
        and: 'the posted code fails the same call later, at madvise, with EAGAIN; the quota is the same'
        upgrade['reservedThp(reserve: 22G)'].summary().verdict() == 'new: madvise EAGAIN'
        upgrade['reservedThp(reserve: 22G)'].series().at('reserved_thp.used_hpages', 450) == 8192
    }

    def "the hot upgrade: of the reserving designs only overcommit fits 22 GB, from reserved pageblocks or from HugeTLB's pool; those that reserve up front (at madvise, at mmap, or by a pool file's size) need 32 GB as HugeTLB does; ZONE_NOSPLIT reserves for no one and falls back to ordinary THPs"() {
        expect:
        upgrade.collect { it.policy() + ': ' + it.summary().verdict() } == [
                'hugetlb(pool: 32G): clean',
                'hugetlb(pool: 22G): new: mmap ENOMEM',
                'reservedThp(reserve: 22G): new: madvise EAGAIN',
                'reservedThp(reserve: 22G, overcommit: true): clean',
                'reservedThp(reserve: 22G, chargeAt: mmap): new: mmap ENOMEM',
                'sharedPool(pool: 22G): new: madvise EAGAIN',
                'sharedPool(pool: 22G, overcommit: true): clean',
                'zoneNosplit(size: 22G): clean',
                'memPool(size: 22G): new: ftruncate ENOSPC']
        upgrade['reservedThp(reserve: 22G, overcommit: true)'].summary().thpSwpout() == 5120
        upgrade['sharedPool(pool: 22G, overcommit: true)'].summary().thpSwpout() == 5120
    }

    def "what each design costs on the hot upgrade at the reserve it needs: memory idle in the reserve, swap written, time"() {
        when:
        def big = run(reserve: 32.GB, "${DIR}/hot-upgrade-designs.groovy")
        def zone = run(reserve: 16.GB, "${DIR}/hot-upgrade-designs.groovy")['zoneNosplit(size: 16G)']
        def needs = { String policy, int gb -> (gb == 32 ? big : upgrade)[policy.replace('S', "${gb}G")] }
        def gib = { long bytes -> Math.round(bytes / (1L << 30) * 10) / 10 }

        then: 'the designs that reserve up front hold 32 GB, and the old service\'s 16 GB sit idle once it exits'
        ['hugetlb(pool: S)', 'reservedThp(reserve: S)', 'reservedThp(reserve: S, chargeAt: mmap)', 'sharedPool(pool: S)',
         'memPool(size: S)'].every { String p ->
            def r = needs(p, 32)
            r.summary().clean() && gib(r.summary().meanIdleReservedBytes()) == 10.8 && r.summary().swappedOutBytes() == 0 &&
                    r.summary().lastTouchDone() == 316
        }
        and: 'overcommit holds 22 GB, keeps 4 GiB idle on average, and pays with 10 GiB written to swap and 5 s'
        ['reservedThp(reserve: S, overcommit: true)', 'sharedPool(pool: S, overcommit: true)'].every { String p ->
            def r = needs(p, 22)
            r.summary().clean() && gib(r.summary().meanIdleReservedBytes()) == 4.0 && r.summary().swappedOutBytes() == 10L << 30 &&
                    Math.round(r.summary().lastTouchDone()) == 321
        }
        and: 'ZONE_NOSPLIT reserves for no one: 16 GB, the successor\'s THPs from ordinary memory'
        zone.summary().clean()
        gib(zone.summary().meanIdleReservedBytes()) == 5.3
        zone.summary().lastTouchDone() == 316
    }

    def "reservedThp(reserve: 32 GB, chargeAt: 'mmap') runs the hot upgrade clean, both heaps charged from their mmap"() {
        when:
        def r = run(reserve: 32.GB, "${DIR}/hot-upgrade-designs.groovy")["reservedThp(reserve: 32G, chargeAt: mmap)"]
        def s = r.series()

        then:
        r.summary().clean()
        s.at('reserved_thp.used_hpages', 299) == 8192
        s.at('reserved_thp.used_hpages', 301) == 16384      // charged at mmap, before the successor's first fault
        s.at('reserved_thp.resident_hpages', 301) < 8192 + 1024
        s.at('reserved_thp.used_hpages', 700) == 8192       // the old process's exit returned its charge
        r.summary().thpSwpout() == 0
        and: 'one step below, 31 GB, the mmap of the successor fails: charged at mmap, the design needs all of the overlap as HugeTLB does'
        run(reserve: 31.GB, "${DIR}/hot-upgrade-designs.groovy")["reservedThp(reserve: 31G, chargeAt: mmap)"].summary().verdict() == 'new: mmap ENOMEM'
    }

    def "rule 50 under every design: a node-1 service stalls on a reservation whose blocks are all on node 0, whether charged at madvise or at mmap; HugeTLB's pool, and reserved THPs served from it, fall back to the other node; a pool file fails at once or reserves where asked"() {
        when:
        def numa = Scenarios.run("${DIR}/numa-two-nodes.groovy")

        then:
        numa['hugetlb(pool: 4G)'].summary().clean()
        and: 'served from HugeTLB\'s pool (sharedPool, rule 60) the reserved THPs take node 0\'s pages once node 1\'s are gone'
        numa['sharedPool(pool: 4G)'].summary().clean()
        numa['sharedPool(pool: 4G)'].summary().thpFaultAlloc() == 2048
        and: 'ZONE_NOSPLIT is spread over both nodes and a THP fault goes down the zonelist (rule 66): no stall'
        numa['zoneNosplit(size: 4G)'].summary().clean()
        numa['zoneNosplit(size: 4G)'].summary().thpFaultAlloc() == 2048
        and: 'a pool file reserves on the service\'s node when its size is set (memPool, rule 81): 2 GB there fails at once, not a stall; numa: preferred takes node 0\'s half; a pool sized where the service runs is all local'
        numa['memPool(size: 4G)'].summary().verdict() == 'remote: ftruncate ENOSPC'
        numa['memPool(size: 4G)'].summary().stalls() == 0
        numa['memPool(size: 4G, numa: preferred)'].summary().clean()
        numa['memPool(perNode: [0, 4G])'].summary().clean()
        numa['memPool(perNode: [0, 4G])'].series().at('meminfo.HugePages_Free', 30) == 0
        ['reservedThp(reserve: 4G)', 'reservedThp(reserve: 4G, chargeAt: mmap)'].every { String p ->
            def r = numa[p]
            r.summary().verdict() == 'remote: 1 stall (60.0 s, still stalled at the end)' &&
                    r.series().at('reserved_thp.used_hpages', 30) == 2048 &&
                    r.series().at('reserved_thp.resident_hpages', 30) == 0
        }
    }

    def "the fleet upgrade with 17 GB: charged at mmap, the first successor's mmap fails where the posted code's madvise fails; only overcommit gets through, with one stall"() {
        when:
        def fleet = run(reserve: 17.GB, "${DIR}/fleet-upgrade-designs.groovy")

        then:
        fleet.collect { it.policy() + ': ' + it.summary().verdict() } == [
                'hugetlb(pool: 17G): svc0-new: mmap ENOMEM',
                'reservedThp(reserve: 17G): svc0-new: madvise EAGAIN',
                'reservedThp(reserve: 17G, overcommit: true): svc3-new: 1 stall (116.2 s)',
                'reservedThp(reserve: 17G, chargeAt: mmap): svc0-new: mmap ENOMEM',
                'sharedPool(pool: 17G): svc0-new: madvise EAGAIN',
                'sharedPool(pool: 17G, overcommit: true): svc3-new: 1 stall (116.2 s)',
                'zoneNosplit(size: 17G): clean',
                'memPool(size: 17G): svc0-new: ftruncate ENOSPC']
        fleet['reservedThp(reserve: 17G, overcommit: true)'].summary().thpSwpout() == 4186
        fleet['sharedPool(pool: 17G, overcommit: true)'].summary().thpSwpout() == 4186
        and: 'with the 20 GB of the plan every design is clean'
        run("${DIR}/fleet-upgrade-designs.groovy").every { it.summary().clean() }
    }
}
