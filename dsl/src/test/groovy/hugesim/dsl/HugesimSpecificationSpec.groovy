package hugesim.dsl

import static hugesim.uapi.Errno.*
import static hugesim.uapi.Mman.*

/** The base class users' own specifications extend: scripts and inline scenarios, results found by policy. */
class HugesimSpecificationSpec extends ScriptCacheSpecification {

    def "run(FILE): the hot upgrade's results are found by the policies themselves (S21, S24, S25)"() {
        when:
        def results = run('../scenarios/hot-upgrade.groovy')

        then: 'the 22 GB HugeTLB pool fails the successor\'s mmap (free - resv = 3072 < 8192)'
        results.size() == 4
        results[hugetlb(pool: 22.GB)].summary().failedCalls() == 1
        results[hugetlb(pool: 22.GB)].eventsOf('new')*.kind() == ['process_start', 'mmap_failed', 'process_exit']
        !results[reservedThp(reserve: 22.GB)].summary().clean()

        and: 'the author\'s plan fits it into 22 GB: 5120 cold THPs go to swap whole'
        def plan = results[reservedThp(reserve: 22.GB, overcommit: true)]
        plan.summary().clean()
        plan.failures.isEmpty()
        plan.killed.isEmpty()
        plan.metric('thpSwpout') == 5120
        plan.peak('reserved_thp.total_hpages') == 11264
        plan.peak('reserved_thp.used_hpages') == 16384
        plan.at('reserved_thp.used_hpages', 299.s) == 8192
        plan.samples('reserved_thp.resident_hpages').size() == 901

        and: 'a label or key still finds a run'
        results['hugetlb(pool: 32G)'].is(results[hugetlb(pool: 32.GB)])
        results['reservedThp-reserve-22G-overcommit'].is(plan)
    }

    def "run(FILE, parameters): the script's parameters take other values"() {
        when:
        def results = run('../scenarios/hot-upgrade.groovy', reserve: 32.GB)

        then:
        results[hugetlb(pool: 32.GB)].summary().clean()
        results[reservedThp(reserve: 32.GB)].summary().clean()
        results[reservedThp(reserve: 32.GB, overcommit: true)].metric('thpSwpout') == 0
    }

    def "run(RESOURCE): a script on the test classpath is found by its resource name"() {
        when:
        def results = run('hugesim/dsl/tiny-upgrade.groovy', pool: 4.MB)

        then:
        results[hugetlb(pool: 8.MB)].summary().clean()
        results[hugetlb(pool: 4.MB)].eventsOf('new')*.kind() == ['process_start', 'mmap_failed', 'process_exit']
    }

    def "run { … }: an inline scenario speaks the script's keywords, syscalls, units and sleep (rules 18, 21, 29)"() {
        when:
        def results = run {
            machine { memory 8.GB; cmdline 'thp_reserved_nr=4' }
            policies thp(), hugetlb(pool: 8.MB)
            process('p') {
                long a = mmap(0, 8.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
                assert madvise(a, 8.MB, MADV_RESERVED_THP) == 0
                long b = mmap(0, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
                assert madvise(b, 2.MB, MADV_RESERVED_THP) == -EAGAIN
                sleep 1.s
                touch a, 8.MB
                assert sysfs('kernel/mm/reserved_thp/used_hpages') == 4
            }
            process('q', start: 2.s) {
                touch 0x1000, 4.KB      // nothing is mapped there: SIGSEGV
            }
            run until: 3.s
        }

        then:
        results.size() == 2
        results[thp()].at('vmstat.thp_fault_alloc', 2.s) == 4
        results[thp()].at('reserved_thp.used_hpages', 2.s) == 4
        results[thp()].killed == [q: 'sigsegv']
        results[hugetlb(pool: 8.MB)].killed == [q: 'sigsegv']
    }

    def "run { … }: a mistake in an inline scenario names this file and its line"() {
        when:
        run {
            machine { memroy 8.GB }
            policy thp()
            run until: 1.s
        }

        then:
        def e = thrown(ScenarioException)
        e.file == 'HugesimSpecificationSpec.groovy'
        e.line == 85
        e.problem.contains("unknown keyword 'memroy'")
    }

    def "a policy the scenario did not run is an error naming the ones it ran"() {
        when:
        run('hugesim/dsl/tiny-upgrade.groovy')[thp()]

        then:
        def e = thrown(IllegalArgumentException)
        e.message == "no result for 'thp()'; have: hugetlb(pool: 8M), hugetlb(pool: 8M)"
    }
}
