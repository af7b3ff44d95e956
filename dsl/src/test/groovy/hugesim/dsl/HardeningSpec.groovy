package hugesim.dsl

import hugesim.scenario.Scenario
import spock.lang.Timeout

import java.nio.file.Files

/**
 * What a careless script must not do: run model code after its run ended, spin for ever, wrap a size past
 * 64 bits, or ask for more samples than the heap holds. Each ends in one line naming the script's line.
 */
class HardeningSpec extends ScriptCacheSpecification {
    static int lineOf(String text, String marker) {
        def hits = text.readLines().findIndexValues { it.contains(marker) }
        assert hits.size() == 1: "marker '${marker}' must be on exactly one line"
        (hits[0] as int) + 1
    }

    /** The wall-clock backstop is the default (120 s) unless a feature is about it: a loaded machine must not fail these. */
    ScenarioFile load(String text, long wallMillis = ScenarioLoader.DEFAULT_BUDGET_MILLIS) {
        ScenarioLoader.load(Files.writeString(dir.resolve('s.groovy'), text), wallMillis)
    }

    ScenarioException fails(String text, long wallMillis = ScenarioLoader.DEFAULT_BUDGET_MILLIS) {
        try {
            def f = load(text, wallMillis)
            f.run(f.scenario.policies()[0])
        } catch (ScenarioException e) {
            return e
        }
        throw new AssertionError('the script ran without an error')
    }

    static List<Thread> liveThreadsNamed(String name) {
        Thread.allStackTraces.keySet().findAll { it.name == name && it.alive }.toList()
    }

    @Timeout(30)
    def "a body that catches the end of the run and carries on gets the stop again at its next model call"() {
        given:
        String proc = "late-${UUID.randomUUID()}"
        def f = load("""\
            machine { memory 4.GB }
            policy thp()
            process('${proc}') {
                def h = mapHuge 64.MB
                try { sleep 100.s } catch (e) { touch h, 64.MB; throw new IllegalStateException('model code ran after the end') }
            }
            run until: 10.s
            """.stripIndent())

        when:
        def r = f.run(f.scenario.policies()[0])

        then: 'the touch after the end never ran: the run ends as if the body had not caught anything'
        r.series().column('meminfo.AnonHugePages').every { it == 0 }
        liveThreadsNamed("process ${proc}").isEmpty()
    }

    @Timeout(30)
    def "a body that catches its exit and loops is stopped at its next loop step; the run ends"() {
        given:
        String proc = "spin-after-exit-${UUID.randomUUID()}"
        def f = load("""\
            machine { memory 4.GB }
            policy thp()
            process('${proc}') {
                try { exit() } catch (Throwable e) { while (true) { try { } catch (Throwable t) { } } }
            }
            run until: 10.s
            """.stripIndent())

        when:
        def r = f.run(f.scenario.policies()[0])

        then:
        r.events('process_exit').size() == 1
        liveThreadsNamed("process ${proc}").isEmpty()
    }

    @Timeout(30)
    def "a body that catches the end of the run and loops is stopped too (the JVM is never held)"() {
        given:
        String proc = "spin-after-end-${UUID.randomUUID()}"
        def f = load("""\
            machine { memory 4.GB }
            policy thp()
            process('${proc}') {
                try { sleep 100.s } catch (e) { while (true) { } }
            }
            run until: 10.s
            """.stripIndent())

        when:
        f.run(f.scenario.policies()[0])

        then:
        notThrown(ScenarioException)
        liveThreadsNamed("process ${proc}").isEmpty()
    }

    @Timeout(60)
    def "a body that keeps the CPU after the end outside any loop fails the run after the budget, naming the process"() {
        given: 'a wall-clock backstop of 2 s'
        def f = load('''\
            machine { memory 4.GB }
            policy thp()
            process('sleeper') {
                try { sleep 100.s } catch (e) { Thread.sleep(30_000) }
            }
            run until: 10.s
            '''.stripIndent(), 2000)

        when:
        f.run(f.scenario.policies()[0])

        then:
        def e = thrown(ScenarioException)
        e.problem.contains("process 'sleeper' kept running")
        !e.message.contains('\n')
    }

