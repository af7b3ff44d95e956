package hugesim.scenarios

import com.fasterxml.jackson.databind.ObjectMapper
import hugesim.cli.Main
import hugesim.dsl.Scenarios
import hugesim.dsl.Settings
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Path

/**
 * Capacity plans over scenarios/hot-upgrade.groovy and scenarios/plans/: the smallest reservation per
 * design, and how a random workload spreads. Runs the hugesim command as a user would.
 */
class PlansSpec extends Specification {
    static final long GiB = 1L << 30

    @Shared @TempDir Path out

    static int hugesim(String... args) {
        PrintStream o = System.out
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, 'UTF-8'))
        try {
            return Main.execute(args)
        } finally {
            System.setOut(o)
        }
    }

    static Map json(Path f) { new ObjectMapper().readValue(f.toFile(), Map) }

    def "hot upgrade: 32 GiB for HugeTLB and for the RFC as posted, 22 GiB with overcommit (cover letter), each certain"() {
        when:
        int code = hugesim('plan', 'hot-upgrade.groovy', '--minimize', 'reserve', '--out', out.toString(), '--no-charts')
        def plan = json(out.resolve('hot-upgrade/plan/plan.json'))
        def by = plan.policies.collectEntries { [(it.policy): it] }

        then:
        code == 0
        plan.goal == 'failedCalls == 0 && stallSeconds <= 1'
        by['hugetlb(pool: 32G)'].uses_parameter == false
        by['hugetlb(pool: reserve)'].answer == '32.GB'
        by['reservedThp(reserve: reserve)'].answer == '32.GB'
        by['reservedThp(reserve: reserve, overcommit: true)'].answer == '22.GB'
        and: 'one step below fails: 21 GB leaves the successor short of the 10 GB that can go to swap'
        by['reservedThp(reserve: reserve, overcommit: true)'].evaluated.find { it.value == '21.GB' }.holds == false
        plan.policies.every { p -> p.evaluated.every { it.certain } }
        and: 'against what is deployed today (a 32 GB pool), overcommit saves 10 GiB'
        by['reservedThp(reserve: reserve, overcommit: true)'].saved_bytes_vs_first == 10 * GiB
    }

    def "fleet upgrade: overcommit needs less than the whole successor's worth, and only as much as the least cold service allows"() {
        when:
        int code = hugesim('plan', 'plans/fleet-upgrade.groovy', '--minimize', 'reserve', '--out', out.toString(), '--no-charts')
        def plan = json(out.resolve('fleet-upgrade/plan/plan.json'))
        def by = plan.policies.collectEntries { [(it.policy): it] }
        def over = by['reservedThp(reserve: reserve, overcommit: true)']
        def atAnswer = over.evaluated.find { it.value == over.answer }

        then: 'HugeTLB and the RFC as posted must hold four services and one successor: 20 GB'
        code == 0
        plan.replications == 80
        by['hugetlb(pool: reserve)'].answer == '20.GB'
        by['reservedThp(reserve: reserve)'].answer == '20.GB'
        and: 'with overcommit the last upgrade needs 20 GB less the cold part of its predecessor (1 to 3 GB): between 17 and 20 GB'
        bytes(over.answer) >= 17 * GiB
        bytes(over.answer) < 20 * GiB
        and: 'the answer holds in at least 95 % of days by the Wilson lower bound, and one step below does not'
        !atAnswer.certain
        atAnswer.low >= 0.95
        over.evaluated.find { bytes(it.value) == bytes(over.answer) - 256L * (1 << 20) }.holds == false
    }

    static long bytes(String literal) {
        def m = literal =~ /(\d+(?:\.\d+)?)\.(GB|MB)/
        assert m.matches()
        (new BigDecimal(m.group(1)) * (m.group(2) == 'GB' ? GiB : 1L << 20)) as long
    }

    def "hot upgrade with jitter: 1 GB short of reserve, the successor's stall spreads with its start and rate"() {
        when:
        int code = hugesim('sweep', 'plans/hot-upgrade-jitter.groovy', '--out', out.toString(), '--no-charts')
        def rows = json(out.resolve('hot-upgrade-jitter/sweep/summary.json')).rows
        def hugetlb = rows[0].metrics, over = rows[1].metrics

        then: 'HugeTLB with the full 32 GB never stalls'
        code == 0
        rows[0].runs == 30
        hugetlb.stallSeconds.mean == 0
        rows[0].clean.hits == 30
        and: 'overcommit at 21 GB stalls every time, from when cold THPs run out to when the predecessor exits at 600 s'
        rows[1].clean.hits == 0
        over.stalls.low >= 1
        over.stallSeconds.mean > 200 && over.stallSeconds.mean < 360
        over.stallSeconds.sd > 10
        over.stallSeconds.high - over.stallSeconds.low < 40
    }

    def "hot upgrade with jitter: the same replication starts the successor at the same moment under every policy"() {
        given:
        def file = Scenarios.load('plans/hot-upgrade-jitter.groovy')
        def startOf = { int r, int policy ->
            def f = file.with(new Settings([:], null, r))
            f.run(f.scenario.policies()[policy]).events('process_start').find { it.process() == 'new' }.time()
        }

        expect:
        (0..3).every { int r -> startOf(r, 0) == startOf(r, 1) }
        (0..3).collect { int r -> startOf(r, 0) }.toSet().size() > 1
    }
}
