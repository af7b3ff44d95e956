package hugesim.scenarios

import hugesim.dsl.Scenarios
import spock.lang.Specification

/** Every example script runs clean: its own asserts are the kernel's rules it cites. */
class ExamplesSpec extends Specification {

    def "reserved-thp-syscalls: rules 21, 22, 26, 29, 37 and 46 hold as the script asserts them"() {
        when:
        def r = Scenarios.run('examples/reserved-thp-syscalls.groovy')[0]

        then:
        r.summary().clean()
        r.series().at('vmstat.thp_fault_alloc', 1) == 4
        r.series().at('reserved_thp.used_hpages', 1) == 0
        r.series().at('reserved_thp.total_hpages', 1) == 4
    }

    def "quota-without-blocks: rule 32 leaves the quota promising used blocks; the reserved fault stalls on VM_FAULT_OOM (rule 49) until a block is freed"() {
        when:
        def r = Scenarios.run('examples/quota-without-blocks.groovy')[0]

        then: "the script's own asserts held, and exactly one stall of 9 s is recorded, dated when it began"
        r.summary().stalls() == 1
        r.summary().stallSeconds() == 9.0d
        r.events('fault_stall')[0].time() == 1.0d
        r.events('fault_stall')[0].process() == 'second'
        r.summary().oomKills() == 0
        and: 'every retry counted a fallback before the RFC turned it into VM_FAULT_OOM (rule 47)'
        r.series().at('vmstat.thp_fault_fallback', 20) >= 2
        r.series().at('vmstat.thp_fault_alloc', 20) == 3
    }

    def "shared-buffers: nine processes map one GiB of shmem once; with THPs (shmem_enabled=always) no process needs a PTE table"() {
        when:
        def (never, always) = Scenarios.run('examples/shared-buffers.groovy')

        then: "the script's own asserts held under both settings"
        never.summary().clean()
        always.summary().clean()
        and: 'the buffers are there once, and the page tables differ 513-fold'
        never.series().at('meminfo.Shmem', 5) == 1024 * 1024
        always.series().at('meminfo.Shmem', 5) == 1024 * 1024
        never.series().at('meminfo.PageTables', 5) == 9 * 513 * 4
        always.series().at('meminfo.PageTables', 5) == 9 * 4
        always.series().at('hugesim.resident_kB', 5) == 1024 * 1024
        and: 'gone once every process has exited'
        never.series().at('meminfo.Shmem', 25) == 0
    }

    def "slab-scatter: unmovable slab stolen into movable pageblocks (__rmqueue_steal()) keeps them from THPs until it is freed"() {
        when:
        def r = Scenarios.run('examples/slab-scatter.groovy')[0]

        then: "the script's own asserts held"
        r.summary().clean()
        and: 'the heap at 30 s gets THPs on the unpolluted blocks only and falls back on the rest, compaction failing each time'
        and: "(the batch job's page tables, unmovable too, took blocks of their own: 8 THPs fewer than slab alone leaves)"
        def s = r.series()
        s.at('meminfo.SUnreclaim', 30) == 128 * 1024
        s.at('vmstat.thp_fault_alloc', 31) == 808
        s.at('vmstat.thp_fault_fallback', 31) == 60
        and: 'once the connections closed (70 s), the same heap gets 932 THPs and no fallback'
        s.at('meminfo.SUnreclaim', 80) == 0
        s.at('vmstat.thp_fault_alloc', 85) == 808 + 932
        s.at('vmstat.thp_fault_fallback', 85) == 60
    }
}
