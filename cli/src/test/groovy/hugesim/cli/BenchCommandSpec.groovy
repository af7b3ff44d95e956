package hugesim.cli

import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths

import static hugesim.cli.RunCommandSpec.hugesim
import static hugesim.cli.RunCommandSpec.json

/** {@code hugesim bench}: engine figures per policy against the array floor, kept as JSON and compared. */
class BenchCommandSpec extends Specification {
    static final Path THP = Paths.get('..', 'scenarios', 'kernel', 's17-thp-fault-basics.groovy')
    static final Path HOT_UPGRADE = Paths.get('..', 'scenarios', 'hot-upgrade.groovy')

    @TempDir Path dir

    def "bench times every policy, writes the figures as JSON and compares a later bench against them"() {
        given:
        Path first = dir.resolve('first.json')

        when:
        def run = hugesim('bench', '--iterations', '1', '--json', first.toString(), THP.toString())

        then:
        run.code == 0
        run.out.readLines()[0].split(/\s{2,}|\s(?=\S)/).toList().containsAll(['median', 'cpu', 'floor', 'heap'])
        def rows = new com.fasterxml.jackson.databind.ObjectMapper().readValue(first.toFile(), List)
        rows.size() == run.out.readLines().size() - 1
        rows.every { it.scenario == 's17-thp-fault-basics' && it.medianMs > 0 && it.cpuMs >= 0 && it.peakHeapMiB > 0 }

        and: 'a run with THP faults has a floor; the ratio is printed beside it'
        rows.any { it.floorMs > 0 }
        run.out.readLines().drop(1).any { it =~ /\d+\.\dx/ }

        when: 'the same bench again, compared with the first'
        def again = hugesim('bench', '--iterations', '1', '--compare', first.toString(), THP.toString())

        then: 'each row says how median, CPU and heap moved'
        again.code == 0
        again.out.readLines().drop(1).every { it =~ /\([+-]\d+\.\d % median, [+-]\d+\.\d % cpu, [+-]\d+\.\d % heap\)/ }
    }

    def "a run without THP faults has no floor: it is shown as a dash, kept as -1"() {
        given:
        Path f = dir.resolve('hugetlb.json')
        Path script = dir.resolve('pool.groovy')
        Files.writeString(script, '''
            name 'pool-only'
            machine { memory 4.GB }
            policies hugetlb(pool: 1.GB)
            process('p') {
                long a = mmap(0, 512.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB)
                touch a, 512.MB
            }
            run until: 10.s, sample: 1.s
        '''.stripIndent())

        when:
        def run = hugesim('bench', '--iterations', '1', '--json', f.toString(), script.toString())

        then:
        run.code == 0
        run.out.readLines()[1] =~ /\s-\s+-\s/
        new com.fasterxml.jackson.databind.ObjectMapper().readValue(f.toFile(), List)[0].floorMs == -1
    }

    def "bench takes the run's --set and --policy, and a parameter the script does not declare stops it before any timing"() {
        given:
        Path script = dir.resolve('procs.groovy')
        Files.writeString(script, '''
            name 'procs'
            def n = param('n', 1)
            machine { memory 4.GB }
            policies thp(), hugetlb(pool: 1.GB)
            n.times { i -> process("p$i") { long a = mapHuge 2.MB; touch a, 2.MB } }
            run until: 2.s, sample: 1.s
        '''.stripIndent())
        Path f = dir.resolve('b.json')

        when:
        def run = hugesim('bench', '--iterations', '1', '--set', 'n=3', '--policy', 'thp()', '--json', f.toString(), script.toString())

        then: 'one row, for the policy given, whose run faulted THPs (it has a floor)'
        run.code == 0
        def rows = new com.fasterxml.jackson.databind.ObjectMapper().readValue(f.toFile(), List)
        rows*.policy == ['thp()']
        rows[0].floorMs > 0

        when:
        def bad = hugesim('bench', '--iterations', '1', '--set', 'm=3', script.toString())

        then:
        bad.code == Main.BAD_INPUT
        bad.out.isEmpty()
        bad.err.contains("the script declares no parameter 'm'")
    }

    def "an unreadable --compare file is bad input"() {
        expect:
        hugesim('bench', '--compare', dir.resolve('missing.json').toString(), THP.toString()).code == Main.BAD_INPUT
    }

    def "bench --startup splits a fresh run into phases and times --help"() {
        when:
        def run = hugesim('bench', '--startup', '--iterations', '1', HOT_UPGRADE.toString())

        then:
        run.code == 0
        ['jvm to main', 'options', 'script load', 'engine', 'files', 'table', 'exit', 'total'].every { phase ->
            run.out.readLines().any { it =~ /^\s+${java.util.regex.Pattern.quote(phase)}\s+\d+\.\d{3} s$/ }
        }
        run.out =~ /hugesim --help: \d+\.\d{3} s/
    }
}
