package hugesim.experiment

import spock.lang.Specification

class PlannerSpec extends Specification {
    /** An evaluator over a known truth table: holds[v] per policy, certain outcomes; counts what was evaluated. */
    private static Planner.Evaluator certain(List<List<Boolean>> holds, List<Planner.Probe> seen) {
        return { List<Planner.Probe> probes ->
            seen.addAll(probes)
            probes.collectEntries { p ->
                boolean h = holds[p.policy()][p.value()]
                [(p): new Planner.Outcome(Stats.wilson(h ? 1 : 0, 1), true, p.value() * 1024)]
            }
        } as Planner.Evaluator
    }

    def "bisection finds the smallest value from which a monotone goal holds, evaluating few values"() {
        given:
        def truth = (0..16).collect { it >= 6 }
        def seen = []

        when:
        def r = new Planner(17, 0.95).plan(1, certain([truth], seen))[0]

        then:
        r.answer() == 6
        r.monotone()
        r.evaluated().containsKey(5)
        seen.size() <= 8
    }

    def "a goal that holds at the lowest value answers the lowest; one that fails at the top has no answer"() {
        expect:
        new Planner(5, 0.95).plan(1, certain([[true] * 5], []))[0].answer() == 0
        new Planner(5, 0.95).plan(1, certain([[false] * 5], []))[0].answer() == -1
    }

    def "policies are searched in lockstep, each with its own answer"() {
        given:
        def a = (0..16).collect { it >= 16 }
        def b = (0..16).collect { it >= 6 }

        when:
        def rs = new Planner(17, 0.95).plan(2, certain([a, b], []))

        then:
        rs*.answer() == [16, 6]
    }

    def "a goal found not monotone makes the planner scan every value and show where it breaks"() {
        given: 'holds at 4, fails at 5, holds from 6: the step above the bisection answer reveals it'
        def truth = (0..16).collect { it == 4 || it >= 6 }
        def seen = []

        when:
        def r = new Planner(17, 0.95).plan(1, certain([truth], seen))[0]

        then: 'the answer is the smallest value from which the goal holds up to the top'
        !r.monotone()
        r.answer() == 6
        r.breaks() == [4, 5, 6]
        seen*.value().toSet() == (0..16).toSet()
    }

    def "an uncertain value holds only when the lower end of its Wilson interval reaches the confidence"() {
        given:
        def planner = new Planner(3, 0.95)

        expect:
        !planner.holds(new Planner.Outcome(Stats.wilson(30, 30), false, 0))
        planner.holds(new Planner.Outcome(Stats.wilson(73, 73), false, 0))
        !planner.holds(new Planner.Outcome(Stats.wilson(79, 80), false, 0))
        planner.holds(new Planner.Outcome(Stats.wilson(1, 1), true, 0))
    }

    def "a confidence outside (0, 1] is refused"() {
        when:
        new Planner(3, 1.5)

        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains('--confidence')
    }
}
