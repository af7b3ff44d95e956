package hugesim.dsl

import hugesim.policy.HugetlbPolicy
import hugesim.policy.ReservedThpPolicy
import hugesim.policy.ThpPolicy
import hugesim.units.Bandwidth
import spock.lang.Timeout

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths

/** Loading scenario scripts: what a good script describes, and what a bad one is told. */
class ScenarioLoaderSpec extends ScriptCacheSpecification {
    static final long GiB = 1L << 30
    static final long S = 1_000_000_000L


    Path script(String name, String text) {
        Files.writeString(dir.resolve(name), text)
    }

    /** The 1-based line of the one line of {@code text} that contains {@code marker}. */
    static int lineOf(String text, String marker) {
        def lines = text.readLines()
        def hits = lines.findIndexValues { it.contains(marker) }
        assert hits.size() == 1: "marker '${marker}' must be on exactly one line"
        (hits[0] as int) + 1
    }

    static Set<Thread> liveThreadsNamed(String name) {
        Thread.allStackTraces.keySet().findAll { it.name == name && it.alive } as Set
    }

    def "the hot-upgrade scenario loads with its machine, policies, processes and run length"() {
        when:
        def f = ScenarioLoader.load(Paths.get('..', 'scenarios', 'hot-upgrade.groovy'))
        def s = f.scenario

        then:
        f.path == Paths.get('..', 'scenarios', 'hot-upgrade.groovy').toString()
        f.scriptFile == 'hot-upgrade.groovy'
        s.name() == 'hot-upgrade'
        s.description().startsWith('A 16 GB service starts its 16 GB successor')
        s.policies()*.label() == ['hugetlb(pool: 32G)', 'hugetlb(pool: 22G)',
                                  'reservedThp(reserve: 22G)', 'reservedThp(reserve: 22G, overcommit: true)']
        s.policies() == [new HugetlbPolicy(32 * GiB), new HugetlbPolicy(22 * GiB),
                         new ReservedThpPolicy(22 * GiB, false), new ReservedThpPolicy(22 * GiB, true)]
        s.machine().memory() == 64 * GiB
        s.machine().swap() == 32 * GiB
        s.machine().swapWrite() == new Bandwidth(2 * GiB)
        s.machine().swapRead() == new Bandwidth(3 * GiB)
        s.machine().nodes() == 1
        s.processes()*.name() == ['old', 'new']
        s.processes()*.start() == [0L, 300 * S]
        s.processes().every { !it.admin() }
        s.until() == 900 * S
        s.sample() == S
        s.seed() == 1
    }

    def "pageblockOrder sets CONFIG_PAGE_BLOCK_MAX_ORDER: pageblock_order = min(PMD order, it), before or after arch"() {
        given:
        def p = script("pageblock-${name}.groovy", """\
            name 'pageblock'
            machine {
                ${lines}
                memory 4.GB
            }
            policy thp()
            run until: 10.s
            """.stripIndent())

        when:
        def m = ScenarioLoader.load(p).scenario.machine()

        then:
        m.geometry().arch() == arch
        m.geometry().pageblockSize() == pageblock
        m.describe().pageblock_order == order
        m.describe().pageblock_size == pageblock

        where:
        name      | lines                                           || arch        | order | pageblock
        'arm5'    | "arch 'arm64-64k'; pageblockOrder 5"            || 'arm64-64k' | 5     | 2 * 1024 * 1024
        'first'   | "pageblockOrder 5; arch 'arm64-64k'"            || 'arm64-64k' | 5     | 2 * 1024 * 1024
        'arm'     | "arch 'arm64-64k'"                              || 'arm64-64k' | 13    | 512 * 1024 * 1024
        'x86max'  | 'pageblockOrder 10'                             || 'x86_64'    | 9     | 2 * 1024 * 1024
        'x86low'  | 'pageblockOrder 5'                              || 'x86_64'    | 5     | 128 * 1024
    }

