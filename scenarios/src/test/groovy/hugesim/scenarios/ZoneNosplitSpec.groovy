package hugesim.scenarios

import hugesim.dsl.HugesimSpecification
import hugesim.dsl.Results
import hugesim.dsl.ScenarioException
import hugesim.dsl.Scenarios
import hugesim.record.RunResult
import spock.lang.Shared

/**
 * The zoneNosplit design (docs/model.md 7.3, rules 64-71): Yu Zhao's ZONE_NOSPLIT, the idea the RFC's cover
 * letter names, as a zone of THP-only memory set aside at boot whose folios are never split. One script per
 * rule under scenarios/designs, and the cover letter's hot upgrade under it beside the other designs.
 */
class ZoneNosplitSpec extends HugesimSpecification {
    static final String DIR = 'designs'

    @Shared Results upgrade = Scenarios.run("${DIR}/hot-upgrade-designs.groovy")

    /** A rule's script: its asserts held, and nothing but a process named hog was killed. */
    RunResult rule(String file) {
        RunResult r = run("${DIR}/${file}")[0]
        assert r.events().findAll { it.kind() in ['sigbus', 'sigsegv', 'assert_failed'] }.isEmpty()
        assert r.events('oom_kill').every { it.detail().contains('hog') }
        r
    }

    def "rule 64: nosplit= sets the zone aside at boot, spread over the nodes from the top of each, nothing charged"() {
        when:
        def r = rule('rule-64-zone-set-aside.groovy')

        then:
        r.events('boot_log')*.detail().contains('nosplit: 32 of 32 blocks (64M) set aside for ZONE_NOSPLIT')
        r.summary().peakReservedBytes() == 64L << 20
        r.summary().peakUsedBytes() == 0
    }

    def "rule 65: neither 4 KiB pages nor HugeTLB pool pages come from the zone"() {
        expect:
        rule('rule-65-huge-only.groovy').summary().clean()
    }

    def "rule 66: a THP allocation takes the zone first, node by node; users: 'madvised' keeps VMAs without MADV_HUGEPAGE out"() {
        when:
        def r = rule('rule-66-who-may-use.groovy')

        then:
        r.summary().clean()
        r.summary().thpFaultAlloc() == 8
    }

    def "rule 67: a NoSplit folio is never split (no thp_deferred_split_page, no thp_split_page); an ordinary THP beside it is (deferred_split_scan())"() {
        when:
        def r = rule('rule-67-never-split.groovy')

        then:
        r.events('oom_kill')*.detail().every { it.contains('hog') }
        r.series().at('vmstat.thp_split_page', 1) == 1
    }

    def "rule 68: a partial munmap or MADV_DONTNEED leaves the folio whole until its last page is unmapped"() {
        expect:
        rule('rule-68-partial-unmap.groovy').summary().clean()
    }

    def "rule 69: a NoSplit THP goes to swap whole (thp_swpout) and its block back to the zone; swap-in is 4 KiB ordinary pages"() {
        when:
        def r = rule('rule-69-swap-whole.groovy')

        then:
        r.summary().clean()
        r.summary().thpSwpout() == 2
        r.summary().thpSwpoutFallback() == 0
    }

    def "rule 69: on a swap file (no cluster) a NoSplit THP cannot be reclaimed; the ordinary THP beside it is split and swapped (mm/vmscan.c activate_locked_split)"() {
        when:
        def r = rule('rule-69-swap-file-keeps.groovy')

        then:
        r.summary().thpSwpout() == 0
        r.summary().thpSwpoutFallback() == 1
        r.summary().swappedOutBytes() == 2L << 20             // the ordinary THP's 512 pages only
    }

    def "rule 70: migrate_pages moves a NoSplit THP into the target's zone, else leaves it whole (no thp_migration_split)"() {
        expect:
        rule('rule-70-migration.groovy').summary().clean()
    }

    def "rule 71: MADV_COLLAPSE allocates from the zone; after fork a write copies into ordinary pages and the folio stays whole"() {
        expect:
        rule('rule-71-collapse-fork.groovy').summary().clean()
    }

    def "zoneNosplit's options: users takes 'any' or 'madvised', size must be whole PMD blocks, and size: is required"() {
        when:
        Scenarios.inline('bad', 'bad.groovy') {
            policy zoneNosplit(opts)
        }.runAll()

        then:
        def e = thrown(ScenarioException)
        e.message.contains(message)

        where:
        opts                                || message
        [size: 2.GB, users: 'everyone']     || "zoneNosplit(users: 'everyone') is not one of [any, madvised]"
        [users: 'any']                      || 'zoneNosplit() needs size:'
        [size: 2.GB, reserve: 2.GB]         || 'reserve'
    }

    def "a zone size that is not whole PMD blocks is refused"() {
        when:
        Scenarios.inline('bad', 'bad.groovy') {
            machine { memory 1.GB }
            policy zoneNosplit(size: 3.MB)
        }.runAll()

        then:
        def e = thrown(ScenarioException)
        e.message.contains('zoneNosplit(size: 3M) is not a multiple of 2M')
    }

    def "an unknown zoneNosplit option is bad input naming FILE:LINE"() {
        given:
        File f = File.createTempFile('nosplit-bad', '.groovy')
        f.text = "machine { memory 1.GB }\n\npolicy zoneNosplit(size: 16.MB, user: 'any')\n"

        when:
        Scenarios.load(f.path)

        then:
        def e = thrown(ScenarioException)
        e.message.startsWith("${f.path}:3:")
        e.message.contains('user')

        cleanup:
        f.delete()
    }

    def "the hot upgrade under zoneNosplit with 22 GB: clean, no swap: the successor's first 3072 THPs come from the zone, the other 5120 from ordinary memory"() {
        given:
        def r = upgrade['zoneNosplit(size: 22G)']

        expect:
        r.summary().clean()
        r.summary().peakReservedBytes() == 22L << 30
        r.summary().thpFaultAlloc() == 16384
        r.summary().thpSwpout() == 0
        r.summary().failedCalls() == 0
        r.summary().stalls() == 0
        and: 'the successor is done as early as with 32 GB of HugeTLB, and as with overcommit it needs no swap at all'
        r.summary().lastTouchDone() == upgrade['hugetlb(pool: 32G)'].summary().lastTouchDone()
    }

    def "the hot upgrade under zoneNosplit with 32 GB: clean, all 16384 THPs fit in the zone; the same figures as with 22 GB but 10 GB more set aside"() {
        when:
        def r = run(reserve: 32.GB, "${DIR}/hot-upgrade-designs.groovy")['zoneNosplit(size: 32G)']
        def at22 = upgrade['zoneNosplit(size: 22G)']

        then:
        r.summary().clean()
        r.summary().peakReservedBytes() == 32L << 30
        r.summary().thpFaultAlloc() == 16384
        r.summary().thpSwpout() == 0
        r.summary().lastTouchDone() == at22.summary().lastTouchDone()
    }
}
