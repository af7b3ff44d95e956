package hugesim.scenarios

import hugesim.dsl.Scenarios
import spock.lang.Shared
import spock.lang.Specification

/**
 * The hot upgrade after three hours of page-cache and slab churn (scenarios/hot-upgrade-fragmented.groovy;
 * docs/model.md 4.6, 4.7, 5.6): what each design's guarantee is worth once memory is full of page cache
 * and pageblocks hold kernel pages.
 */
class FragmentedUpgradeSpec extends Specification {
    @Shared def results = Scenarios.run('hot-upgrade-fragmented.groovy')

    static long last(def r, String metric) {
        def s = r.series()
        (long) s.value(metric, s.size() - 1)
    }

    def "every design completes the upgrade: the page cache gives way (get_scan_count(), pgsteal_file) and nothing is killed or stalled"() {
        expect:
        results.every { it.summary().clean() }
        results.every { last(it, 'meminfo.Cached') > 20L * 1024 * 1024 }   // kB: the cache is still most of memory
    }

    def "plain THP: some huge pages fall back where neither reclaim nor compaction makes a free block in time (thp_fault_fallback)"() {
        expect:
        results['thp()'].summary().thpFaultFallback() > 0
        results['thp()'].summary().thpFaultFallback() < 512
    }

    def "hugetlb_cma: cma_alloc() migrates the page cache out of its area, reclaiming clean page cache for the copies (16 more 1 GiB pages), at the cost of the copies' time"() {
        expect:
        last(results['hugetlbCma(cma: 32G)'], 'vmstat.cma_alloc_success') == 32
        results['hugetlbCma(cma: 32G)'].summary().lastTouchDone() > results['hugetlb(pool: 32G)'].summary().lastTouchDone()
    }

    def "the author's plan: the 10 GiB gone cold two hours before still swaps out whole"() {
        expect:
        results['reservedThp(reserve: 22G, overcommit: true)'].summary().thpSwpout() == 5120
        results['reservedThp(reserve: 22G, overcommit: true)'].summary().thpSwpoutFallback() == 0
    }
}
