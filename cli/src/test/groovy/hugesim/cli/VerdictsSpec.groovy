package hugesim.cli

import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

import static hugesim.cli.RunCommandSpec.hugesim
import static hugesim.cli.RunCommandSpec.json
import static hugesim.cli.RunCommandSpec.lineOf
import static hugesim.cli.RunCommandSpec.names

/**
 * What a run's verdict, expectations and outputs promise: a run is clean only when nothing was killed, failed,
 * stalled or warned; expect { } and assert fail one policy's run and set the exit code; every policy writes its
 * outputs; a re-run replaces only what it writes; replay reproduces a run byte for byte.
 */
class VerdictsSpec extends Specification {
    @TempDir Path dir

    Path script(String name, String text) {
        Files.writeString(dir.resolve(name), text.stripIndent())
    }

    def "a touch past the end of its mapping is a SIGSEGV (do_user_addr_fault: no VMA): the run is not clean and says who was killed; its touch never finished"() {
        given:
        def p = script('segv.groovy', '''\
            name 'segv'
            machine { memory 8.GB }
            policy thp()
            process('heap') {
                def a = mapHuge 1.GB
                touch a, 2.GB
            }
            process('quiet') { sleep 1.s }
            run until: 5.s
            ''')

        when:
        def o = hugesim('run', p.toString(), '--out', dir.resolve('out').toString(), '--no-charts')
        def r = json(dir.resolve('out/segv/thp/result.json'))

        then: 'no expectation was declared: a kill alone does not set the exit code, but the verdict says it'
        o.code == 0
        r.summary.clean == false
        r.summary.sigsegv == 1
        r.summary.verdict == 'heap: killed by SIGSEGV at 0.0 s'
        r.summary.last_touch_done_s == 'never'
        r.summary.processes*.name == ['heap', 'quiet']
        r.summary.processes[0].killed_by == 'SIGSEGV'
        r.summary.processes[0].last_touch_done_s == 'never'
        r.summary.processes[1].clean == true
        r.summary.processes[1].last_touch_done_s == null
        r.events.find { it.kind == 'sigsegv' }.signal == 'SIGSEGV'
        and: 'the table says never and names the kill'
        o.out.readLines().find { it.startsWith('thp()') } ==~ /.*never  heap: killed by SIGSEGV at 0\.0 s/
    }

    def "expect { } holds per policy or for all; every policy still runs and writes; exit 1 names the policy and the expectation"() {
        given:
        def text = '''\
            name 'thresholds'
            machine { memory 8.GB }
            policies thp(), hugetlb(pool: 2.GB), hugetlb(pool: 1.GB)
            expect { clean }
            expect(policy: 'hugetlb') { failedCalls == 0 && peak('meminfo.HugePages_Total') <= 512 }
            process('p') {
                def a = mapHuge 1.GB
                touch a, 1.GB
            }
            run until: 2.s
            '''
        def p = script('thresholds.groovy', text)
        int all = lineOf(text.stripIndent(), 'expect { clean }'), hugetlb = lineOf(text.stripIndent(), "expect(policy: 'hugetlb')")

        when:
        def o = hugesim('run', p.toString(), '--out', dir.resolve('out').toString(), '--no-charts')
        def d = dir.resolve('out/thresholds')

        then:
        o.code == 1
        names(d) == ['hugetlb-pool-1G', 'hugetlb-pool-2G', 'report.html', 'summary.csv', 'summary.json', 'thp']
        json(d.resolve('thp/result.json')).expectations == [[expect: 'clean', where: "${p}:${all}".toString(), met: true]]
        json(d.resolve('hugetlb-pool-1G/result.json')).expectations*.met == [true, true]
        json(d.resolve('hugetlb-pool-2G/result.json')).expectations*.met == [true, false]
        o.err.readLines() == ["${p}:${hugetlb}: expectation not met under hugetlb(pool: 2G): expect { failedCalls == 0 && peak('meminfo.HugePages_Total') <= 512 } (clean)".toString()]
        o.out.contains("FAILED hugetlb(pool: 2G): expect { failedCalls == 0 && peak('meminfo.HugePages_Total') <= 512 } (${p}:${hugetlb})")
        o.out.readLines().find { it.startsWith('hugetlb(pool: 2G)') }.endsWith("\u2717 failedCalls == 0 && peak('meminfo.HugePages_Total') <= 512")
        json(d.resolve('summary.json')).policies*.expectations_failed == [[], ["failedCalls == 0 && peak('meminfo.HugePages_Total') <= 512"], []]
    }

