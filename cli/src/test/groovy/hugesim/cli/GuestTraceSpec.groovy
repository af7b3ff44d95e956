package hugesim.cli

import hugesim.cli.kcheck.CheckFailure
import hugesim.cli.kcheck.GuestTrace
import hugesim.dsl.ScenarioLoader
import hugesim.kernel.Trace
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

/** The trace the guest replays: recorded in the model's order, with the model's results, processes as slots. */
class GuestTraceSpec extends Specification {
    @TempDir Path dir

    GuestTrace trace(String body, String machine = 'memory 1.GB') {
        Path f = dir.resolve('t.groovy')
        Files.writeString(f, "machine { ${machine} }\npolicy thp()\n${body}\nrun until: 2.s\n")
        def s = ScenarioLoader.load(f)
        Trace t = new Trace()
        s.run(s.scenario.policies()[0], t)
        GuestTrace.of(t, s.scenario.machine().cmdline(), 't.groovy', f.toString())
    }

    def "processes become slots in the order they act; a forked child is named by its parent's fork line"() {
        when:
        def g = trace("""
process('a') {
    long x = mmap(0, 2.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
    fork { touch x, 4.KB }
    sleep 1.s
    meminfo('MemFree')
}
process('b', start: 500.ms) { vmstat('thp_fault_alloc') }
""")
        def ops = g.lines.findAll { it ==~ /\d+ .*/ }

        then:
        ops[0] == '0 0 start - 0'                              // no cgroup, node 0
        ops[1] ==~ /1 0 mmap 0 2097152 3 34 -1 0 \d+/
        ops[1].split(' ')[-1] as long == 0x7f00_0000_0000L - 2 * 1024 * 1024
        ops[2] == '2 0 fork 1'
        ops[3] ==~ /3 1 touch \d+ 4096/
        ops.find { it.contains(' vmstat ') }.split(' ')[1] == '2'
        ops.last() ==~ /\d+ 0 meminfo MemFree/
        g.lines.contains('slots 3')
        g.lines.find { it.startsWith('counters vmstat ') }.contains('thp_fault_alloc')
    }

    def "a checkpoint carries the model's counters; a call its result"() {
        when:
        Path f = dir.resolve('c.groovy')
        Files.writeString(f, """machine { memory 1.GB; cmdline 'hugepages=2' }
policy thp()
process('p') {
    mmap(0, 6.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB)
    meminfo('HugePages_Free')
}
run until: 1.s
""")
        def s = ScenarioLoader.load(f)
        Trace t = new Trace()
        s.run(s.scenario.policies()[0], t)

        then:
        t.ops()*.name == ['mmap', 'meminfo']
        t.ops()[0].result == -12L
        !t.ops()[0].checkpoint()
        t.ops()[0].where == 'c.groovy:4'
        t.ops()[1].result == 2L
        t.ops()[1].meminfo.HugePages_Total == 2
        t.ops()[1].vmstat.containsKey('thp_fault_alloc')
    }

    def "the RFC's interfaces make /sys/kernel/mm/reserved_thp required"() {
        expect:
        trace("process('p') { madvise(0x7f0000000000L, 2.MB, MADV_RESERVED_THP) }").requires == ['/sys/kernel/mm/reserved_thp'] as Set
        trace("process('p') { meminfo('MemFree') }", "memory 1.GB; cmdline 'thp_reserved_nr=2'").requires == ['/sys/kernel/mm/reserved_thp'] as Set
        trace("process('p') { meminfo('MemFree') }").requires.isEmpty()
    }

    def "a value with a space cannot be replayed: refused with the script line"() {
        when:
        trace("process('p') {\n    sysfs('kernel/mm/transparent_hugepage/enabled', 'a b')\n}")

        then:
        CheckFailure e = thrown()
        e.message == "${dir.resolve('t.groovy')}:4: kernel-check replays only names and values without spaces, got 'a b'"
    }
}
