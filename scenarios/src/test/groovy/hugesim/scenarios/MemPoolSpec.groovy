package hugesim.scenarios

import hugesim.dsl.HugesimSpecification
import hugesim.dsl.ScenarioException
import hugesim.dsl.Scenarios
import hugesim.record.RunResult

/**
 * The memPool design (docs/model.md 9, rules 79-84): Hildenbrand's "global pool that can be consumed by
 * various consumers", file-centric, per node and charged to memory cgroups. One script per rule under
 * scenarios/designs, the tenants case of its memcg limit, and the hot upgrade under it.
 */
class MemPoolSpec extends HugesimSpecification {
    static final String DIR = 'designs'

    /** A rule's script, with and without {@code params}: its asserts held and nothing was killed. */
    RunResult rule(Map params = [:], String file) {
        RunResult r = run(params, "${DIR}/${file}")[0]
        assert r.events().findAll { it.kind() in ['sigbus', 'sigsegv', 'assert_failed', 'oom_kill'] }.isEmpty()
        r
    }

    def "rule 79: memPool(perNode:) boots hugepages=0:A/2M,1:B/2M and nothing else; MAP_HUGETLB still takes from the pool"() {
        when:
        def r = rule('rule-79-pool-per-node.groovy')

        then:
        r.summary().clean()
        r.summary().peakReservedBytes() == 32L << 20
        r.series().at('meminfo.HugePages_Total', 0) == 16
    }

    def "rule 80: memfd_create(MFD_POOL) makes a pool file, mapped shared only, in whole huge pages"() {
        expect:
        rule('rule-80-pool-file.groovy').summary().clean()
    }

    def "rule 81: ftruncate reserves a pool file's size on the caller's node (numa: #numa), all or nothing, and no other consumer takes it"() {
        when:
        def r = rule('rule-81-reserve-at-size.groovy', numa: numa)

        then:
        r.summary().clean()
        r.series().at('meminfo.HugePages_Free', 1) == 2

        where:
        numa << ['local', 'preferred']
    }

    def "rule 82: a pool file's pages are charged to memory.pool.current of its cgroup; over memory.pool.max, ENOMEM and memory.pool.events max"() {
        when:
        def r = rule('rule-82-memcg.groovy')

        then:
        r.summary().clean()
        r.series().names().contains('memcg.a.pool.current')
    }

    def "rule 83: a pool file's fault takes the page held on its reservation's node, a hole takes an unheld page, fork shares the pages"() {
        when:
        def r = rule('rule-83-fault.groovy')

        then:
        r.summary().clean()
        r.events('process_start')*.process() == ['remote', 'child']
    }

    def "rule 84: a pool file's cold pages are never swapped: MADV_PAGEOUT is EINVAL, memory.reclaim finds nothing"() {
        when:
        def r = rule('rule-84-never-reclaimed.groovy')

        then:
        r.summary().clean()
        r.summary().swappedOutBytes() == 0
    }

    def "memory.pool.max keeps a greedy tenant from taking another's share of the pool; without it the first comer takes it"() {
        when:
        def r = run(limited: limited, "${DIR}/pool-tenants.groovy")[0]

        then:
        r.summary().verdict() == verdict
        r.summary().peakUsedBytes() == peak

        where:
        limited || verdict                   | peak
        true    || 'batch: ftruncate ENOMEM' | 8L << 30
        false   || 'web: ftruncate ENOSPC'   | 12L << 30
    }

    def "the hot upgrade under memPool needs what HugeTLB needs: 22 GB fails the successor's ftruncate with ENOSPC at 300 s, 32 GB runs clean with no swap"() {
        when:
        def small = run("${DIR}/hot-upgrade-designs.groovy")['memPool(size: 22G)']
        def big = run(reserve: 32.GB, "${DIR}/hot-upgrade-designs.groovy")['memPool(size: 32G)']

        then:
        small.summary().verdict() == 'new: ftruncate ENOSPC'
        small.events('syscall_failed')*.detail() == ['ftruncate(16G) = -ENOSPC']
        small.events('syscall_failed')[0].time() == 300
        big.summary().clean()
        big.summary().swappedOutBytes() == 0
        big.series().at('meminfo.HugePages_Free', 350) < 8192   // both heaps held by their files
    }

    def "bad memPool input names FILE:LINE: #what"() {
        given:
        File f = File.createTempFile('mempool-bad', '.groovy')
        f.text = "machine {\n    memory 4.GB\n    nodes 2\n}\n${policy}\nprocess('p', cgroup: 'a') {\n    ${call}\n}\nrun until: 1.s, sample: 1.s\n"

        when:
        Scenarios.load(f.path).runAll()

        then:
        def e = thrown(ScenarioException)
        e.message == "${f.path}:${line}: ${message}".toString()

        cleanup:
        f.delete()

        where:
        what                             | policy                                          | call                                  || line | message
        'no size'                        | 'policy memPool([:])'                           | 'sleep 1.s'                           || 5    | 'memPool() needs perNode: or size:, e.g. memPool(perNode: [8.GB, 8.GB]) or memPool(size: 16.GB)'
        'both sizes'                     | 'policy memPool(size: 2.GB, perNode: [1.GB, 1.GB])' | 'sleep 1.s'                       || 5    | 'memPool() needs perNode: or size:, not both, e.g. memPool(perNode: [8.GB, 8.GB]) or memPool(size: 16.GB)'
        'perNode not a list'             | 'policy memPool(perNode: 2.GB)'                 | 'sleep 1.s'                           || 5    | 'memPool(perNode:) needs a list of sizes, one per node, e.g. [8.GB, 8.GB]; got 2147483648'
        'more nodes than the machine'    | 'policy memPool(perNode: [1.GB, 1.GB, 1.GB])'   | 'sleep 1.s'                           || 5    | 'memPool(perNode:) sizes 3 nodes, the machine has 2'
        'a size not in huge pages'       | 'policy memPool(perNode: [1.GB, 3.MB])'         | 'sleep 1.s'                           || 5    | "memPool(perNode:) node 1's 3M is not a multiple of 2M"
        'an unknown numa'                | "policy memPool(size: 2.GB, numa: 'interleave')" | 'sleep 1.s'                          || 5    | "memPool(numa: 'interleave') is not one of [local, preferred]"
        'memory.pool.max without a pool' | 'policy thp()'                                  | "cgroup 'a/memory.pool.max', 1.GB"    || 7    | 'memory.pool.max exists only on a machine booted by the memPool policy (docs/model.md 9)'
        'memory.pool.current is read-only' | 'policy memPool(size: 2.GB)'                  | "cgroup 'a/memory.pool.current', 1.GB" || 7   | "memory cgroup file 'memory.pool.current' is not writable; writable: memory.max, memory.high, memory.low, memory.swap.max, memory.reclaim, memory.pool.max"
    }
}
