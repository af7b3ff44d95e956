package hugesim.cli

import com.fasterxml.jackson.databind.ObjectMapper
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

import static hugesim.cli.RunCommandSpec.hugesim

/** {@code hugesim sweep}, {@code merge} and {@code plan} on a small scenario: files, bytes, shards, resume, bad input. */
class SweepCommandSpec extends Specification {
    static final String SCRIPT = '''
name 'small'
def reserve = param('reserve', 2.GB)
machine { memory 8.GB; swap 4.GB }
policies thp(), reservedThp(reserve: reserve, overcommit: true)
sweep reserve: 1.GB..3.GB step 1.GB
replications 3
goal { failedCalls == 0 }
process('p') {
    def heap = mapHuge 2.GB
    touch heap, (256 + random.nextInt(768)) * 2.MB
}
run until: 10.s, sample: 1.s
'''
    static final List<String> FILES = ['sweep.json', 'runs.csv', 'summary.csv', 'summary.json',
                                       'clean.png', 'clean.svg', 'stallSeconds.png', 'failedCalls.png', 'peakUsed.png', 'goal.png', 'goal.svg']

    @Shared @TempDir Path shared
    @TempDir Path dir
    @Shared Path script
    @Shared Path whole
    @Shared String cacheBefore

    def setupSpec() {
        cacheBefore = System.getProperty('hugesim.cache')
        System.setProperty('hugesim.cache', shared.resolve('cache').toString())
        script = Files.writeString(shared.resolve('small.groovy'), SCRIPT)
        def o = hugesim('sweep', script.toString(), '--out', shared.resolve('whole').toString())
        assert o.code == 0: o.err
        whole = shared.resolve('whole/small/sweep')
    }

    def cleanupSpec() {
        if (cacheBefore == null) System.clearProperty('hugesim.cache')
        else System.setProperty('hugesim.cache', cacheBefore)
    }

    static Map json(Path f) { new ObjectMapper().readValue(f.toFile(), Map) }

    def "a sweep writes one row per run, one summary row per point and policy, and its charts"() {
        expect:
        FILES.every { Files.exists(whole.resolve(it)) }
        Files.readAllLines(whole.resolve('runs.csv')).size() == 1 + 3 * 2 * 3
        Files.readAllLines(whole.resolve('runs.csv'))[0].startsWith('run,point,reserve,policy,replication,seed,peakReserved,')
        Files.readAllLines(whole.resolve('summary.csv')).size() == 1 + 3 * 2
        with(json(whole.resolve('summary.json'))) {
            rows.size() == 6
            rows[0].parameters == [reserve: '1.GB']
            rows[1].policy == 'reservedThp(reserve: reserve, overcommit: true)'
            rows[1].label == 'reservedThp(reserve: 1G, overcommit: true)'
            rows.every { it.runs == 3 && it.clean.runs == 3 && it.metrics.peakResident.n == 3 }
        }
    }

