package hugesim.dsl

import hugesim.units.Bandwidth

import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration

/** Parameters, sweeps, goals and seeds as a script declares them, and what a wrong one is told. */
class ParametersSpec extends ScriptCacheSpecification {
    static final long GiB = 1L << 30


    static final String MACHINE = """
machine { memory 8.GB; swap 4.GB }
"""

    ScriptSource source(String body) {
        ScriptSource.read(Files.writeString(dir.resolve('s.groovy'), body))
    }

    ScenarioFile load(String body, Map sets = [:], Long seed = null, int replication = 0) {
        source(body).load(new Settings(sets, seed, replication))
    }

    static int lineOf(String text, String marker) {
        text.readLines().findIndexOf { it.contains(marker) } + 1
    }

    def "a parameter has its default unless the run sets it; every value is recorded as a DSL literal"() {
        given:
        def text = """
def reserve = param('reserve', 22.GB)
def share = param('coldShare', 0.625)
def overlap = param('overlap', 300.s)
def rate = param('rate', 2.GBps)
def n = param('services', 8)
def posted = param('posted', false)
${MACHINE}
policy reservedThp(reserve: reserve, overcommit: !posted)
run until: overlap
"""
        when:
        def f = load(text)
        def g = load(text, [reserve: 24 * GiB, coldShare: new BigDecimal('0.4'), services: 16, posted: true, overlap: Duration.ofSeconds(90)])

        then:
        f.scenario.policies()[0].label() == 'reservedThp(reserve: 22G, overcommit: true)'
        f.scenario.parameters() == [reserve: '22.GB', coldShare: '0.625', overlap: '300.s', rate: '2.GBps', services: '8', posted: 'false']
        g.scenario.policies()[0].label() == 'reservedThp(reserve: 24G)'
        g.scenario.parameters() == [reserve: '24.GB', coldShare: '0.4', overlap: '90.s', rate: '2.GBps', services: '16', posted: 'true']
        g.scenario.until() == 90_000_000_000L
    }

    def "command-line values parse with the DSL's own unit literals and print back the same"() {
        expect:
        Literal.parse(text) == value
        Literal.format(value) == printed

        where:
        text      | value                      | printed
        '24.GB'   | 24 * GiB                   | '24.GB'
        '1536.MB' | 1536L << 20                | '1.5.GB'
        '19.75.GB'| 20224L << 20               | '19.75.GB'
        '512.MB'  | 512L << 20                 | '512.MB'
        '4097.KB' | 4097L << 10                | '4097.KB'
        '90.s'    | Duration.ofSeconds(90)     | '90.s'
        '2.min'   | Duration.ofMinutes(2)      | '120.s'
        '3.h'     | Duration.ofHours(3)        | '3.h'
        '2.GBps'  | new Bandwidth(2 * GiB)     | '2.GBps'
        '8'       | 8                          | '8'
        '0.4'     | new BigDecimal('0.4')      | '0.4'
        'true'    | true                       | 'true'
        "'hdd'"   | 'hdd'                      | "'hdd'"
    }

    def "a value of the wrong kind names the parameter and the form it takes"() {
        given:
        def text = "def reserve = param('reserve', 22.GB)\n${MACHINE}\npolicy thp()\nrun until: 1.s\n"

        when:
        load(text, [reserve: value])

        then:
        def e = thrown(ScenarioException)
        e.message.contains("reserve is a size, e.g. 22.GB")
        e.line == 1

        where:
        value << [24, new BigDecimal('0.4'), Duration.ofSeconds(1), 'big']
    }

    def "an unknown unit is refused with a suggestion"() {
        when:
        Literal.parse('64.gb')

        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains("unknown unit 'gb' (did you mean GB?)")
    }

    def "setting a parameter the script does not declare names it and lists the declared ones"() {
        when:
        load("def reserve = param('reserve', 22.GB)\n${MACHINE}\npolicy thp()\nrun until: 1.s\n", [reserv: 24 * GiB])

        then:
        def e = thrown(ScenarioException)
        e.problem.contains("--set reserv: the script declares no parameter 'reserv'; declared: reserve")
    }

    def "a parameter declared twice, or with a default no parameter can hold, is an error on its line"() {
        when:
        load(text)

        then:
        def e = thrown(ScenarioException)
        e.line == line
        e.problem.contains(message)

        where:
        text                                                                          | line | message
        "param('a', 1.GB)\nparam('a', 2.GB)\n${MACHINE}\npolicy thp()\nrun until: 1.s" | 2    | "declared twice (first on line 1)"
        "param('a', [1, 2])\n${MACHINE}\npolicy thp()\nrun until: 1.s"                | 1    | "a parameter holds a size"
        "param('a b', 1)\n${MACHINE}\npolicy thp()\nrun until: 1.s"                   | 1    | "a word of letters"
    }

    def "a sweep walks a range at its step, or takes a list, in the parameter's kind"() {
        when:
        def f = load("""
def reserve = param('reserve', 22.GB)
def share = param('coldShare', 0.5)
def n = param('n', 2)
${MACHINE}
policy reservedThp(reserve: reserve)
sweep reserve: 16.GB..18.GB step 512.MB, coldShare: [0.2, 0.4]
sweep n: 1..3
run until: 1.s
""")

        then:
        f.sweeps*.name() == ['reserve', 'coldShare', 'n']
        f.sweeps[0].values() == [16 * GiB, 16 * GiB + 512L * (1 << 20), 17 * GiB, 17 * GiB + 512L * (1 << 20), 18 * GiB]
        f.sweeps[1].values() == [new BigDecimal('0.2'), new BigDecimal('0.4')]
        f.sweeps[2].values() == [1, 2, 3]
    }

