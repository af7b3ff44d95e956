package hugesim.scenarios

import hugesim.dsl.Scenarios
import spock.lang.Specification

/** The kernel's own hugetlb selftests, replayed as scenarios (docs/model.md 2.5). */
class HugetlbSelftestSpec extends Specification {

    def "hugetlb-madvise.c: every free-page count it validates holds (DONTNEED, fallocate, hole punch, MADV_REMOVE)"() {
        when:
        def r = Scenarios.run('kernel/hugetlb-madvise-selftest.groovy')[0]

        then: 'the replay asserts each validate_free_pages() itself; the run ends with the pool as it began'
        r.summary().clean()
        r.series().at('meminfo.HugePages_Free', 1) == 20
        r.series().at('meminfo.HugePages_Rsvd', 1) == 0
        r.series().at('meminfo.HugePages_Total', 1) == 20
    }

    def "S16, charge_reserved_hugetlb.sh: reservations charge rsvd.current at mmap, faults charge current; over rsvd.max mmap fails, over max the fault is SIGBUS"() {
        when:
        def r = Scenarios.run('kernel/s16-hugetlb-cgroup.groovy')[0]

        then: 'the script asserts every charge itself; the one process over max is killed by SIGBUS, no other'
        r.events('sigbus')*.process() == ['over-max']
        r.summary().failedCalls() == 0
        r.series().at('meminfo.HugePages_Free', 5) == 10
    }
}
