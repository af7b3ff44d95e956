package hugesim.scenarios

import hugesim.dsl.Results
import hugesim.dsl.Scenarios
import spock.lang.Shared
import spock.lang.Specification

/**
 * The cover letter's hot upgrade (scenarios/hot-upgrade.groovy) under the four designs it compares;
 * the numbers are those of the RFC's cover letter and of docs/model.md scenarios S21, S24 and S25.
 */
class HotUpgradeSpec extends Specification {
    @Shared Results results = Scenarios.run('hot-upgrade.groovy')

    def "S21: a 32 GB HugeTLB pool runs the overlap clean with all 16384 pages in use"() {
        given:
        def r = results['hugetlb(pool: 32G)']
        def s = r.series()

        expect:
        r.summary().clean()
        s.max('meminfo.HugePages_Total') == 16384
        s.at('meminfo.HugePages_Total', 450) - s.at('meminfo.HugePages_Free', 450) == 16384
        s.at('meminfo.HugePages_Rsvd', 450) == 0
        and: 'before the successor, the old process holds 8192 pages; after it exits the pool sits idle'
        s.at('meminfo.HugePages_Free', 100) == 8192
        s.at('meminfo.HugePages_Free', 700) == 8192
    }

    def "S21: a 22 GB HugeTLB pool fails the new process's mmap with ENOMEM (free - resv = 3072 < 8192)"() {
        given:
        def r = results['hugetlb(pool: 22G)']

        expect:
        r.events('mmap_failed')*.process() == ['new']
        r.events('mmap_failed')[0].detail().endsWith('-ENOMEM')
        r.events('mmap_failed')[0].time() == 300
        r.series().at('meminfo.HugePages_Free', 450) == 11264 - 8192
    }

    def "S24: Reserved THP as posted fails the new process's madvise with EAGAIN (F = 3072 < 8192, rule 29)"() {
        given:
        def r = results['reservedThp(reserve: 22G)']

        expect:
        r.events('madvise_failed')*.process() == ['new']
        r.events('madvise_failed')[0].detail().endsWith('-EAGAIN')
        r.series().at('reserved_thp.used_hpages', 450) == 8192
        r.series().at('reserved_thp.total_hpages', 450) == 11264
    }

    def "S25: Reserved THP with overcommit swaps 5120 cold THPs out whole, never split, and runs clean"() {
        given:
        def r = results['reservedThp(reserve: 22G, overcommit: true)']
        def s = r.series()

        expect:
        r.summary().clean()
        r.summary().thpSwpout() == 5120
        r.summary().thpSwpoutFallback() == 0
        r.summary().oomKills() == 0
        s.max('reserved_thp.resident_hpages') == 11264
        s.at('vmstat.pswpout', 899) == 5120 * 512
        and: 'the quota is overcommitted during the overlap: 16384 used of 11264'
        s.at('reserved_thp.used_hpages', 450) == 16384
        and: 'after the old process exits, its swap is freed and the new one holds 8192 blocks'
        s.at('hugesim.swap_used_kB', 700) == 0
        s.at('reserved_thp.resident_hpages', 700) == 8192
    }

    def "the same script and seed give the same series and events"() {
        when:
        def again = Scenarios.run('hot-upgrade.groovy')

        then:
        (0..<results.size()).every { i ->
            def a = results[i], b = again[i]
            a.events() == b.events() && a.series().names().every { n -> a.series().column(n) == b.series().column(n) }
        }
    }
}
