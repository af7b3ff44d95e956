package hugesim.scenario

import hugesim.kernel.MachineConfig
import hugesim.mm.Geometry
import hugesim.policy.HugetlbPolicy
import hugesim.policy.Policy
import hugesim.policy.ReservedThpPolicy
import hugesim.record.RunResult
import hugesim.units.Bandwidth
import spock.lang.Specification

import static hugesim.units.Size.GB
import static hugesim.units.Time.S

/** The cover letter's hot upgrade, built in Java terms without the DSL. */
class HotUpgradeEngineSpec extends Specification {

    static Scenario hotUpgrade(List<Policy> policies) {
        def machine = new MachineConfig(64 * GB, 1, 32 * GB, new Bandwidth(2 * GB), new Bandwidth(3 * GB), false,
                MachineConfig.DEFAULT_MIGRATE, '', Geometry.X86_64)
        def old = new ProcessSpec('old', 0, { t ->
            long heap = t.mapHuge(16 * GB)
            t.touch(heap, 16 * GB, null, true, true)
            t.sleep(60 * S)
            t.idle(heap, 10 * GB)
            t.sleep(540 * S)
            t.exit()
        } as ProcessSpec.Body, false)
        def neu = new ProcessSpec('new', 300 * S, { t ->
            long heap = t.mapHuge(16 * GB)
            t.touch(heap, 16 * GB, new Bandwidth(GB), true, true)
        } as ProcessSpec.Body, false)
        new Scenario('hot-upgrade', 'test', machine, policies, [old, neu], 900 * S, S, 1)
    }

    RunResult run(Policy p) { Runner.run(hotUpgrade([p]), p) }

    def "hugetlb 32G runs clean with 16384 pages in use during the overlap"() {
        when:
        def r = run(new HugetlbPolicy(32 * GB))

        then:
        r.summary().clean()
        r.series().at('meminfo.HugePages_Total', 400) == 16384
        r.series().at('meminfo.HugePages_Total', 400) - r.series().at('meminfo.HugePages_Free', 400) == 16384
    }

    def "hugetlb 22G: the new process's mmap fails with ENOMEM"() {
        when:
        def r = run(new HugetlbPolicy(22 * GB))

        then:
        r.events('mmap_failed').size() == 1
        r.events('mmap_failed')[0].process() == 'new'
        r.events('mmap_failed')[0].detail().contains('ENOMEM')
    }

    def "reservedThp 22G as posted: madvise fails with EAGAIN"() {
        when:
        def r = run(new ReservedThpPolicy(22 * GB, false))

        then:
        r.events('madvise_failed').size() == 1
        r.events('madvise_failed')[0].detail().contains('EAGAIN')
    }

    def "reservedThp 22G with overcommit: 5120 THPs swapped out whole, resident peaks at 11264"() {
        when:
        def r = run(new ReservedThpPolicy(22 * GB, true))

        then:
        r.summary().clean()
        r.summary().thpSwpout() == 5120
        r.summary().thpSwpoutFallback() == 0
        r.summary().oomKills() == 0
        r.series().max('reserved_thp.resident_hpages') == 11264
    }
}
