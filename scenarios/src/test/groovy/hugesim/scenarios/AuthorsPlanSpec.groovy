package hugesim.scenarios

import hugesim.dsl.Results
import hugesim.dsl.Scenarios
import spock.lang.Shared
import spock.lang.Specification

/**
 * The author's stated plans where they differ from the posted code, as options of reservedThp()
 * (docs/model.md 1.9 and S25); the posted code stays the default.
 */
class AuthorsPlanSpec extends Specification {
    @Shared Results swapIn = Scenarios.run('kernel/s25-reserved-thp-swap-in.groovy')

    def "S25: the new process reclaims the old one's four cold reserved THPs whole, under every swap-in choice"() {
        expect:
        swapIn.every { it.summary().thpSwpout() == 4 && it.summary().thpSwpoutFallback() == 0 }
    }

    def "S25 swapIn 'fallback' (mainline do_swap_page): the THP comes back as 512 ordinary 4 KiB pages at once"() {
        given:
        def r = swapIn['reservedThp(reserve: 8M, overcommit: true)']

        expect:
        r.summary().stalls() == 0
        r.series().at('vmstat.pswpin', 11) == 512
        r.series().at('meminfo.AnonHugePages', 11) == 8192     // only the new process's four THPs
        r.series().at('meminfo.AnonPages', 11) == 8192 + 2048
    }

    def "S25 swapIn 'fallback', then khugepaged (rule 51, docs/model.md 3.6): its next scan, 10 s after the last, collapses the 512 pages into an ordinary THP outside the reserve"() {
        given:
        def r = swapIn['reservedThp(reserve: 8M, overcommit: true)']

        expect: 'still 4 KiB pages until the scan at 20 s'
        r.series().at('meminfo.AnonPages', 19) == 8192 + 2048
        r.series().at('meminfo.AnonHugePages', 19) == 8192
        and: "after it (and the new process's exit) one THP, in no reserved block"
        r.series().at('meminfo.AnonHugePages', 21) == 2048
        r.series().at('meminfo.AnonPages', 21) == 2048
        r.series().at('reserved_thp.resident_hpages', 21) == 0
    }

    def "S25 swapIn 'wait': no reserved block is free or cold, so the fault stalls until the new process exits, then the THP returns whole"() {
        given:
        def r = swapIn['reservedThp(reserve: 8M, overcommit: true, swapIn: wait)']

        expect:
        r.summary().stalls() == 1
        // from 10 s until the new process exits (1 s + four 2 MiB swap writes at 1 GB/s + 19 s) and the
        // THP has been read back (2 MiB at 1 GB/s): about 10.01 s, as the event records it to the ms
        r.summary().stallSeconds() >= 10.007d && r.summary().stallSeconds() <= 10.011d
        r.series().at('meminfo.AnonHugePages', 30) == 2048
        r.series().at('reserved_thp.resident_hpages', 30) == 1
        r.series().at('vmstat.pswpin', 30) == 512
    }

    def "S25 swapIn 'fail': the fault is VM_FAULT_OOM until the end, even with free reserved blocks"() {
        given:
        def r = swapIn['reservedThp(reserve: 8M, overcommit: true, swapIn: fail)']

        expect:
        r.summary().stalls() == 1
        r.events('fault_stall')[0].detail().contains('still stalled when the run ended')
        r.series().at('reserved_thp.free_hpages', 30) == 0
        r.series().at('reserved_thp.resident_hpages', 30) == 0
        r.series().at('vmstat.pswpin', 59) == 0
    }

    def "1.9 munmapWhole: munmap of 4 KiB inside a reserved huge page frees the whole page instead of EINVAL (rule 37 as planned)"() {
        when:
        def r = Scenarios.run('kernel/plan-munmap-whole.groovy')[0]

        then:
        r.summary().clean()
        r.series().at('reserved_thp.used_hpages', 1) == 1     // the second huge page is still mapped
    }
}
