package com.example.fleet

import hugesim.dsl.HugesimSpecification
import hugesim.dsl.Results
import spock.lang.Shared

/** Our search tier's upgrade (src/test/resources/scenarios/search-upgrade.groovy) under each design. */
class SearchUpgradeSpec extends HugesimSpecification {
    @Shared Results results = run('scenarios/search-upgrade.groovy')

    def "today's 48 GB HugeTLB pool carries the upgrade"() {
        expect:
        results[hugetlb(pool: 48.GB)].summary().clean()
        results[hugetlb(pool: 48.GB)].peak('meminfo.HugePages_Total') == 24576
    }

    def "a 33 GB HugeTLB pool fails the new server's mmap: HugeTLB reserves at mmap and cannot swap the cold index"() {
        expect:
        def r = results[hugetlb(pool: 33.GB)]
        r.summary().failedCalls() == 1
        r.failures.any { it.contains('index-new mmap_failed') && it.contains('-ENOMEM') }
    }

    def "the RFC as posted cannot either: the quota is charged at madvise, and swapping cold THPs returns none (EAGAIN)"() {
        expect:
        def r = results[reservedThp(reserve: 33.GB)]
        !r.summary().clean()
        r.failures.any { it.contains('EAGAIN') }
    }

    def "with overcommit, 33 GB is enough: the 15 GB of cold index goes to swap as whole THPs, and the new server is ready within 8 s of today"() {
        given:
        def today = results[hugetlb(pool: 48.GB)]
        def plan = results[reservedThp(reserve: 33.GB, overcommit: true)]

        expect:
        plan.summary().clean()
        plan.metric('thpSwpout') == 15.GB / 2.MB
        plan.metric('thpSwpoutFallback') == 0
        plan.peak('hugesim.swap_used_kB') == 15.GB / 1.KB
        plan.at('reserved_thp.used_hpages', 400.s) > 33.GB / 2.MB    // overcommitted: both servers' quota
        plan.metric('lastTouchDone') - today.metric('lastTouchDone') <= 8
    }
}
