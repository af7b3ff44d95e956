package hugesim.scenario

import hugesim.kernel.MachineConfig
import hugesim.mm.Geometry
import hugesim.policy.HugetlbPolicy
import hugesim.policy.Policy
import hugesim.policy.ReservedThpPolicy
import hugesim.record.Metrics
import hugesim.record.RunResult
import hugesim.units.Bandwidth
import spock.lang.Specification

import static hugesim.units.Size.GB
import static hugesim.units.Size.MB
import static hugesim.units.Time.MS
import static hugesim.units.Time.S

/**
 * The sampler as a run's result shows it: one row per sample interval from 0 to until, every metric of
 * {@link Metrics#ALL}, values read from the kernel's views (/sys/kernel/mm/reserved_thp, /proc/meminfo,
 * /proc/vmstat) at that instant, and the same numbers on every run.
 */
class SamplerSpec extends Specification {
    static final long MEM_KB = 8 * GB / 1024
    static final long GB_KB = GB / 1024

    /** 8 GiB of RAM and 1 GiB of swap on a block device; no memory kept for the kernel, so MemFree starts at all of RAM. */
    static MachineConfig machine() {
        new MachineConfig(8 * GB, 1, GB, new Bandwidth(GB), new Bandwidth(GB), false, MachineConfig.DEFAULT_MIGRATE, '',
                Geometry.X86_64, 0)
    }

    static Scenario scenario(List<ProcessSpec> processes, Policy p, long until = 10 * S, long sample = S) {
        new Scenario('sampler', 'test', machine(), [p], processes, until, sample, 1)
    }

    /** At 2 s: map 1 GiB of huge memory and write all of it; exit at 4.5 s. */
    static ProcessSpec mapsOneGig() {
        new ProcessSpec('app', 2 * S, { t ->
            long heap = t.mapHuge(GB)
            t.touch(heap, GB, null, true, true)
            t.sleep(2500 * MS)
            t.exit()
        } as ProcessSpec.Body, false)
    }

    static RunResult runReservedThp() {
        def p = new ReservedThpPolicy(2 * GB, false)
        Runner.run(scenario([mapsOneGig()], p), p)
    }

    static List<Double> col(RunResult r, String name) { r.series().column(name) as List<Double> }

    def "sampling every 1 s until 10 s gives 11 rows at 0, 1, ..., 10 s"() {
        when:
        def r = runReservedThp()

        then:
        r.series().size() == 11
        r.series().time() as List == (0..10).collect { it as double }
    }

    def "the sample interval sets the rows: until #until s every #every s gives rows at #times"() {
        given:
        def p = new ReservedThpPolicy(2 * GB, false)

        when:
        def r = Runner.run(scenario([mapsOneGig()], p, until * S, every * S), p)

        then:
        r.series().time() as List == times.collect { it as double }

        where:
        until | every || times
        10    | 2     || [0, 2, 4, 6, 8, 10]
        10    | 3     || [0, 3, 6, 9]
    }

    def "every metric name of Metrics.ALL is present, in order, with one value per row"() {
        when:
        def r = runReservedThp()

        then:
        r.series().names() == Metrics.ALL
        Metrics.ALL.every { r.series().column(it).length == 11 }
    }

    def "rule 9/21 S7: reserved_thp totals track the quota: used 512 while the 1 GiB mapping exists, 0 after exit"() {
        when:
        def r = runReservedThp()

        then: 'T = 1024 throughout; U charged by madvise at 2 s, uncharged at exit (4.5 s, rule 38)'
        col(r, 'reserved_thp.total_hpages') == [1024d] * 11
        col(r, 'reserved_thp.used_hpages') == [0d] * 2 + [512d] * 3 + [0d] * 6
        col(r, 'reserved_thp.free_hpages') == [1024d] * 2 + [512d] * 3 + [1024d] * 6
    }

