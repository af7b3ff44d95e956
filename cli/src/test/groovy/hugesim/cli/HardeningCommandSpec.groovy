package hugesim.cli

import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

import java.nio.channels.FileChannel
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardOpenOption
import java.nio.file.attribute.FileTime
import java.time.Instant

import static hugesim.cli.RunCommandSpec.hugesim
import static hugesim.cli.RunCommandSpec.lineOf
import static hugesim.cli.RunCommandSpec.names

/**
 * {@code hugesim run} under careless scripts, failures while writing and runs killed midway: the exit code,
 * the one line on stderr (FILE:LINE), and what is left on disk.
 */
class HardeningCommandSpec extends Specification {
    @Shared @TempDir Path shared
    @TempDir Path dir
    @Shared String cacheBefore

    def setupSpec() {
        cacheBefore = System.getProperty('hugesim.cache')
        System.setProperty('hugesim.cache', shared.resolve('cache').toString())
    }

    def cleanupSpec() {
        if (cacheBefore == null) System.clearProperty('hugesim.cache') else System.setProperty('hugesim.cache', cacheBefore)
    }

    Path script(String name, String text) {
        Files.writeString(Files.createDirectories(dir.resolve('scripts')).resolve(name), text)
    }

    static final String OK = "machine { memory 4.GB }\npolicy thp()\nprocess('p') { def h = mapHuge 4.MB; touch h, 4.MB }\nrun until: 2.s\n"

    @Timeout(120)
    def "bad input exits 2 with one line FILE:LINE and leaves nothing under --out: #what"() {
        given:
        def p = script(name, text)
        def out = dir.resolve('out')

        when:
        def o = hugesim('run', p.toString(), '--out', out.toString(), '--no-charts', '--no-report')

        then:
        o.code == 2
        o.out == ''
        o.err.readLines() == [o.err.readLines()[0]]
        o.err.startsWith("${p}:${lineOf(text, marker)}: ")
        problems.every { o.err.contains(it) }
        !o.err.contains('\tat ')
        !Files.exists(out)
        names(dir) == ['scripts']

        where:
        [what, name, text, marker, problems] << [
                ['a size past 64 bits', 'wrap.groovy', "machine {\n    memory 1.GB * 17179869185L\n}\npolicy thp()\nrun until: 1.s\n",
                 'memory 1.GB', ['overflows 64 bits']],
                ['an int past 32 bits', 'intwrap.groovy', "machine {\n    memory 8.GB\n    swap 2048 * 1024 * 1024\n}\npolicy thp()\nrun until: 1.s\n",
                 'swap 2048', ['does not fit a 32-bit int', 'use a unit, e.g. 2.GB']],
                ['swap of 2^53 bytes', 'swap53.groovy', "machine {\n    memory 8.GB\n    swap 9007199254740992L\n}\npolicy thp()\nrun until: 1.s\n",
                 'swap 9007199254740992L', ["more than the model's limit of 2^31 - 1 swap clusters of 2M"]],
                ['sleep without a unit', 'sleep.groovy', "machine { memory 8.GB }\npolicy thp()\nprocess('p') {\n    sleep 3000\n}\nrun until: 1.s\n",
                 'sleep 3000', ['sleep needs a duration with a unit, e.g. sleep 3000.ms or sleep 3.s']],
                ['a negative duration', 'negative.groovy', "machine { memory 8.GB }\npolicy thp()\nprocess('p') {\n    sleep(-1.s)\n}\nrun until: 1.s\n",
                 'sleep(-1.s)', ['negative']],
                ['System.exit', 'exit.groovy', "machine { memory 8.GB }\npolicy thp()\nprocess('p') {\n    System.exit(3)\n}\nrun until: 1.s\n",
                 'System.exit', ['System.exit would end hugesim itself']],
                ['a thread', 'thread.groovy', "machine { memory 8.GB }\npolicy thp()\nprocess('p') {\n    Thread.start { mapHuge 2.MB }\n}\nrun until: 1.s\n",
                 'Thread.start', ['single-threaded by design']],
                ['a name leaving --out', 'escape.groovy', "name '../../victim'\nmachine { memory 8.GB }\npolicy thp()\nrun until: 1.s\n",
                 "name '../../victim'", ['cannot be a folder under --out']],
                ['an endless loop in a body', 'spin.groovy', "machine { memory 8.GB }\npolicy thp()\nprocess('p') {\n    while (true) { }\n}\nrun until: 1.s\n",
                 'while (true)', ["process 'p' ran", 'an endless loop?']],
                ['endless recursion', 'recurse.groovy', "def f(n) { f(n + 1) }\nmachine { memory 8.GB }\npolicy thp()\nprocess('p') {\n    f(0)\n}\nrun until: 1.s\n",
                 'def f(n)', ['recursed too deeply']],
                ['an unknown keyword', 'typo.groovy', "machine { memory 8.GB }\npolicy thp()\nprocess('p') {\n    mapHuqe 2.MB\n}\nrun until: 1.s\n",
                 'mapHuqe', ['did you mean mapHuge?']],
                ['more samples than the heap holds', 'samples.groovy', "machine { memory 8.GB }\npolicy thp()\nrun until: 100000000.s, sample: 1.ms\n",
                 'run until', ["more than half of this JVM's heap", 'HUGESIM_JAVA_OPTS=-Xmx']],
        ]
    }

