package hugesim.dsl

import spock.lang.Timeout

import java.nio.file.Files
import java.nio.file.Path

/** Mistakes a careless script makes, each an error on its own line rather than a surprise. */
class ScriptMistakesSpec extends ScriptCacheSpecification {

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

    def "calls that would end hugesim or start threads are refused when the script compiles: #call"() {
        given:
        def text = "machine { memory 8.GB }\npolicy thp()\nprocess('p') {\n    ${call}\n}\nrun until: 1.s\n"

        when:
        def e = fails(text)

        then:
        e.line == 4
        e.problem.contains(message)

        where:
        call                                   | message
        'System.exit(3)'                       | 'System.exit would end hugesim itself'
        'Runtime.getRuntime().halt(7)'         | 'Runtime.halt would end hugesim itself'
        'new Thread({ mapHuge 2.MB }).start()' | 'the model is single-threaded by design'
        'Thread.start { mapHuge 2.MB }'        | 'the model is single-threaded by design'
        'java.util.concurrent.Executors.newFixedThreadPool(2)' | 'the model is single-threaded by design'
    }

    def "a --policy expression that would end hugesim is refused too"() {
        when:
        ScenarioLoader.policy('System.exit(7)')

        then:
        def e = thrown(ScenarioException)
        e.file == '--policy'
        e.problem.contains('System.exit would end hugesim itself')
    }

    def "what the file is not: a directory, a non-UTF-8 file; a byte-order mark is accepted"() {
        given:
        def latin1 = dir.resolve('latin1.groovy')
        Files.write(latin1, "// caf\u00e9\nmachine { memory 8.GB }\n".getBytes('ISO-8859-1'))
        def bom = Files.write(dir.resolve('bom.groovy'), ('\uFEFF' + "machine { memory 8.GB }\npolicy thp()\nrun until: 1.s\n").getBytes('UTF-8'))

        expect:
        err { ScenarioLoader.load(dir) }.problem == 'is a directory, not a scenario script'
        err { ScenarioLoader.load(latin1) }.problem.startsWith('is not UTF-8 text')
        ScenarioLoader.load(bom).scenario.machine().memory() == 8L << 30
    }

    def "memory without a unit, as text or as a fraction says what it takes, on its line"() {
        when:
        def e = fails("machine {\n    memory ${value}\n}\npolicy thp()\nrun until: 1.s\n")

        then:
        e.line == 2
        e.problem.contains(message)

        where:
        value    | message
        '8'      | 'memory 8 means 8 bytes, too small a machine to model'
        "'8GB'"  | "memory needs a size like 8.GB, got '8GB'"
        '1e30'   | 'memory needs a size like 8.GB, got 1E+30'
    }

    def "kernelReserved: negative, without a unit or as text is refused on its line; one that leaves too little memory names the default"() {
        when:
        def e = fails("machine {\n    memory 1.GB\n    kernelReserved ${value}\n}\npolicy thp()\nrun until: 1.s\n")

        then:
        e.line == line
        e.problem.contains(message)

        where:
        value    | line | message
        '(-1.MB)' | 3    | 'kernelReserved must not be negative'
        '100'    | 3    | 'kernelReserved 100 means 100 bytes: write a size with a unit, e.g. kernelReserved 64.MB'
        "'64MB'" | 3    | "kernelReserved needs a size like 64.MB, got '64MB'"
        '600.MB' | 3    | 'kernelReserved 600M leaves node 0 less than half of its 1G (the default for this machine is 64820K)'
    }

    def "endless recursion is explained, not a bare StackOverflowError"() {
        when:
        def e = fails("def f(n) { f(n + 1) }\nf(0)\nmachine { memory 8.GB }\npolicy thp()\nrun until: 1.s\n")

        then:
        e.problem.contains('recursed too deeply')
    }

    static ScenarioException err(Closure c) {
        try {
            c()
        } catch (ScenarioException e) {
            return e
        }
        throw new AssertionError('no error')
    }

    def "an unknown keyword suggests the one meant: #typo"() {
        when:
        def e = fails(text)

        then:
        e.problem.contains(message)

        where:
        typo          | text                                                                                            | message
        'mapHuqe'     | "machine { memory 8.GB }\npolicy thp()\nprocess('p') { mapHuqe 2.MB }\nrun until: 1.s\n"       | "unknown keyword 'mapHuqe' (did you mean mapHuge?)"
        'reservedTHP' | "machine { memory 8.GB }\npolicy reservedTHP(reserve: 2.GB)\nrun until: 1.s\n"                  | "unknown keyword 'reservedTHP' (did you mean reservedThp?)"
        'memroy'      | "machine { memroy 8.GB }\npolicy thp()\nrun until: 1.s\n"                                       | "unknown keyword 'memroy' in machine { } (did you mean memory?)"
        'frobnicate'  | "machine { memory 8.GB }\npolicy thp()\nprocess('p') { frobnicate() }\nrun until: 1.s\n"     | "unknown keyword 'frobnicate'"
    }

    def "an unknown unit suggests the one meant, on its line: #typo"() {
        when:
        def e = fails(text)

        then:
        e.line == 2
        e.problem.startsWith(message)
        e.problem.contains('units: ')

        where:
        typo   | text                                                                                        | message
        '64.gb' | "policy thp()\nmachine { memory 64.gb }\nrun until: 1.s\n"                                  | "unknown unit 'gb' (did you mean GB?)"
        '3.sec' | "machine { memory 8.GB }\nprocess('p') { sleep 3.sec }\npolicy thp()\nrun until: 1.s\n"    | "unknown unit 'sec' (did you mean s?)"
        '2.gbps' | "machine { memory 8.GB\n swap 1.GB, write: 2.gbps }\npolicy thp()\nrun until: 1.s\n"      | "unknown unit 'gbps' (did you mean GBps?)"
    }
}
