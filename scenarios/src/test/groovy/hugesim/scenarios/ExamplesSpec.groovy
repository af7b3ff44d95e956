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
}