    def "what the FILE is not: #what is one line without a line number, exit 2"() {
        given:
        Path file = make(dir)

        when:
        def o = hugesim('run', file.toString(), '--out', dir.resolve('out').toString())

        then:
        o.code == 2
        o.err == "${file}: ${message}\n".toString()
        !Files.exists(dir.resolve('out'))

        where:
        what          | make                                                                                    | message
        'a directory' | { Path d -> Files.createDirectories(d.resolve('folder.groovy')) }                     | 'is a directory, not a scenario script'
        'Latin-1'     | { Path d -> Files.write(d.resolve('latin1.groovy'), '// caf\u00e9\n'.getBytes('ISO-8859-1')) } | 'is not UTF-8 text (a binary file, or another encoding such as Latin-1: save it as UTF-8)'
        'binary'      | { Path d -> Files.write(d.resolve('binary.groovy'), [0xff, 0xfe, 0x00, 0x81] as byte[]) }     | 'is not UTF-8 text (a binary file, or another encoding such as Latin-1: save it as UTF-8)'
    }

    def "a file starting with a UTF-8 byte-order mark runs as Groovy reads it"() {
        given:
        def p = Files.write(dir.resolve('bom.groovy'), ('\uFEFF' + OK).getBytes('UTF-8'))

        expect:
        hugesim('run', p.toString(), '--out', dir.resolve('out').toString(), '--no-charts', '--no-report').code == 0
    }

    def "a process starting after until is a warning on stderr and a script_warning event; the run ends (exit 0) but is not clean"() {
        given:
        def p = script('late.groovy', "machine { memory 4.GB }\npolicy thp()\nprocess('late', start: 20.s) { sleep 1.s }\nrun until: 10.s\n")
        def out = dir.resolve('out')

        when:
        def o = hugesim('run', p.toString(), '--out', out.toString(), '--no-charts', '--no-report')

        then:
        o.code == 0
        o.err == "${p}: warning: process 'late' starts at 20s, after the run ends at 10s: it never runs\n".toString()
        new String(Files.readAllBytes(out.resolve('late/thp/result.json'))).contains('"kind" : "script_warning"')
        RunCommandSpec.json(out.resolve('late/thp/result.json')).summary.with { !clean && script_warnings == 1 && verdict == 'script: 1 warning' }
    }

