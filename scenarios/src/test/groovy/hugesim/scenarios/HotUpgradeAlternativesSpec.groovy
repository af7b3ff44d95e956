package hugesim.scenarios

import hugesim.dsl.Results
import hugesim.dsl.Scenarios
import spock.lang.Shared
import spock.lang.Specification

/**
 * The cover letter's alternatives (scenarios/hot-upgrade-alternatives.groovy) beside 24 GB of other
 * movable memory: docs/model.md scenarios S22 (hugetlb_cma) and S23 (plain THP).
 */
class HotUpgradeAlternativesSpec extends Specification {
    @Shared Results results = Scenarios.run('hot-upgrade-alternatives.groovy')

    def "S22: hugetlb_cma lends its free area to movable memory while unused (CMA preferred when it exceeds half of free memory)"() {
        given:
        def s = results['hugetlbCma(cma: 32G)'].series()

        expect: 'before the old process maps, the other work has filled the 32 GB CMA area down to half of free memory, to a window'
        s.at('meminfo.CmaTotal', 5) == 32 * 1024 * 1024
        Math.abs(s.at('meminfo.CmaFree', 5) - s.at('meminfo.MemFree', 5) / 2) <= 2048
        s.at('meminfo.AnonPages', 5) == 24 * 1024 * 1024
        and: 'so 12.6 of its 24 GB sit there (12 with all 64 GB free: the kernel keeps 1.1 GB for itself)'
        Math.round((32 * 1024 * 1024 - s.at('meminfo.CmaFree', 5)) / 1024 / 102.4) == 126
    }

    def "S22: raising the 1 GiB pool migrates borrowed pages out: 32 cma_alloc successes, the successor waits for the migration"() {
        given:
        def r = results['hugetlbCma(cma: 32G)']
        def s = r.series()

        expect:
        r.summary().clean()
        s.at('vmstat.cma_alloc_success', 450) == 32
        s.at('vmstat.cma_alloc_fail', 450) == 0
        s.at('meminfo.Hugetlb', 450) == 32 * 1024 * 1024
        s.at('meminfo.CmaFree', 450) == 0
        and: 'the other work still holds its 24 GB, now outside the area'
        s.at('meminfo.AnonPages', 450) == 24 * 1024 * 1024
        and: 'migrating the borrowed pages at 5 GB/s delays the successor beyond the 316 s of a static pool'
        r.summary().lastTouchDone() > 316
        and: 'freed gigantic pages return to the area after the old process exits'
        s.at('meminfo.CmaFree', 700) == 16 * 1024 * 1024
    }

    def "S23: plain THP gets huge pages for both instances while free pageblocks last, no fallback"() {
        given:
        def r = results['thp()']
        def s = r.series()

        expect:
        r.summary().clean()
        s.at('meminfo.AnonHugePages', 450) == 32 * 1024 * 1024
        s.at('vmstat.thp_fault_fallback', 899) == 0
        s.at('vmstat.thp_fault_alloc', 899) == 16384
    }
}