    def "S7 rule 46: faulting 1 GiB of reserved THP shows 512 resident hpages, AnonHugePages 1048576 kB and 512 thp_fault_alloc"() {
        when:
        def r = runReservedThp()

        then:
        col(r, 'reserved_thp.resident_hpages') == [0d] * 2 + [512d] * 3 + [0d] * 6
        col(r, 'meminfo.AnonHugePages') == [0d] * 2 + [(double) GB_KB] * 3 + [0d] * 6
        col(r, 'meminfo.AnonPages') == [0d] * 2 + [(double) GB_KB] * 3 + [0d] * 6
        col(r, 'vmstat.thp_fault_alloc') == [0d] * 2 + [512d] * 9
        col(r, 'vmstat.thp_fault_fallback') == [0d] * 11

        and: 'rule 14: MemFree counts free reserved blocks, so it drops only when they are faulted'
        and: 'with the 513 page tables (512 deposited with the THPs, one PMD table) taken from the per-CPU list, filled 63 pages at a time (9 batches, 2268 kB), which keeps them after exit'
        long pcpKb = 9 * 63 * 4
        col(r, 'meminfo.MemFree') == [(double) MEM_KB] * 2 + [(double) (MEM_KB - GB_KB - pcpKb)] * 3 + [(double) (MEM_KB - pcpKb)] * 6
    }

    def "the derived hugesim metrics under Reserved THP: reserved 2 GiB, used and resident 1 GiB while mapped"() {
        when:
        def r = runReservedThp()

        then:
        col(r, Metrics.RESERVED) == [(double) 2 * GB_KB] * 11
        col(r, Metrics.USED) == [0d] * 2 + [(double) GB_KB] * 3 + [0d] * 6
        col(r, Metrics.RESIDENT) == [0d] * 2 + [(double) GB_KB] * 3 + [0d] * 6
    }

    def "swap and the metrics of other mechanisms read their own state: 1 GiB of swap unused, no HugeTLB, no CMA"() {
        when:
        def r = runReservedThp()

        then:
        col(r, 'meminfo.SwapTotal') == [(double) GB_KB] * 11
        col(r, 'meminfo.SwapFree') == [(double) GB_KB] * 11
        col(r, Metrics.SWAP_USED) == [0d] * 11
        ['meminfo.HugePages_Total', 'meminfo.HugePages_Free', 'meminfo.HugePages_Rsvd', 'meminfo.HugePages_Surp',
         'meminfo.Hugetlb', 'meminfo.CmaTotal', 'meminfo.CmaFree', 'vmstat.pswpout', 'vmstat.thp_swpout',
         'vmstat.oom_kill'].every { col(r, it) == [0d] * 11 }
    }

    def "S13 under HugeTLB the four HugePages_ columns each read their own counter: Total 512, Free 480, Rsvd 96, Surp 0"() {
        given: 'a 1 GiB pool; at 1 s a 256 MiB private mapping (128 H reserved) of which 64 MiB (32 H) is written'
        def p = new HugetlbPolicy(GB)
        def app = new ProcessSpec('app', S, { t ->
            long a = t.mapHuge(256 * MB)
            t.touch(a, 64 * MB, null, true, true)
            t.sleep(100 * S)
        } as ProcessSpec.Body, false)

        when:
        def r = Runner.run(scenario([app], p), p)

        then:
        col(r, 'meminfo.HugePages_Total') == [512d] * 11
        col(r, 'meminfo.HugePages_Free') == [512d] + [480d] * 10
        col(r, 'meminfo.HugePages_Rsvd') == [0d] + [96d] * 10
        col(r, 'meminfo.HugePages_Surp') == [0d] * 11
        col(r, 'meminfo.Hugetlb') == [(double) GB_KB] * 11

        and: 'HugeTLB pages are neither AnonHugePages nor AnonPages, and take no reserved_thp quota'
        col(r, 'meminfo.AnonHugePages') == [0d] * 11
        col(r, 'meminfo.AnonPages') == [0d] * 11
        col(r, 'reserved_thp.used_hpages') == [0d] * 11

        and: 'derived: pool 1 GiB set aside; promised = in use + Rsvd = 128 H; mapped = 32 H'
        col(r, Metrics.RESERVED) == [(double) GB_KB] * 11
        col(r, Metrics.USED) == [0d] + [128d * 2048] * 10
        col(r, Metrics.RESIDENT) == [0d] + [32d * 2048] * 10
    }

    def "sampling is deterministic: two runs of the same scenario give identical columns and events"() {
        when:
        def a = runReservedThp()
        def b = runReservedThp()

        then:
        Metrics.ALL.every { Arrays.equals(a.series().column(it), b.series().column(it)) }
        Arrays.equals(a.series().time(), b.series().time())
        a.events() == b.events()
    }
}