    def "an out-of-memory error while writing removes the scratch directory and is one line, exit 2"() {
        given:
        def out = Files.createDirectories(dir.resolve('out'))
        def target = out.resolve('s')

        when:
        OutputDir.replace(target, { Path tmp ->
            Files.writeString(tmp.resolve('half.json'), '{')
            throw new OutOfMemoryError('Java heap space')
        })

        then:
        thrown(OutOfMemoryError)
        names(out) == []
        Main.describe(new OutOfMemoryError('Java heap space')) == 'out of memory: ' + Main.OUT_OF_MEMORY_HINT
    }

    def "scratch left by a killed run (its lock no longer held) is removed by the next run into that --out"() {
        given: 'what a run killed with kill -9 while writing leaves: its scratch folder and its unheld lock'
        def out = Files.createDirectories(dir.resolve('out'))
        def dead = Files.createDirectories(out.resolve('.s.new-123'))
        Files.writeString(dead.resolve('result.json'), '{"half": ')
        Files.createFile(out.resolve('.s.new-123.lock'))
        and: 'an older kill, from before the swap finished'
        def old = Files.createDirectories(out.resolve('.other.old-456'))
        Files.writeString(old.resolve('series.csv'), 'time_s\n')
        and: 'a scratch folder without a lock file from long ago'
        def ancient = Files.createDirectories(out.resolve('.third.new-789'))
        Files.setLastModifiedTime(ancient, FileTime.from(Instant.now().minusSeconds(3600)))
        def p = script('s.groovy', "name 's'\n" + OK)

        when:
        def o = hugesim('run', p.toString(), '--out', out.toString(), '--no-charts', '--no-report')

        then:
        o.code == 0
        names(out) == ['s']
        names(out.resolve('s')) == ['summary.csv', 'summary.json', 'thp']
    }

    def "a live run's scratch (its lock held) and a fresh one without a lock are left alone"() {
        given:
        def out = Files.createDirectories(dir.resolve('out'))
        def live = Files.createDirectories(out.resolve('.s.new-1'))
        def lock = Files.createFile(out.resolve('.s.new-1.lock'))
        def fresh = Files.createDirectories(out.resolve('.t.new-2'))
        def p = script('s.groovy', "name 'u'\n" + OK)

        when:
        def o
        FileChannel.open(lock, StandardOpenOption.WRITE).withCloseable { c ->
            c.lock().withCloseable { o = hugesim('run', p.toString(), '--out', out.toString(), '--no-charts', '--no-report') }
        }

        then:
        o.code == 0
        Files.isDirectory(live)
        Files.isDirectory(fresh)
        names(out) == ['.s.new-1', '.s.new-1.lock', '.t.new-2', 'u']
    }

    @Timeout(120)
    def "a run killed with kill -9 while writing leaves scratch that the next run removes"() {
        given: 'a run in its own JVM that is killed while it writes many samples'
        def out = Files.createDirectories(dir.resolve('out'))
        def p = script('big.groovy', "name 'big'\nmachine { memory 4.GB }\npolicy thp()\nprocess('p') { sleep 1.s }\nrun until: 1000000.s, sample: 1.s\n")
        def java = Path.of(System.getProperty('java.home'), 'bin', 'java').toString()
        def proc = new ProcessBuilder(java, '-cp', System.getProperty('java.class.path'), "-Dhugesim.cache=${shared.resolve('cache')}",
                'hugesim.cli.Main', 'run', p.toString(), '--out', out.toString(), '--no-charts')
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
        long deadline = System.nanoTime() + 100_000_000_000L
        // the lock comes first, the scratch folder named after it just after: wait for the folder
        while (names(out).every { !(it.startsWith('.big.new-') && !it.endsWith('.lock')) } && System.nanoTime() < deadline && proc.alive) Thread.sleep(5)
        proc.destroyForcibly().waitFor()
        assert names(out).any { it.startsWith('.big.new-') && !it.endsWith('.lock') }

        when:
        def o = hugesim('run', script('small.groovy', "name 'small'\n" + OK).toString(), '--out', out.toString(), '--no-charts')

        then:
        o.code == 0
        names(out) == ['small']
    }
}
