package hugesim.sim

import spock.lang.Specification

/** The event loop's ordering: by time, then by the order actions were queued; the periodic action in its place. */
class EnvironmentSpec extends Specification {
    Environment env = new Environment(10_000_000_000L)
    List<String> ran = []

    def "actions run by time, and in the order they were queued at the same time"() {
        given: 'ten thousand actions queued at random times, many sharing a time'
        def random = new Random(7)
        List<long[]> queued = []
        10_000.times { n ->
            long at = random.nextInt(500)
            queued << ([at, n] as long[])
            env.schedule(at) { ran << "${at}/${n}".toString() }
        }

        when:
        env.run(1_000)

        then: 'the order is that of (time, sequence), as a stable sort gives it'
        ran == queued.sort { a, b -> a[0] <=> b[0] ?: a[1] <=> b[1] }.collect { "${it[0]}/${it[1]}".toString() }
        env.now() == 1_000
    }

    def "an action queued while running runs after those already queued for the same instant"() {
        given:
        env.schedule(5) { ran << 'a'; env.schedule(5) { ran << 'c' } }
        env.schedule(5) { ran << 'b' }

        when:
        env.run(10)

        then:
        ran == ['a', 'b', 'c']
    }

    def "the periodic action runs at 0, period, 2 period... up to the end, after actions queued before it and before those queued later"() {
        given: 'one action queued before the periodic one is registered, at a sample instant'
        env.schedule(20) { ran << "early@${env.now()}".toString() }
        env.every(10) { ran << "sample@${env.now()}".toString() }
        env.schedule(20) { ran << "late@${env.now()}".toString(); env.schedule(30) { ran << "later@${env.now()}".toString() } }

        when:
        env.run(35)

        then:
        ran == ['sample@0', 'sample@10', 'early@20', 'sample@20', 'late@20', 'sample@30', 'later@30']
        env.now() == 35
    }

    def "the periodic action's last run is the one at the end when the end falls on a multiple of its period"() {
        given:
        env.every(10) { ran << "s${env.now()}".toString() }

        when:
        env.run(30)

        then:
        ran == ['s0', 's10', 's20', 's30']
    }

    def "actions after the end do not run"() {
        given:
        env.schedule(11) { ran << 'after' }
        env.every(100) { ran << 'sample' }

        when:
        env.run(10)

        then:
        ran == ['sample']
    }
}
