package hugesim.dsl

import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

import java.nio.file.Files
import java.nio.file.Path

/** Mistakes a careless script makes, each an error on its own line rather than a surprise. */
class ScriptMistakesSpec extends Specification {
    @Shared @TempDir Path cache
    @TempDir Path dir
    @Shared String cacheBefore

    def setupSpec() {
        cacheBefore = System.getProperty('hugesim.cache')
        System.setProperty('hugesim.cache', cache.toString())
    }

    def cleanupSpec() {
        if (cacheBefore == null) System.clearProperty('hugesim.cache')
        else System.setProperty('hugesim.cache', cacheBefore)
    }

    static int lineOf(String text, String marker) { text.readLines().findIndexOf { it.contains(marker) } + 1 }

    ScenarioException fails(String text) {
        try {
            def f = ScenarioLoader.load(Files.writeString(dir.resolve('s.groovy'), text))
            f.run(f.scenario.policies()[0])
        } catch (ScenarioException e) {
            return e
        }
        throw new AssertionError('the script ran without an error')
    }

    def "a scenario name that would leave --out is refused: #name"() {
        given:
        def text = "name '${name}'\nmachine { memory 8.GB }\npolicy thp()\nrun until: 1.s\n"

        when:
        def e = fails(text)

        then:
        e.line == 1
        e.problem.contains('cannot be a folder under --out')

        where:
        name << ['../../victim', 'a/b', '..', '.hidden', '', 'x\ty']
    }

    @Timeout(5)
    def "sleep with a bare number is an error with the fix, not Groovy's own real-time sleep"() {
        given:
        def text = "machine { memory 8.GB }\npolicy thp()\nprocess('p') {\n    sleep 3000\n}\nrun until: 1.s\n"

        when:
        def e = fails(text)

        then:
        e.line == 4
        e.problem.contains('sleep needs a duration with a unit, e.g. sleep 3000.ms or sleep 3.s')
    }

    def "a negative duration or rate says so on its line"() {
        when:
        def e = fails("machine { memory 8.GB }\npolicy thp()\nprocess('p') {\n    def a = mapHuge 2.MB\n    ${line}\n}\nrun until: 1.s\n")

        then:
        e.line == 5
        e.problem.contains(message)

        where:
        line                           | message
        'sleep(-1.s)'                  | 'sleep needs a duration that is not negative, got -1.s'
        'touch a, 2.MB, rate: -1.GBps' | 'a rate must be positive'
    }
}