    def "an expectation naming an unknown metric is bad input on its line, before anything runs"() {
        given:
        def p = script('typo.groovy', '''\
            machine { memory 8.GB }
            policy thp()
            expect { stallSecs <= 5 }
            process('p') { sleep 1.s }
            run until: 2.s
            ''')

        when:
        def o = hugesim('run', p.toString(), '--out', dir.resolve('out').toString())

        then:
        o.code == 2
        o.err.startsWith("${p}:3: expect { stallSecs <= 5 }: unknown metric 'stallSecs'")
        !Files.exists(dir.resolve('out'))
    }

    def "an assert in a body fails that policy's run only: an event with FILE:LINE, the other policies run and write; --junit has a case per policy and expectation"() {
        given:
        def text = '''\
            name 'asserts'
            machine { memory 8.GB }
            policies thp(), hugetlb(pool: 2.GB)
            expect { peakResident >= 1.GB }
            process('p') {
                def a = mapHuge 1.GB
                touch a, 1.GB
                sleep 1.s
                assert vmstat('thp_fault_alloc') == 512
            }
            run until: 2.s
            '''
        def p = script('asserts.groovy', text)
        int line = lineOf(text.stripIndent(), 'assert vmstat')
        def junit = dir.resolve('ci/junit.xml')

        when:
        def o = hugesim('run', p.toString(), '--out', dir.resolve('out').toString(), '--no-charts', '--junit', junit.toString())
        def thp = json(dir.resolve('out/asserts/thp/result.json'))
        def hugetlb = json(dir.resolve('out/asserts/hugetlb-pool-2G/result.json'))
        def xml = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junit.toFile()).documentElement
        def cases = (0..<xml.getElementsByTagName('testcase').length).collect { xml.getElementsByTagName('testcase').item(it) }

