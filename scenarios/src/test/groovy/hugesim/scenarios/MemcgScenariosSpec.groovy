package hugesim.scenarios

import hugesim.dsl.ScenarioException
import hugesim.dsl.Scenarios
import hugesim.record.RunResult
import spock.lang.Specification

/**
 * The cgroup v2 memory controller (docs/model.md 8, rules 72 to 78; S19), one script per rule under
 * scenarios/memcg and S19 under scenarios/kernel. Each script asserts the cgroup's files as a real machine
 * shows them; the features add what the run's record shows: events, summaries and the memcg series.
 */
class MemcgScenariosSpec extends Specification {
    static RunResult run(String path) { Scenarios.run(path)[0] }

    static double last(RunResult r, String metric) {
        def s = r.series()
        s.value(metric, s.size() - 1)
    }

    def "S19 / rule 77 (__mem_cgroup_try_charge_swap()): with room the THP goes out whole; at memory.swap.max = 1 MiB it is split and half of it swapped, the rest resident"() {
        when:
        def r = run('kernel/s19-memcg-swap-max.groovy')

        then:
        r.summary().clean()
        r.summary().thpSwpout() == 1
        r.summary().thpSwpoutFallback() == 1
        last(r, 'memcg.roomy.swap.current') == 2 * 1024 * 1024
        last(r, 'memcg.tight.swap.current') == 1024 * 1024
        last(r, 'memcg.tight.current') == 2 * 1024 * 1024             // the half left resident, and the half in the swap cache
    }

    def "rule 72 (mem_cgroup_charge(), __filemap_add_folio()): faults and the page cache charge memory.current, HugeTLB pages do not, freeing uncharges"() {
        when:
        def r = run('memcg/rule-72-charge.groovy')

        then:
        r.summary().clean()
        r.series().names().containsAll(['memcg.svc.current', 'memcg.svc.swap.current'])
        last(r, 'memcg.svc.current') == 0
    }

    def "rules 73, 74 (try_charge_memcg(), try_to_free_mem_cgroup_pages()): a cgroup over memory.max swaps its own cold memory and finishes; the other cgroup's cold memory stays"() {
        when:
        def r = run('memcg/rule-73-memory-max.groovy')

        then:
        r.summary().clean()
        r.summary().oomKills() == 0
        r.series().max('memcg.svc.current') <= 96 * 1024 * 1024
        last(r, 'memcg.other.swap.current') == 0
    }

    def "rules 73, 78 (mem_cgroup_out_of_memory()): with nothing to reclaim the cgroup's OOM killer kills its largest process, not the machine's"() {
        when:
        def r = run('memcg/rule-78-memcg-oom.groovy')
        def kills = r.events('oom_kill')

        then:
        kills*.process() == ['hog']
        kills[0].detail().startsWith('Memory cgroup out of memory: Killed process')
        r.events('show_mem').isEmpty()                                 // a cgroup's OOM prints no show_mem dump
        r.events('assert_failed').isEmpty()
    }

    def "rule 75 (mem_cgroup_handle_over_high(), calculate_high_delay()): over memory.high the task reclaims; what cannot be reclaimed is paid for in sleep, 2 s per 64 pages charged at most (the 6.1 guest: 545 events, about 35 s)"() {
        when:
        def r = run('memcg/rule-75-memory-high.groovy')

        then: 'the script timed the throttled touch; no OOM kill'
        r.summary().clean()
        r.summary().oomKills() == 0
        last(r, 'memcg.pinned.current') == 40 * 1024 * 1024
    }

    def "rule 76 (shrink_node_memcgs(), mem_cgroup_below_low()): global reclaim takes the unprotected cgroup's cold memory and leaves the protected cgroup's"() {
        when:
        def r = run('memcg/rule-76-memory-low.groovy')

        then:
        r.summary().clean()
        r.series().max('memcg.prod.swap.current') == 0
        r.series().max('memcg.batch.swap.current') > 0
    }

    def "rule 78 (memory_reclaim()): a write to memory.reclaim reclaims that much, and -EAGAIN when it cannot"() {
        expect:
        run('memcg/rule-78-memory-reclaim.groovy').summary().clean()
    }

    def "a run that uses no memory cgroup file has no memcg series"() {
        when:
        def r = run('kernel/s16-hugetlb-cgroup.groovy')

        then:
        !r.series().names().any { it.startsWith('memcg.') }
    }

    def "bad memory cgroup input names FILE:LINE: #what"() {
        given:
        File f = File.createTempFile('memcg-bad', '.groovy')
        f.text = "machine { memory 1.GB }\npolicy thp()\nprocess('p', cgroup: 'svc') {\n    ${call}\n}\nrun until: 1.s, sample: 1.s\n"

        when:
        Scenarios.load(f.path).runAll()

        then:
        def e = thrown(ScenarioException)
        e.message == "${f.path}:4: ${message}".toString()

        cleanup:
        f.delete()

        where:
        what                       | call                                   || message
        'an unknown file'          | "cgroup 'svc/memory.maxx', 1.GB"      || "no memory cgroup file 'memory.maxx'; known: memory.current, memory.max, memory.high, memory.low, memory.swap.current, memory.swap.max, memory.stat, memory.events, memory.swap.events"
        'a negative size'          | "cgroup 'svc/memory.max', -5"         || 'memory.max takes a size of at least 0 bytes, got -5'
        'a size that is not one'   | "cgroup 'svc/memory.high', 'lots'"    || "memory.high takes a size in bytes or 'max', got 'lots'"
        'no process in the cgroup' | "cgroup 'nobody/memory.max', 1.GB"    || "no process runs in cgroup 'nobody': its memory files exist once a process does (process(..., cgroup: 'nobody'))"
        'a read-only file'         | "cgroup 'svc/memory.current', 1.GB"   || 'memory cgroup file \'memory.current\' is not writable; writable: memory.max, memory.high, memory.low, memory.swap.max, memory.reclaim'
        'memory.reclaim of 0'      | "cgroup 'svc/memory.reclaim', 0"      || 'memory.reclaim takes a size of more than 0 bytes, got 0'
    }
}
