package hugesim.cli

import com.fasterxml.jackson.databind.ObjectMapper
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths

/**
 * {@code hugesim run} and friends through {@link Main#execute}: exit codes, files written, and the one-line
 * messages bad input gets. (groovy-json is not on this module's classpath, so result.json is read with the
 * Jackson the engine already brings.)
 */
class RunCommandSpec extends Specification {
    static final long GiB = 1L << 30
    static final Path HOT_UPGRADE = Paths.get('..', 'scenarios', 'hot-upgrade.groovy')
    static final List<String> KEYS = ['hugetlb-pool-32G', 'hugetlb-pool-22G',
                                      'reservedThp-reserve-22G', 'reservedThp-reserve-22G-overcommit']
    static final List<String> CHARTS = ['reserved-vs-used.png', 'reserved-vs-used.svg']
    static final List<String> SUMMARIES = ['summary.csv', 'summary.json']

    @Shared @TempDir Path shared
    @TempDir Path dir
    @Shared String cacheBefore
    @Shared String headlessBefore
    /** The hot-upgrade run every feature about its output reads. */
    @Shared Outcome first
    @Shared Path firstOut

    static class Outcome {
        int code
        String out
        String err
    }

    /** Runs the hugesim command with System.out and System.err captured, restoring both afterwards. */
    static Outcome hugesim(String... args) {
        PrintStream out = System.out, err = System.err
        def outBytes = new ByteArrayOutputStream(), errBytes = new ByteArrayOutputStream()
        System.setOut(new PrintStream(outBytes, true, 'UTF-8'))
        System.setErr(new PrintStream(errBytes, true, 'UTF-8'))
        try {
            int code = Main.execute(args)
            System.out.flush()
            System.err.flush()
            return new Outcome(code: code, out: outBytes.toString('UTF-8'), err: errBytes.toString('UTF-8'))
        } finally {
            System.setOut(out)
            System.setErr(err)
        }
    }

    static Map json(Path f) {
        new ObjectMapper().readValue(f.toFile(), Map)
    }

    static int lineOf(String text, String marker) {
        def hits = text.readLines().findIndexValues { it.contains(marker) }
        assert hits.size() == 1: "marker '${marker}' must be on exactly one line"
        (hits[0] as int) + 1
    }

    /** Every regular file under {@code root}, by relative path. */
    static Map<String, byte[]> files(Path root) {
        Files.walk(root).withCloseable { s ->
            s.filter { Files.isRegularFile(it) }.toList()
        }.collectEntries { [(root.relativize(it).toString()): Files.readAllBytes(it)] }
    }

    static List<String> names(Path d) {
        Files.list(d).withCloseable { s -> s.map { it.fileName.toString() }.sorted().toList() }
    }

    def setupSpec() {
        cacheBefore = System.getProperty('hugesim.cache')
        headlessBefore = System.getProperty('java.awt.headless')
        System.setProperty('hugesim.cache', shared.resolve('cache').toString())
        System.setProperty('java.awt.headless', 'true')
        firstOut = shared.resolve('first')
        first = hugesim('run', HOT_UPGRADE.toString(), '--out', firstOut.toString())
    }

    def cleanupSpec() {
        if (cacheBefore == null) System.clearProperty('hugesim.cache') else System.setProperty('hugesim.cache', cacheBefore)
        if (headlessBefore == null) System.clearProperty('java.awt.headless') else System.setProperty('java.awt.headless', headlessBefore)
    }

    def "run writes result.json and series.csv per policy and the two charts"() {
        expect:
        first.code == 0
        first.err == ''
        names(firstOut) == ['hot-upgrade']
        names(firstOut.resolve('hot-upgrade')) == (KEYS + CHARTS + SUMMARIES + ['report.html']).sort()
        KEYS.every { names(firstOut.resolve('hot-upgrade').resolve(it)) == ['pageblocks.png', 'pageblocks.svg', 'result.json', 'series.csv'] }
    }

    def "run prints the summary table, one row per policy, and where the results went"() {
        given:
        def lines = first.out.readLines()

        expect:
        lines[0] == 'scenario hot-upgrade'
        lines[1].startsWith('policy ')
        lines[2] ==~ /[- ]+/
        lines[3..6]*.split('  ')*.getAt(0)*.trim() == ['hugetlb(pool: 32G)', 'hugetlb(pool: 22G)',
                                                       'reservedThp(reserve: 22G)', 'reservedThp(reserve: 22G, overcommit: true)']
        lines.last().startsWith("results: ${firstOut.resolve('hot-upgrade')}/<policy>/result.json, series.csv; summary.json, summary.csv; charts: ")
    }