    @Timeout(60)
    def "the runaway guard counts the body's own steps, so catching the stop does not keep a spinning body alive"() {
        given:
        def text = '''\
            machine { memory 4.GB }
            policy thp()
            process('p') {
                long n = 0
                while (true) { try { n++ } catch (Throwable t) { } }
            }
            run until: 10.s
            '''.stripIndent()

        when: 'the wall-clock backstop is far away: the step count stops the body'
        def e = fails(text)

        then:
        e.line == lineOf(text, 'while (true)')
        e.problem.contains("process 'p' ran ${String.format(Locale.ROOT, '%,d', Steps.budget())} steps")
        e.problem.contains('without advancing simulated time (an endless loop?')
    }

    def "a body that loops a million times but lets time pass is no runaway, whatever the load"() {
        given:
        def f = load('''\
            machine { memory 4.GB }
            policy thp()
            process('p') {
                long n = 0
                for (int i = 0; i < 1_000_000; i++) { n += i; if (i % 100_000 == 0) sleep 1.ms }
                assert n == 499999500000L
            }
            run until: 10.s
            '''.stripIndent())

        when:
        f.run(f.scenario.policies()[0])

        then:
        notThrown(ScenarioException)
    }

    def "declaring 10,000 processes loads in linear time (under 2 s of CPU, whatever the machine's load)"() {
        given:
        def text = '''\
            machine { memory 64.GB }
            policy thp()
            10_000.times { i -> process("p$i", start: 1.s) { sleep 1.s } }
            run until: 2.s
            '''.stripIndent()
        def type = ScriptCompiler.compileClass(text, 'fleet.groovy')
        Closure<Scenario> evaluate = {
            def script = ScriptCompiler.instance(type)
            script.run()
            script.toScenario('fleet')
        }
        evaluate()    // the JIT warms up on a first evaluation
        def cpu = java.lang.management.ManagementFactory.threadMXBean

        when: 'the CPU time of the evaluating thread, not wall-clock time, which the load stretches'
        long t0 = cpu.currentThreadCpuTime
        def scenario = evaluate()
        double seconds = (cpu.currentThreadCpuTime - t0) / 1e9

        then:
        scenario.processes().size() == 10_000
        seconds < 2
    }

    def "size arithmetic that overflows 64 bits is an error on its line, not a wrap: #expr"() {
        given:
        def text = "machine {\n    memory ${expr}\n}\npolicy thp()\nrun until: 1.s\n"

        when:
        def e = fails(text)

        then:
        e.line == 2
        e.problem.contains(message)

        where:
        expr                          | message
        '1.GB * 17179869185L'         | '1073741824 * 17179869185 = 18446744074783293440 overflows 64 bits'
        '8.GB + 9223372036854775807L' | 'overflows 64 bits'
        '(-9223372036854775807L - 8.GB)' | 'overflows 64 bits'
        '2048 * 1024 * 1024'          | '2097152 * 1024 = 2147483648 does not fit a 32-bit int'
    }

    def "exact arithmetic keeps Groovy's own meaning for everything else"() {
        given:
        def f = load('''\
            name 'arith'
            def t = 300.s + 10.s - 5.s
            def label = 'a' + 1 + [2]
            machine { memory 4.GB * 2 - 1.GB + 1.GB; swap 1.5 * 2 > 2 ? 2.GB : 0 }
            policy thp()
            process('p', start: t) { assert label == 'a1[2]'; def x = 1.0 * 3; assert x == 3.0; long n = 5; n -= 2; n *= 3; assert n == 9 }
            run until: 400.s
            '''.stripIndent())

        expect:
        f.scenario.machine().memory() == 8L << 30
        f.scenario.machine().swap() == 2L << 30
        f.scenario.processes()[0].start() == 305_000_000_000L
        f.run(f.scenario.policies()[0]).events('process_start').size() == 1
    }