    def "compiled scripts are cached in the directory hugesim.cache names"() {
        given:
        def text = "name 'cached'\nmachine { memory 4.GB }\npolicy thp()\nrun until: 10.s\n"
        def p = script('cached.groovy', text)

        when:
        def first = ScenarioLoader.load(p)
        def entries = Files.list(cache).withCloseable { s -> s.filter { !it.fileName.toString().startsWith('.') }.toList() }
        def second = ScenarioLoader.load(p)

        then:
        first.scenario.name() == 'cached'
        second.scenario.name() == 'cached'
        !entries.isEmpty()
        entries.every { d -> Files.list(d).withCloseable { s -> s.anyMatch { it.fileName.toString().endsWith('.class') } } }
    }

    def "a policy given as text is the policy the script line would make: #expr"() {
        expect:
        ScenarioLoader.policy(expr) == policy

        where:
        expr                                            || policy
        'reservedThp(reserve: 22.GB, overcommit: true)' || new ReservedThpPolicy(22 * GiB, true)
        'reservedThp(reserve: 22.GB)'                   || new ReservedThpPolicy(22 * GiB, false)
        "reservedThp(reserve: 22.GB, chargeAt: 'mmap')" || new ReservedThpPolicy(22 * GiB, false, false, 'fallback', 'mmap')
        'hugetlb(pool: 32.GB)'                          || new HugetlbPolicy(32 * GiB)
        'thp()'                                         || new ThpPolicy()
    }

    def "text that is not a policy is refused with a message that says what a policy looks like"() {
        when:
        ScenarioLoader.policy('42')

        then:
        def e = thrown(ScenarioException)
        e.file == '--policy'
        e.line == -1
        !e.assertion
        e.message == "--policy: '42' is not a policy; try e.g. hugetlb(pool: 32.GB), thp(), reservedThp(reserve: 22.GB, overcommit: true)"
    }

    def "an unknown policy parameter given as text names the known ones"() {
        when:
        ScenarioLoader.policy('reservedThp(reserv: 22.GB)')

        then:
        def e = thrown(ScenarioException)
        e.file == '--policy'
        e.problem == "reservedThp() has no parameter 'reserv'; known: reserve, overcommit, munmapWhole, swapIn, chargeAt"
        !e.message.contains('\n')
    }