    def "a bad sweep is an error on its own line: #why"() {
        given:
        def text = "def reserve = param('reserve', 22.GB)\n${MACHINE}\npolicy thp()\n${sweep}\nrun until: 1.s\n"

        when:
        load(text)

        then:
        def e = thrown(ScenarioException)
        e.line == lineOf(text, 'sweep')
        e.problem.contains(message)

        where:
        why               | sweep                                        | message
        'undeclared'      | 'sweep reserv: [1.GB, 2.GB]'                 | "sweep over 'reserv', which the script does not declare; declared: reserve"
        'reversed'        | 'sweep reserve: 32.GB..16.GB step 1.GB'      | 'is reversed'
        'empty'           | 'sweep reserve: 16.GB..<16.GB step 1.GB'     | 'is empty'
        'step 0'          | 'sweep reserve: 16.GB..32.GB step 0.GB'      | 'the step must be positive'
        'no step'         | 'sweep reserve: 16.GB..32.GB'                | 'a range needs a step'
        'empty list'      | 'sweep reserve: []'                          | 'the list of values is empty'
        'wrong kind'      | 'sweep reserve: [0.5, 0.6]'                  | 'reserve is a size'
    }

    /** A body touching a random number of 2 MiB pages: the draw shows as peak resident huge memory. */
    static String drawing(String policies, String extra = '', String top = '') {
        """
${MACHINE}
policies ${policies}
${top}
process('p') {
    def heap = mapHuge 1.GB
    touch heap, ${top ? 'n' : '(1 + random.nextInt(500))'} * 2.MB
}
${extra}
run until: 1.s
"""
    }

    long drawn(String text, Long seed, int replication, int policy = 0) {
        def f = load(text, [:], seed, replication)
        def r = f.run(f.scenario.policies()[policy])
        assert r.seed() == (seed ?: 1L) && r.replication() == replication
        r.summary().peakResidentBytes().intdiv(2L << 20)
    }

    def "--seed reaches the bodies' random streams: another seed draws other numbers, the same seed the same"() {
        given:
        def text = drawing('thp()')

        expect:
        drawn(text, null, 0) == drawn(text, 1L, 0)
        drawn(text, 2L, 0) == drawn(text, 2L, 0)
        and: 'a draw of 1 in 500: five seeds give at least four different values'
        (1L..5L).collect { drawn(text, it, 0) }.toSet().size() >= 4
    }

    def "common random numbers: a replication draws the same under every policy, another replication draws anew"() {
        given:
        def text = drawing('thp(), reservedThp(reserve: 2.GB)')

        expect:
        (0..2).every { int r -> drawn(text, 5L, r, 0) == drawn(text, 5L, r, 1) }
        (0..2).collect { int r -> drawn(text, 5L, r) }.toSet().size() == 3
    }

    def "a process has a stream of its own: adding another process leaves its draws alone"() {
        expect:
        drawn(drawing('thp()'), 1L, 0) == drawn(drawing('thp()', "process('q') { random.nextLong(); random.nextInt(7) }"), 1L, 0)
    }

    def "the script's top level draws from the replication's stream too, and is evaluated anew for each replication"() {
        given:
        def text = drawing('thp()', '', 'def n = 1 + random.nextInt(500)')
        def f = load(text, [:], 1L, 0)

        expect:
        f.drewRandom
        f.withReplication(1).scenario.replication() == 1
        (0..2).collect { int r -> drawn(text, 1L, r) }.toSet().size() == 3
        drawn(text, 1L, 2) == drawn(text, 1L, 2)
    }

    def "seed after the script's first draw is an error (it could not seed what was drawn)"() {
        when:
        load("def n = random.nextInt(9)\nseed 4\n${MACHINE}\npolicy thp()\nrun until: 1.s\n")

        then:
        def e = thrown(ScenarioException)
        e.line == 2
        e.problem.contains('seed must come before')
    }

    def "a goal in the script is recorded as written and checked against the summary metrics"() {
        when:
        def f = load("${MACHINE}\npolicy thp()\ngoal { failedCalls == 0 &&\n  stallSeconds <= 1 }\nrun until: 1.s\n")

        then:
        f.goal.text == 'failedCalls == 0 && stallSeconds <= 1'
        f.goal.test(f.run(f.scenario.policies()[0]))
    }

    def "a goal naming an unknown metric, or giving no condition, is an error on its line"() {
        given:
        def text = "${MACHINE}\npolicy thp()\n${goal}\nrun until: 1.s\n"

        when:
        load(text)

        then:
        def e = thrown(ScenarioException)
        e.line == lineOf(text, 'goal')
        e.problem.contains(message)

        where:
        goal                          | message
        'goal { failedCals == 0 }'    | "unknown metric 'failedCals'; known: peakReserved"
        'goal { failedCalls }'        | 'not true or false'
    }

    def "a goal on the command line that does not parse, or names an unknown metric, says so"() {
        when:
        Goal.parse(text)

        then:
        def e = thrown(ScenarioException)
        e.file == '--goal'
        e.problem.contains(message)

        where:
        text                    | message
        'failedCalls == '       | 'does not parse'
        'nope > 1'              | "unknown metric 'nope'"
        '  '                    | 'is empty'
    }
}