    def "swap and memory past the model's limits are refused naming the limit, never truncated: #what"() {
        when:
        def e = fails("machine {\n    memory 8.GB\n    ${line}\n}\npolicy thp()\nrun until: 1.s\n")

        then:
        e.line == 3
        e.problem.contains(message)

        where:
        what                  | line                           | message
        'swap of 2^53 bytes'  | 'swap 9007199254740992L'       | "swap 8P is more than the model's limit of 2^31 - 1 swap clusters of 2M (just under 4P)"
        'swap of 8 PiB'       | 'swap 8192.TB'                 | "limit of 2^31 - 1 swap clusters"
        'memory of 8 PiB'     | 'memory 8192.TB'               | "memory 8P is more than the model's limit of 2^31 - 1 blocks of 2M (just under 4P)"
        'swap as text'        | "swap '8GB'"                   | "swap needs a size like 32.GB, got '8GB'"
    }

    def "a swap device or kernel the model does not have is refused on its line: #what"() {
        when:
        def e = fails("machine {\n    memory 8.GB\n    ${line}\n}\npolicy thp()\nrun until: 1.s\n")

        then:
        e.line == 3
        e.problem.contains(message)

        where:
        what                     | line                                      | message
        'an unknown device'      | "swap 1.GB, device: 'nvme'"               | "unknown swap device 'nvme'; known: 'ssd' (the default), 'hdd', 'zram'"
        'a ratio without zram'   | "swap 1.GB, ratio: 2.0"                   | "swap ratio: is zram's compression ratio; give device: 'zram' with it"
        'a ratio below 1'        | "swap 1.GB, device: 'zram', ratio: 0.5"   | "swap ratio: must be at least 1 (no compression), got 0.5"
        'a swap file on zram'    | "swap 1.GB, device: 'zram', file: true"   | "a swap file cannot live on zram"
        'an unknown kernel'      | "kernel '5.10'"                           | "unknown kernel '5.10'; known: 'mainline' (the default), '6.1'"
    }

    def "a swap just under the limit is modelled in full (SwapTotal is what was asked)"() {
        given:
        long swap = (1L << 40)
        def f = load("machine { memory 4.GB; swap ${swap}L }\npolicy thp()\nrun until: 1.s, sample: 1.s\n")

        expect:
        f.run(f.scenario.policies()[0]).series().column('meminfo.SwapTotal')[0] == swap / 1024
    }

    def "more samples than half the heap holds are refused up front with the figure and how to raise it"() {
        given:
        long heap = Runtime.runtime.maxMemory()
        long samples = heap / Scenario.BYTES_PER_SAMPLE    // twice what half the heap holds
        def text = "machine { memory 4.GB }\npolicy thp()\nrun until: ${samples}.ms, sample: 1.ms\n"

        when:
        def e = fails(text)

        then:
        e.line == 3
        e.problem.contains('samples:')
        e.problem.contains("more than half of this JVM's heap (${hugesim.units.Size.human(heap)})")
        e.problem.contains('HUGESIM_JAVA_OPTS=-Xmx')
        e.problem.contains('a coarser sample:')
    }

    def "the sample check counts every policy's series"() {
        given:
        long perPolicy = (long) (Runtime.runtime.maxMemory() / 2 / Scenario.BYTES_PER_SAMPLE * 0.6)
        def text = "machine { memory 4.GB }\nrun until: ${perPolicy}.ms, sample: 1.ms\npolicies thp(), thp()\n"

        when:
        def e = fails(text)

        then:
        e.line == 3
        e.problem.contains('for 2 policies')
    }

    def "a process that starts after the run ends is a script_warning event, not silence, and the run is not clean"() {
        given:
        def f = load("machine { memory 4.GB }\npolicy thp()\nprocess('late', start: 20.s) { sleep 1.s }\nrun until: 10.s\n")

        when:
        def r = f.run(f.scenario.policies()[0])

        then:
        r.events('script_warning')*.detail() == ['starts at 20s, after the run ends at 10s: it never runs']
        r.events('process_start').isEmpty()
        !r.summary().clean()
        r.summary().scriptWarnings() == 1
        r.summary().verdict() == 'script: 1 warning'
    }
}