    def "a bad script is reported as FILE:LINE: problem on one line: #what"() {
        given:
        def p = script(name, text)
        int line = lineOf(text, marker)

        when:
        ScenarioLoader.load(p)

        then:
        def e = thrown(ScenarioException)
        e.file == p.toString()
        e.line == line
        !e.assertion
        problems.every { e.problem.contains(it) }
        e.message == "${p}:${line}: ${e.problem}".toString()
        !e.message.contains('\n')

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
                    '''.stripIndent(), 'def x = = 3', ['syntax error', "Unexpected input: '='"]],
                ['unknown top-level keyword', 'machin.groovy', '''\
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
                    '''.stripIndent(), 'swapp 1.GB',
                 ["unknown keyword 'swapp' in machine { }", 'known: memory, nodes, swap, migrate, cmdline']],
                ['negative memory', 'negative.groovy', '''\
                    name 'negative'
                    machine {
                        memory(-1.GB)
                    }
                    policy thp()
                    run until: 10.s
                    '''.stripIndent(), 'memory(-1.GB)', ['memory must be positive, got -1073741824 bytes']],
                ['negative swap', 'negswap.groovy', '''\
                    name 'negswap'
                    machine {
                        memory 4.GB
                        swap(-2.GB)
                    }
                    policy thp()
                    run until: 10.s
                    '''.stripIndent(), 'swap(-2.GB)', ['swap must not be negative, got -2147483648 bytes']],
                ['absurd size', 'absurd.groovy', '''\
                    name 'absurd'
                    machine {
                        memory((10**9).TB)
                    }
                    policy thp()
                    run until: 10.s
                    '''.stripIndent(), 'memory((10**9).TB)', ['1000000000.TB is too large: more than 2^63 bytes']],
                ['the script throws', 'throws.groovy', '''\
                    name 'throws'
                    machine { memory 4.GB }
                    policy thp()
                    throw new IllegalStateException('boom')
                    run until: 10.s
                    '''.stripIndent(), "throw new IllegalStateException('boom')", ['boom']],
                ['pageblockOrder above ARCH_FORCE_MAX_ORDER', 'pageblock14.groovy', '''\
                    name 'pageblock14'
                    machine {
                        arch 'arm64-64k'
                        memory 4.GB
                        pageblockOrder 14
                    }
                    policy thp()
                    run until: 10.s
                    '''.stripIndent(), 'pageblockOrder 14',
                 ['pageblockOrder (CONFIG_PAGE_BLOCK_MAX_ORDER) must be 1..13 on arm64-64k, got 14']],
                ['pageblockOrder above MAX_PAGE_ORDER on x86_64', 'pageblock11.groovy', '''\
                    name 'pageblock11'
                    machine {
                        memory 4.GB
                        pageblockOrder 11
                    }
                    policy thp()
                    run until: 10.s
                    '''.stripIndent(), 'pageblockOrder 11',
                 ['pageblockOrder (CONFIG_PAGE_BLOCK_MAX_ORDER) must be 1..10 on x86_64, got 11']],
                ['pageblockOrder 0', 'pageblock0.groovy', '''\
                    name 'pageblock0'
                    machine {
                        memory 4.GB
                        pageblockOrder 0
                    }
                    policy thp()
                    run until: 10.s
                    '''.stripIndent(), 'pageblockOrder 0',
                 ['pageblockOrder (CONFIG_PAGE_BLOCK_MAX_ORDER) must be 1..10 on x86_64, got 0']],
                ['an arch whose range the pageblockOrder given before exceeds', 'pageblock-arch.groovy', '''\
                    name 'pageblock-arch'
                    machine {
                        arch 'arm64-64k'
                        pageblockOrder 13
                        memory 4.GB
                        arch 'x86_64'
                    }
                    policy thp()
                    run until: 10.s
                    '''.stripIndent(), "arch 'x86_64'",
                 ['pageblockOrder (CONFIG_PAGE_BLOCK_MAX_ORDER) must be 1..10 on x86_64, got 13']],
                ['unknown policy parameter', 'reserv.groovy', '''\
                    name 'reserv'
                    machine { memory 64.GB }
                    policy reservedThp(reserv: 22.GB)
                    run until: 10.s
                    '''.stripIndent(), 'reserv: 22.GB',
                 ["reservedThp() has no parameter 'reserv'", 'known: reserve, overcommit']],
        ]
    }

    def "memory -1.GB (read by Groovy as memory minus 1.GB) is told something about memory, not a NullPointerException"() {
        given:
        def text = '''\
            name 'minus'
            machine {
                memory -1.GB
            }
            policy thp()
            run until: 10.s
            '''.stripIndent()
        def p = script('minus.groovy', text)

        when:
        ScenarioLoader.load(p)

        then:
        def e = thrown(ScenarioException)
        e.line == 3
        !e.message.contains('\n')
        e.problem.contains('memory')
        !e.problem.contains('NullPointerException')
        !e.problem.contains('null object')
    }

    def "#line inside machine { } (read by Groovy as a subtraction) is an error on its line, not silently ignored"() {
        given:
        def text = """\
            name 'silent'
            machine {
                memory 4.GB
                swap 8.GB
                ${line}
            }
            policy thp()
            run until: 10.s
            """.stripIndent()
        def p = script('silent.groovy', text)

        when:
        ScenarioLoader.load(p)

        then:
        def e = thrown(ScenarioException)
        e.file == p.toString()
        e.line == 5
        e.problem.contains(keyword)
        !e.message.contains('\n')

        where:
        line         | keyword
        'swap -1.GB' | 'swap'
        'nodes -2'   | 'nodes'
    }

    def "a script named after a primitive type (#file) compiles, and its errors name the file"() {
        given:
        def ok = script(file, "machine { memory 4.GB }\npolicies thp()\nprocess('a') { sleep 1.s }\nrun until: 2.s\n")

        when:
        def s = ScenarioLoader.load(ok).scenario

        then:
        s.policies().size() == 1
        s.processes()*.name() == ['a']

        when: 'the same name with a mistake on line 2'
        ScenarioLoader.load(script(file, "machine { memory 4.GB }\nnoSuchThing 3\n"))

        then:
        def e = thrown(ScenarioException)
        e.message.startsWith("${dir.resolve(file)}:2: ")

        where:
        file << ['long.groovy', 'int.groovy', 'void.groovy']
    }

    def "a missing file is 'no such file', without a line"() {
        given:
        def p = dir.resolve('nowhere.groovy')

        when:
        ScenarioLoader.load(p)

        then:
        def e = thrown(ScenarioException)
        e.file == p.toString()
        e.line == -1
        e.problem == 'no such file'
        e.message == "${p}: no such file".toString()
    }

    def "an exception thrown in a process body while the scenario runs names its line"() {
        given:
        def text = '''\
            name 'body-throws'
            machine { memory 4.GB }
            policy thp()
            process('p') {
                sleep 1.s
                throw new IllegalStateException('kaboom')
            }
            run until: 10.s
            '''.stripIndent()
        def p = script('body-throws.groovy', text)
        def f = ScenarioLoader.load(p)

        when:
        f.runAll()

        then:
        def e = thrown(ScenarioException)
        e.file == p.toString()
        e.line == lineOf(text, 'kaboom')
        e.problem == 'kaboom'
        !e.assertion
        !e.message.contains('\n')
    }

    def "a failing assert in a process body is the scenario's own assertion, not bad input"() {
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
        def p = script('body-asserts.groovy', text)
        def f = ScenarioLoader.load(p)

        when:
        f.runAll()

        then:
        def e = thrown(ScenarioException)
        e.assertion
        e.file == p.toString()
        e.line == lineOf(text, 'assert 1 + 1 == 3')
        e.problem.startsWith('assertion failed under thp(): assert 1 + 1 == 3')
    }

    @Timeout(30)
    def "an endless loop at the top level is stopped when it outlives the budget"() {
        given:
        def text = '''\
            name 'spin'
            machine { memory 4.GB }
            policy thp()
            while (true) { }
            run until: 10.s
            '''.stripIndent()
        def p = script('spin.groovy', text)
        long t0 = System.nanoTime()

        when:
        ScenarioLoader.load(p, 1000)

        then:
        def e = thrown(ScenarioException)
        (System.nanoTime() - t0) < 5 * S
        e.file == p.toString()
        e.line == lineOf(text, 'while (true)')
        e.problem.contains('endless loop')
        !e.assertion
        !e.message.contains('\n')
        liveThreadsNamed('scenario script').isEmpty()
    }

    @Timeout(30)
    def "an endless loop in a process body is stopped and its thread ends"() {
        given:
        String proc = "spinner-${UUID.randomUUID()}"
        def text = """\
            name 'body-spin'
            machine { memory 4.GB }
            policy thp()
            process('${proc}') {
                while (true) { }
            }
            run until: 10.s
            """.stripIndent()
        def p = script('body-spin.groovy', text)
        def f = ScenarioLoader.load(p, 1000)
        long t0 = System.nanoTime()

        when:
        f.runAll()

        then:
        def e = thrown(ScenarioException)
        (System.nanoTime() - t0) < 5 * S
        e.file == p.toString()
        e.problem.contains('endless loop')
        e.problem.contains(proc)
        !e.assertion
        !e.message.contains('\n')
        liveThreadsNamed("process ${proc}").isEmpty()
    }

    @Timeout(30)
    def "an endless loop in a process body names the line it spins on"() {
        given:
        def text = '''\
            name 'body-spin-line'
            machine { memory 4.GB }
            policy thp()
            process('p') {
                long n = 0
                while (true) { n++ }
            }
            run until: 10.s
            '''.stripIndent()
        def p = script('body-spin-line.groovy', text)
        def f = ScenarioLoader.load(p, 1000)

        when:
        f.runAll()

        then:
        def e = thrown(ScenarioException)
        e.line == lineOf(text, 'while (true)')
        e.problem.contains('endless loop')
    }
}