        then:
        o.code == 1
        o.err.startsWith("${p}:${line}: assertion failed under hugetlb(pool: 2G) (process 'p'): assert vmstat('thp_fault_alloc') == 512")
        thp.summary.clean
        hugetlb.summary.asserts_failed == 1
        hugetlb.summary.processes[0].killed_by == 'assert'
        def e = hugetlb.events.find { it.kind == 'assert_failed' }
        e.file == p.toString()
        e.line == line
        e.process == 'p'
        and: 'JUnit: per policy its asserts and its expectation'
        cases.collect { "${it.getAttribute('classname')} ${it.getAttribute('name')}".toString() } == [
                'asserts.thp() asserts', 'asserts.thp() expect { peakResident >= 1.GB }',
                'asserts.hugetlb(pool: 2G) asserts', 'asserts.hugetlb(pool: 2G) expect { peakResident >= 1.GB }']
        cases.findAll { it.getElementsByTagName('failure').length > 0 }.collect { "${it.getAttribute('classname')} ${it.getAttribute('name')}".toString() } == ['asserts.hugetlb(pool: 2G) asserts']
        xml.getAttribute('failures') == '1'
    }

    def "a scenario naming no policy runs once on the machine as its cmdline boots it, and --policy works on it too"() {
        given:
        def p = script('plain.groovy', '''\
            name 'plain'
            machine { memory 4.GB; cmdline 'hugepages=16' }
            process('p') {
                long a = mmap(0, 32.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB)
                assert a > 0
                touch a, 32.MB
                assert meminfo('HugePages_Free') == 0
            }
            run until: 1.s
            ''')

        when:
        def booted = hugesim('run', p.toString(), '--out', dir.resolve('out').toString(), '--no-charts')
        def r = json(dir.resolve('out/plain/as-booted/result.json'))
        def thp = hugesim('run', p.toString(), '--out', dir.resolve('out').toString(), '--no-charts', '--policy', 'thp()')

        then:
        booted.code == 0
        booted.out.readLines()[3].startsWith('as booted ')
        r.policy.name == 'as booted'
        r.policy.expression == 'asBooted()'
        r.machine.cmdline == 'hugepages=16'
        r.summary.clean
        thp.code == 0
        names(dir.resolve('out/plain')) == ['as-booted', 'report.html', 'summary.csv', 'summary.json', 'thp']
    }

    def "re-running into the same --out replaces only what the run writes: --policy 'thp()' keeps the other policies' folders"() {
        given:
        def out = dir.resolve('out')
        def hot = RunCommandSpec.HOT_UPGRADE.toString()
        hugesim('run', hot, '--out', out.toString(), '--no-charts')
        def before = RunCommandSpec.files(out.resolve('hot-upgrade/hugetlb-pool-32G'))

        when:
        def o = hugesim('run', hot, '--out', out.toString(), '--no-charts', '--policy', 'thp()')

        then:
        o.code == 0
        names(out.resolve('hot-upgrade')) == (RunCommandSpec.KEYS + ['thp', 'report.html'] + RunCommandSpec.SUMMARIES).sort()
        RunCommandSpec.files(out.resolve('hot-upgrade/hugetlb-pool-32G')).every { k, v -> Arrays.equals(v, before[k]) }
        json(out.resolve('hot-upgrade/summary.json')).policies*.policy == ['thp()']
    }

    def "summary.json and summary.csv hold one row per policy with its verdict; peak swap used is apart from the total swapped out"() {
        given:
        def out = dir.resolve('out')

        when:
        hugesim('run', RunCommandSpec.HOT_UPGRADE.toString(), '--out', out.toString(), '--no-charts')
        def s = json(out.resolve('hot-upgrade/summary.json'))
        def csv = Files.readAllLines(out.resolve('hot-upgrade/summary.csv'))

        then:
        s.format == 2
        s.policies*.key == RunCommandSpec.KEYS
        s.policies*.verdict == ['clean', 'new: mmap ENOMEM', 'new: madvise EAGAIN', 'clean']
        s.policies[3].peak_swap_used_bytes == 10 * RunCommandSpec.GiB
        s.policies[3].swapped_out_bytes == 10 * RunCommandSpec.GiB
        csv.size() == 5
        csv[0].startsWith('policy,key,clean,verdict,expectations_failed,')
        csv[4].startsWith('"reservedThp(reserve: 22G, overcommit: true)",reservedThp-reserve-22G-overcommit,true,clean,,')
    }

    def "result.json carries its format, the hugesim version, the script's text and SHA-256, the seed and every parameter"() {
        given:
        def out = dir.resolve('out')
        hugesim('run', RunCommandSpec.HOT_UPGRADE.toString(), '--out', out.toString(), '--no-charts', '--set', 'reserve=24.GB')
        def r = json(out.resolve('hot-upgrade/reservedThp-reserve-24G/result.json'))
        def text = Files.readString(RunCommandSpec.HOT_UPGRADE)

        expect:
        r.format == 2
        r.hugesim ==~ /\d+\.\d+\.\d+(-SNAPSHOT)?/
        r.script.path == RunCommandSpec.HOT_UPGRADE.toString()
        r.script.text == text
        r.script.sha256 == java.security.MessageDigest.getInstance('SHA-256').digest(text.getBytes('UTF-8')).encodeHex().toString()
        r.seed == 1
        r.parameters == [reserve: '24.GB', coldShare: '0.625', overlap: '300.s', device: "'ssd'", release: "'mainline'"]
    }

    def "replay re-runs exactly the recorded run: byte for byte is exit 0, a difference is exit 1 naming the line"() {
        given:
        def out = dir.resolve('out')
        hugesim('run', RunCommandSpec.HOT_UPGRADE.toString(), '--out', out.toString(), '--no-charts', '--seed', '7', '--set', 'coldShare=0.5')
        def result = out.resolve('hot-upgrade/reservedThp-reserve-22G-overcommit/result.json')

        when:
        def same = hugesim('replay', result.toString())

        then:
        same.code == 0
        same.out.readLines() == ['result.json: reproduced byte for byte', 'series.csv: reproduced byte for byte']

        when: 'a recorded number is changed'
        def csv = result.resolveSibling('series.csv')
        def lines = Files.readAllLines(csv)
        lines[2] = lines[2].replaceFirst(/^1,/, '1.5,')
        Files.write(csv, lines)
        def changed = hugesim('replay', result.toString())

        then:
        changed.code == 1
        changed.out.readLines()[0] == 'result.json: reproduced byte for byte'
        changed.out.readLines()[1].startsWith("series.csv: differs: line 3: recorded '1.5,")
    }
}
