package hugesim.scenarios

import hugesim.dsl.HugesimSpecification
import hugesim.dsl.ScenarioException
import hugesim.dsl.Scenarios
import hugesim.record.RunResult

/**
 * {@code shmemThp()}: huge memory as shared memory (docs/model.md 3.7), the backing the review thread asks to
 * start with for 1 GiB THPs, at the PMD size the model has. mapHuge is a memfd mapped shared; its THPs are as
 * shmem_enabled says.
 */
class ShmemThpSpec extends HugesimSpecification {
    /** 64 MiB through mapHuge, written, then the process exits at 1 s. */
    RunResult mapped(Object p) {
        run {
            machine { memory 1.GB }
            policy p
            process('app') {
                long a = mapHuge 64.MB
                touch a, 64.MB
                sleep 1.s
                exit()
            }
            run until: 2.s, sample: 500.ms
        }[0]
    }

    def "shmemThp(enabled: E): mapHuge's memory is shmem, in THPs mapped by PMDs unless shmem_enabled keeps them out; the exit frees it"() {
        when:
        RunResult r = mapped(p)
        def s = r.series()

        then:
        r.summary().clean()
        s.at('meminfo.Shmem', 0.5) == 64 * 1024
        s.at('meminfo.ShmemHugePages', 0.5) == huge
        s.at('meminfo.AnonPages', 0.5) == 0
        s.at('hugesim.resident_kB', 0.5) == huge
        s.at('vmstat.thp_fault_alloc', 0.5) == 0
        and: 'gone with the process: the memfd was closed, its mapping was the last reference'
        s.at('meminfo.Shmem', 1.5) == 0

        where:
        p                                  || huge
        shmemThp()                         || 64 * 1024
        shmemThp(enabled: 'advise')        || 64 * 1024
        shmemThp(enabled: 'within_size')   || 64 * 1024
        shmemThp(enabled: 'never')         || 0
        shmemThp(enabled: 'deny')          || 0
    }

    def "shmemThp's options: enabled takes shmem_enabled's values, size: only the PMD size (1 GiB folios are not modelled)"() {
        when:
        Scenarios.inline('bad', 'bad.groovy') {
            machine { memory 2.GB }
            policy shmemThp(opts)
        }.runAll()

        then:
        def e = thrown(ScenarioException)
        e.message.contains(message)

        where:
        opts                  || message
        [enabled: 'madvise']  || "shmemThp(enabled: 'madvise') is not one of [always, within_size, advise, never, deny, force]"
        [size: 1.GB]          || 'shmemThp(size: 1G) is not modelled: shmem THPs are PMD-sized (2M here); 1 GiB (PUD-mapped) folios are not in the model yet'
        [reserve: 1.GB]       || 'reserve'
    }

    def "shmemThp(size: 2.MB) is the PMD size, and is kept in the policy's label and expression"() {
        when:
        RunResult r = mapped(shmemThp(size: 2.MB))

        then:
        r.policy() == 'shmemThp(enabled: always, size: 2M)'
        r.policyExpression() == "shmemThp(enabled: 'always', size: 2.MB)"
        r.series().at('meminfo.ShmemHugePages', 0.5) == 64 * 1024
    }
}