    def "the charts are a PNG and an SVG"() {
        given:
        def d = firstOut.resolve('hot-upgrade')
        byte[] png = Files.readAllBytes(d.resolve('reserved-vs-used.png'))
        String svg = Files.readString(d.resolve('reserved-vs-used.svg'))

        expect:
        png[0..7] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]*.byteValue()
        svg.startsWith('<?xml')
        svg.contains('<svg')
        svg.trim().endsWith('</svg>')
    }

    def "result.json of the overcommit run: policy, machine, 5120 THPs swapped out whole, 901 samples, events"() {
        given:
        def r = json(firstOut.resolve('hot-upgrade/reservedThp-reserve-22G-overcommit/result.json'))

        expect:
        r.scenario == 'hot-upgrade'
        r.seed == 1
        r.policy.name == 'reservedThp(reserve: 22G, overcommit: true)'
        r.policy.key == 'reservedThp-reserve-22G-overcommit'
        r.policy.params == [reserve: 22 * GiB, overcommit: true]
        r.machine.memory_bytes == 64 * GiB
        r.machine.swap_bytes == 32 * GiB
        r.machine.swap_write_Bps == 2 * GiB
        r.machine.swap_read_Bps == 3 * GiB
        r.summary.thp_swpout == 5120
        r.summary.thp_swpout_fallback == 0
        r.summary.swapped_out_bytes == 10 * GiB
        r.summary.failed_calls == 0
        r.series.file == 'series.csv'
        r.series.time_unit == 's'
        r.series.rows == 901
        r.series.columns.first() == 'time_s'

        and: 'the values are in series.csv alone, under the columns result.json names'
        def csv = Files.readAllLines(firstOut.resolve('hot-upgrade/reservedThp-reserve-22G-overcommit/series.csv'))
        csv[0].split(',').toList() == r.series.columns
        csv.size() == 1 + 901
        csv[1].startsWith('0,')
        csv[901].startsWith('900,')
        r.events instanceof List
        r.events.findAll { it.kind == 'process_start' }*.process == ['old', 'new']
        r.events.every { it.keySet().containsAll(['time', 'kind', 'process', 'detail']) }
        r.events.findAll { it.kind == 'process_start' }*.pid == [1, 2]
    }

    def "result.json of hugetlb(pool: 22G) records the successor's failed mmap"() {
        given:
        def r = json(firstOut.resolve('hot-upgrade/hugetlb-pool-22G/result.json'))
        def failed = r.events.findAll { it.kind == 'mmap_failed' }

        expect:
        r.policy.name == 'hugetlb(pool: 22G)'
        r.summary.failed_calls == 1
        failed.size() == 1
        failed[0].process == 'new'
        failed[0].time == 300
        failed[0].detail.endsWith('= -ENOMEM')
        failed[0].errno == 'ENOMEM'
        failed[0].call.startsWith('mmap(16G, ')
        r.summary.clean == false
        r.summary.verdict == 'new: mmap ENOMEM'
        r.summary.processes*.name == ['old', 'new']
        r.summary.processes*.clean == [true, false]
        r.summary.processes[1].failed_calls == [[call: failed[0].call, errno: 'ENOMEM']]
    }

    def "result.json records the kernel command line each policy booted with"() {
        expect:
        json(firstOut.resolve("hot-upgrade/${key}/result.json")).machine.cmdline == cmdline

        where:
        key                                  || cmdline
        'hugetlb-pool-32G'                   || 'hugepages=16384'
        'hugetlb-pool-22G'                   || 'hugepages=11264'
        'reservedThp-reserve-22G'            || 'thp_reserved_nr=11264'
        'reservedThp-reserve-22G-overcommit' || 'thp_reserved_nr=11264'
    }

    def "series.csv has a time_s column and one row per sample: #key"() {
        given:
        def lines = Files.readAllLines(firstOut.resolve("hot-upgrade/${key}/series.csv"))
        int columns = lines[0].split(',').length

        expect:
        lines[0].startsWith('time_s,')
        columns > 1
        lines.size() == 1 + 901
        lines[1].startsWith('0,')
        lines.last().startsWith('900,')
        lines.every { it.split(',', -1).length == columns }

        where:
        key << KEYS
    }

    def "two runs of the same scenario write byte-identical files, report.html included"() {
        given:
        def second = dir.resolve('second')

        when:
        def o = hugesim('run', HOT_UPGRADE.toString(), '--out', second.toString())
        def a = files(firstOut)
        def b = files(second)

        then:
        o.code == 0
        a.keySet() == b.keySet()
        a.size() == 4 * KEYS.size() + CHARTS.size() + SUMMARIES.size() + 1   // result.json, series.csv, pageblocks.png and .svg
        a.every { name, bytes -> Arrays.equals(bytes, b[name]) }
    }

    def "--policy replaces the script's policies: #policies"() {
        given:
        def out = dir.resolve('out')
        def args = ['run', HOT_UPGRADE.toString(), '--out', out.toString()] + policies.collectMany { ['--policy', it] }

        when:
        def o = hugesim(args as String[])

        then:
        o.code == 0
        o.err == ''
        names(out.resolve('hot-upgrade')) == (keys + CHARTS + SUMMARIES + ['report.html']).sort()
        keys.collect { json(out.resolve("hot-upgrade/${it}/result.json")).policy.name } == labels

        where:
        policies                                   || keys                              | labels
        ['thp()']                                  || ['thp']                           | ['thp()']
        ['thp()', 'hugetlb(pool: 32.GB)']          || ['thp', 'hugetlb-pool-32G']       | ['thp()', 'hugetlb(pool: 32G)']
    }

    def "--seed is accepted and recorded; --no-charts and --no-report skip the charts and the report"() {
        given:
        def out = dir.resolve('out')

        when:
        def o = hugesim('run', HOT_UPGRADE.toString(), '--out', out.toString(), '--seed', '42', '--no-charts', '--no-report')

        then:
        o.code == 0
        o.err == ''
        names(out.resolve('hot-upgrade')) == (KEYS + SUMMARIES).sort()
        KEYS.every { json(out.resolve("hot-upgrade/${it}/result.json")).seed == 42 }
    }

    def "help and version exit 0 and print to stdout: #args"() {
        when:
        def o = hugesim(args as String[])

        then:
        o.code == 0
        o.err == ''
        o.out.startsWith(start)
        contains.every { o.out.contains(it) }

        where:
        args                || start                   | contains
        []                  || 'Usage: hugesim '       | ['run', 'bench', 'help']
        ['--help']          || 'Usage: hugesim '       | ['run', 'bench', 'help']
        ['run', '--help']   || 'Usage: hugesim run '   | ['FILE', '--out', '--policy', '--seed', '--no-charts', '--no-report']
        ['bench', '--help'] || 'Usage: hugesim bench ' | ['FILE', '--iterations']
        ['help', 'run']     || 'Usage: hugesim run '   | ['FILE', '--out']
        ['--version']       || 'hugesim 0.1.0'         | []
    }

    def "the top-level help, made from each command's name and description alone, is the help of the whole command line, and lists each command on one line"() {
        given:
        def full = new StringWriter()
        def summary = new StringWriter()

        when:
        Main.commandLine(null).usage(new PrintWriter(full))
        Main.summary().usage(new PrintWriter(summary))
        def listed = summary.toString().readLines().dropWhile { it != 'Commands:' }.drop(1)

        then:
        summary.toString() == full.toString()
        listed*.trim()*.split(/\s+/)*.getAt(0) == ['run', 'replay', 'sweep', 'plan', 'merge', 'kernel-check', 'bench', 'daemon', 'help']
        listed.every { it.length() <= 80 && it =~ /^  \S/ }
    }

    def "bad input exits 2 with one line FILE:LINE: problem on stderr and writes nothing: #what"() {
        given:
        def p = Files.writeString(Files.createDirectories(dir.resolve('scripts')).resolve(name), text)
        def out = dir.resolve('out')
        int line = lineOf(text, marker)

        when:
        def o = hugesim('run', p.toString(), '--out', out.toString())

        then:
        o.code == 2
        o.out == ''
        o.err.endsWith('\n')
        o.err.readLines().size() == 1
        o.err.startsWith("${p}:${line}: ")
        problems.every { o.err.contains(it) }
        !Files.exists(out)
        names(dir) == ['scripts']

        where:
        [what, name, text, marker, problems] << [
                ['syntax error', 'syntax.groovy', '''\
                    name 'syntax'
                    machine {
                        memory 4.GB
                    }
                    def x = = 3
                    policy thp()
                    run until: 10.s
                    '''.stripIndent(), 'def x = = 3', ['syntax error']],
                ['unknown keyword', 'machin.groovy', '''\
                    name 'machin'
                    machin {
                        memory 4.GB
                    }
                    policy thp()
                    run until: 10.s
                    '''.stripIndent(), 'machin {', ["unknown keyword 'machin'"]],
                ['unknown keyword in machine { }', 'swapp.groovy', '''\
                    name 'swapp'
                    machine {
                        memory 4.GB
                        swapp 1.GB
                    }
                    policy thp()
                    run until: 10.s
                    '''.stripIndent(), 'swapp 1.GB', ["unknown keyword 'swapp' in machine { }"]],
                ['negative size', 'negative.groovy', '''\
                    name 'negative'
                    machine {
                        memory(-1.GB)
                    }
                    policy thp()
                    run until: 10.s
                    '''.stripIndent(), 'memory(-1.GB)', ['memory must be positive']],
                ['negative size written memory -1.GB', 'minus.groovy', '''\
                    name 'minus'
                    machine {
                        memory -1.GB
                    }
                    policy thp()
                    run until: 10.s
                    '''.stripIndent(), 'memory -1.GB', []],
                ['absurd size', 'absurd.groovy', '''\
                    name 'absurd'
                    machine {
                        memory((10**9).TB)
                    }
                    policy thp()
                    run until: 10.s
                    '''.stripIndent(), 'memory((10**9).TB)', ['too large']],
                ['the script throws', 'throws.groovy', '''\
                    name 'throws'
                    machine { memory 4.GB }
                    policy thp()
                    throw new IllegalStateException('boom')
                    run until: 10.s
                    '''.stripIndent(), "throw new IllegalStateException('boom')", ['boom']],
                ['a process body throws', 'body-throws.groovy', '''\
                    name 'body-throws'
                    machine { memory 4.GB }
                    policy thp()
                    process('p') {
                        sleep 1.s
                        throw new IllegalStateException('kaboom')
                    }
                    run until: 10.s
                    '''.stripIndent(), 'kaboom', ['kaboom']],
        ]
    }

    def "a missing file exits 2 with 'FILE: no such file' and writes nothing"() {
        given:
        def p = dir.resolve('nowhere.groovy')
        def out = dir.resolve('out')

        when:
        def o = hugesim('run', p.toString(), '--out', out.toString())

        then:
        o.code == 2
        o.out == ''
        o.err == "${p}: no such file\n".toString()
        names(dir) == []
    }

    def "a --policy that is not a policy exits 2 with one line and writes nothing"() {
        given:
        def out = dir.resolve('out')

        when:
        def o = hugesim('run', HOT_UPGRADE.toString(), '--out', out.toString(), '--policy', '42')

        then:
        o.code == 2
        o.err.readLines() == ["--policy: '42' is not a policy; try e.g. hugetlb(pool: 32.GB), thp(), reservedThp(reserve: 22.GB, overcommit: true)"]
        names(dir) == []
    }

    def "an unknown option exits 2 and shows the usage on stderr"() {
        when:
        def o = hugesim('run', HOT_UPGRADE.toString(), '--out', dir.resolve('out').toString(), '--bogus')

        then:
        o.code == 2
        o.out == ''
        o.err.startsWith("hugesim: Unknown option: '--bogus'")
        o.err.contains('Usage: hugesim run ')
        names(dir) == []
    }

    def "a failing assert in a process body exits 1, naming the line"() {
        given:
        def text = '''\
            name 'body-asserts'
            machine { memory 4.GB }
            policy thp()
            process('p') {
                sleep 1.s
                assert 1 + 1 == 3
            }
            run until: 10.s
            '''.stripIndent()
        def p = Files.writeString(dir.resolve('body-asserts.groovy'), text)

        when:
        def o = hugesim('run', p.toString(), '--out', dir.resolve('out').toString())

        then:
        o.code == 1
        o.err.startsWith("${p}:${lineOf(text, 'assert 1 + 1 == 3')}: assertion failed under thp() (process 'p'): assert 1 + 1 == 3")
    }
}