    def "replications draw differently (the touch size is random) and the interval says so"() {
        given:
        def rows = json(whole.resolve('summary.json')).rows

        expect:
        rows.every { it.metrics.peakResident.sd > 0 && it.metrics.peakResident.low < it.metrics.peakResident.high }
        and: 'common random numbers: the same replication touches the same under both policies at a reserve that holds it'
        // policy labels with commas are quoted: replace them before splitting
        def runs = Files.readAllLines(whole.resolve('runs.csv')).drop(1).collect { it.replaceAll(/"[^"]*"/, 'P').split(',') }
        def resident = { int point, int policy, int r -> runs.find { it[0] == "${(point * 2 + policy) * 3 + r}" }[8] }
        (0..2).every { int r -> resident(2, 0, r) == resident(2, 1, r) }
    }

    def "the same sweep gives the same bytes"() {
        when:
        def o = hugesim('sweep', script.toString(), '--out', dir.toString(), '--jobs', '1')

        then:
        o.code == 0
        FILES.every { Files.mismatch(whole.resolve(it), dir.resolve('small/sweep').resolve(it)) == -1L }
    }

    def "three shards merged give the files one machine writes, byte for byte"() {
        when:
        def shards = (0..2).collect { i -> hugesim('sweep', script.toString(), '--out', dir.resolve("m$i").toString(), '--shard', "$i/3") }
        def merged = hugesim('merge', dir.resolve('m0').toString(), dir.resolve('m1').toString(), dir.resolve('m2').toString(),
                '--out', dir.resolve('merged').toString())

        then:
        shards.every { it.code == 0 }
        merged.code == 0
        FILES.every { Files.mismatch(whole.resolve(it), dir.resolve('merged/small/sweep').resolve(it)) == -1L }
    }

    def "merge refuses shards of different sweeps, naming what differs, and a set with a shard missing"() {
        given:
        hugesim('sweep', script.toString(), '--out', dir.resolve('a').toString(), '--shard', '0/2')
        hugesim('sweep', script.toString(), '--out', dir.resolve('b').toString(), '--shard', '1/2', '--seed', '2')

        when:
        def mixed = hugesim('merge', dir.resolve('a').toString(), dir.resolve('b').toString(), '--out', dir.resolve('x').toString())
        def missing = hugesim('merge', dir.resolve('a').toString(), '--out', dir.resolve('y').toString())

        then:
        mixed.code == 2
        mixed.err.contains('are shards of different sweeps: seed 1 vs 2') || mixed.err.contains('seed 2 vs 1')
        missing.code == 2
        missing.err.contains('shards missing: [1] of 2')
        !Files.exists(dir.resolve('x/small/sweep'))
    }

    def "--resume goes on from the runs an interrupted sweep finished, without redoing them"() {
        given: 'an interrupted sweep: its journal holds the first 7 runs, one of them marked so that a rerun would show'
        def partial = Files.createDirectories(dir.resolve('small/.sweep-partial'))
        Files.copy(whole.resolve('sweep.json'), partial.resolve('sweep.json'))
        def lines = Files.readAllLines(whole.resolve('runs.csv'))
        def kept = lines.take(8)
        def cells = kept[1].split(',', -1)
        cells[8] = '12345'   // peakResident of run 0, a value no run gives
        kept[1] = cells.join(',')
        Files.write(partial.resolve('runs.csv'), (kept.collect { it + '\n' }.join('') + '18,').bytes) // a last line cut short

        when:
        def o = hugesim('sweep', script.toString(), '--out', dir.toString(), '--resume')
        def runs = Files.readAllLines(dir.resolve('small/sweep/runs.csv'))

        then:
        o.code == 0
        runs.size() == lines.size()
        runs[1].split(',', -1)[8] == '12345'
        runs.drop(2) == lines.drop(2)
        !Files.exists(partial)
    }

    def "--resume refuses the journal of another sweep"() {
        given:
        def partial = Files.createDirectories(dir.resolve('small/.sweep-partial'))
        Files.copy(whole.resolve('sweep.json'), partial.resolve('sweep.json'))

        when:
        def o = hugesim('sweep', script.toString(), '--out', dir.toString(), '--resume', '--seed', '9')

        then:
        o.code == 2
        o.err.contains('--resume: the unfinished sweep in')
        o.err.contains('seed 9 vs 1')
    }

    def "bad options are exit 2 with one line naming the option: #args"() {
        when:
        def o = hugesim(*(['sweep', script.toString(), '--out', dir.toString()] + args))

        then:
        o.code == 2
        o.err.trim().readLines().size() == 1
        o.err.contains(message)
        !Files.exists(dir.resolve('small/sweep'))

        where:
        args                                            | message
        ['--shard', '3/2']                              | '--shard 3/2: shard 3/2 does not exist'
        ['--replications', '0']                         | '--replications must be 1 or more'
        ['--sweep', 'reserv=1.GB,2.GB']                 | "--sweep: reserv: the script declares no parameter 'reserv'"
        ['--sweep', 'reserve=3.GB..1.GB step 1.GB']     | 'is reversed'
        ['--sweep', 'reserve=1.GB..3.GB step 0.GB']     | 'the step must be positive'
        ['--sweep', 'reserve=1.GB..3.GB']               | 'a range needs a step'
        ['--sweep', 'reserve=1..3 step 1']              | 'reserve is a size'
        ['--goal', 'failedCalls ==']                    | "--goal: 'failedCalls ==' does not parse"
        ['--goal', 'failedCals == 0']                   | "unknown metric 'failedCals'"
        ['--set', 'reserve=2.gb']                       | "unknown unit 'gb' (did you mean GB?)"
        ['--chart', 'nope']                             | "--chart: unknown metric 'nope'"
    }

    def "plan: the smallest reserve per policy, certain when nothing random decides it"() {
        given:
        def text = SCRIPT.replace('(256 + random.nextInt(768)) * 2.MB', '2.GB').replace('replications 3', '')
        def s = Files.writeString(dir.resolve('fixed.groovy'), text.replace("name 'small'", "name 'fixed'"))

        when:
        def o = hugesim('plan', s.toString(), '--minimize', 'reserve', '--out', dir.toString(), '--sweep', 'reserve=1.GB..4.GB step 512.MB',
                '--goal', 'failedCalls == 0 && stalls == 0')
        def plan = json(dir.resolve('fixed/plan/plan.json'))

        then:
        o.code == 0
        plan.policies*.policy == ['thp()', 'reservedThp(reserve: reserve, overcommit: true)']
        plan.policies[0].uses_parameter == false
        plan.policies[1].answer == '2.GB'
        plan.policies[1].evaluated.every { it.certain && it.runs == 1 }
        plan.policies[1].evaluated.find { it.value == '1.5.GB' }.holds == false
        Files.exists(dir.resolve('fixed/plan/plan.png'))
    }

    def "plan: a random scenario needs enough replications for the confidence asked, and says how many"() {
        when:
        def o = hugesim('plan', script.toString(), '--minimize', 'reserve', '--out', dir.toString())

        then:
        o.code == 2
        o.err.contains('give --replications 73 or more')
    }

    def "plan: exit 1 when a policy meets the goal nowhere in the range; bad options are exit 2"() {
        expect:
        hugesim('plan', script.toString(), '--minimize', 'reserve', '--out', dir.toString(), '--replications', '5',
                '--confidence', '0.5', '--goal', 'peakResident > 100.GB').code == 1
        hugesim('plan', script.toString(), '--minimize', 'reserve', '--confidence', '1.5', '--out', dir.toString()).err.contains('--confidence must be above 0 and at most 1')
        hugesim('plan', script.toString(), '--minimize', 'nope', '--out', dir.toString()).err.contains("--minimize: the script declares no parameter 'nope'")
    }

    def "run takes --set and --replication, and records them in result.json"() {
        when:
        def o = hugesim('run', script.toString(), '--out', dir.toString(), '--set', 'reserve=3.GB', '--replication', '2', '--seed', '5', '--no-charts')
        def r = json(dir.resolve('small/reservedThp-reserve-3G-overcommit/result.json'))

        then:
        o.code == 0
        r.parameters == [reserve: '3.GB']
        r.seed == 5
        r.replication == 2
    }

    def "a later run into the same folder leaves the sweep's results in place"() {
        given:
        hugesim('sweep', script.toString(), '--out', dir.toString(), '--no-charts')

        when:
        def o = hugesim('run', script.toString(), '--out', dir.toString(), '--no-charts')

        then:
        o.code == 0
        Files.exists(dir.resolve('small/thp/result.json'))
        Files.mismatch(whole.resolve('runs.csv'), dir.resolve('small/sweep/runs.csv')) == -1L
    }

    def "a process that starts after the run ends is a warning on stderr and an event"() {
        given:
        def late = Files.writeString(dir.resolve('late.groovy'), "machine { memory 8.GB }\npolicy thp()\nprocess('p', start: 20.s) { }\nrun until: 10.s\n")

        when:
        def o = hugesim('run', late.toString(), '--out', dir.toString(), '--no-charts')

        then:
        o.code == 0
        o.err.trim() == "${late}: warning: process 'p' starts at 20s, after the run ends at 10s: it never runs"
        RunCommandSpec.json(dir.resolve('late/thp/result.json')).events.any { it.kind == 'script_warning' && it.process == 'p' }
    }

    def "the shard index comes from the batch scheduler's environment"() {
        expect:
        ShardOption.parse('auto/4', [JOB_COMPLETION_INDEX: '2']).toString() == '2/4'
        ShardOption.parse('auto', [SLURM_ARRAY_TASK_ID: '5', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '6']).toString() == '4/6'
        ShardOption.parse('1/3', [:]).toString() == '1/3'
    }

    def "a shard index the environment lacks or gets wrong is refused: #text #env"() {
        when:
        ShardOption.parse(text, env)

        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains(message)

        where:
        text     | env                                  | message
        'auto'   | [:]                                  | 'SLURM_ARRAY_TASK_COUNT'
        'auto/3' | [:]                                  | 'JOB_COMPLETION_INDEX'
        'auto/3' | [JOB_COMPLETION_INDEX: '3']          | 'does not exist'
        'x/3'    | [:]                                  | "the index 'x' is not a whole number"
    }
}
