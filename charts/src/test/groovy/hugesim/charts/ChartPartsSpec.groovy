package hugesim.charts

import hugesim.record.Event
import hugesim.record.RunResult
import hugesim.record.Summary
import spock.lang.Specification

class ChartPartsSpec extends Specification {

    def "verdict says clean or counts what went wrong"() {
        expect:
        Verdict.of(summary(calls, stalls, stallSeconds, sigbus, kills)) == text

        where:
        calls | stalls | stallSeconds | sigbus | kills || text
        0     | 0      | 0            | 0      | 0     || 'clean'
        1     | 3      | 0            | 0      | 0     || '1 failed call, 3 stalls, 0 OOM kills'
        0     | 1      | 2.5          | 0      | 1     || '0 failed calls, 1 stall (2.5 s), 1 OOM kill'
        2     | 0      | 0            | 1      | 0     || '2 failed calls, 0 stalls, 1 SIGBUS, 0 OOM kills'
        0     | 4      | 1234         | 0      | 0     || '0 failed calls, 4 stalls (1,234 s), 0 OOM kills'
    }

    def "a run that is not clean says why: SIGSEGV kills, failed asserts, kernel and script warnings are named when they happened"() {
        expect:
        Verdict.of(new Summary(0, 0, 0, 0, 0, 0, 1, 4.0, 0, 0, 0, Double.NaN, 0, 0, 0, sigsegv, warnings, asserts, scripts, [])) == text

        where:
        sigsegv | warnings | asserts | scripts || text
        2       | 0        | 0       | 0       || '0 failed calls, 1 stall (4.0 s), 2 SIGSEGV, 0 OOM kills'
        0       | 1        | 0       | 0       || '0 failed calls, 1 stall (4.0 s), 0 OOM kills, 1 kernel warning'
        0       | 0        | 3       | 0       || '0 failed calls, 1 stall (4.0 s), 0 OOM kills, 3 failed asserts'
        0       | 0        | 0       | 2       || '0 failed calls, 1 stall (4.0 s), 0 OOM kills, 2 script warnings'
    }

    def "failure labels carry the errno or a short detail, and a count when there are several"() {
        expect:
        FailureMarkers.label(kind, details.collect { new Event(1, kind, 'p', it) }) == label

        where:
        kind             | details                                 || label
        'mmap_failed'    | ['ENOMEM']                              || 'mmap_failed (ENOMEM)'
        'mmap_failed'    | ['mmap 16G MAP_HUGETLB: ENOMEM']        || 'mmap_failed (ENOMEM)'
        'mmap_failed'    | ['ENOMEM', 'mmap: ENOMEM', 'ENOMEM']    || 'mmap_failed (ENOMEM) \u00d73'
        'madvise_failed' | ['EINVAL', 'ENOMEM']                    || 'madvise_failed \u00d72'
        'oom_kill'       | ['db', 'app-v1']                        || 'oom_kill (db, app-v1) \u00d72'
        'oom_kill'       | ['app-v1']                              || 'oom_kill (app-v1)'
        'fault_stall'    | ['VM_FAULT_OOM while faulting 0x7f00']  || 'fault_stall'
        'fault_stall'    | ['VM_FAULT_OOM']                        || 'fault_stall'
        'fault_stall'    | ['', '']                                || 'fault_stall \u00d72'
    }

    def "markers closer than the resolution merge, the label still counts every event"() {
        given:
        def events = [0, 0.2, 0.5, 3, 3.1, 9].collect { new Event(it, 'fault_stall', 'p', '') }
        def run = new RunResult('s', '', 'p', 'p', [:], [:], 1L, null, null, events)

        when:
        def groups = FailureMarkers.of(run, 1.0)

        then:
        groups.size() == 1
        groups[0].times() == [0, 3, 9] as double[]
        groups[0].label() == 'fault_stall \u00d76'
    }

    def "failure kinds are ordered the same way in every panel"() {
        expect:
        ['oom_kill', 'zzz', 'mmap_failed', 'fault_stall', 'aaa'].sort(false, FailureMarkers.KIND_ORDER) ==
                ['mmap_failed', 'fault_stall', 'oom_kill', 'aaa', 'zzz']
    }

    def "the y axis tops out at a round number above the data"() {
        expect:
        SharedAxes.niceCeil(v) == top

        where:
        v     || top
        36.8  || 40
        25.3  || 30
        11    || 12
        0.7   || 0.8
        100   || 100
    }

    def "thinning keeps the corners of straight runs and the extremes of each bucket"() {
        given:
        double[] x = (0..<100_000).collect { it as double } as double[]
        double[] y = (0..<100_000).collect { it == 54_321 ? 99.0 : (it < 50_000 ? 1.0 : (it % 7) as double) } as double[]

        when:
        def xy = Decimator.thin(x, y, 4000)

        then:
        xy[0].length <= 4000
        xy[0][0] == 0d && xy[0][-1] == 99_999d
        xy[1].max() == 99d
        (1..<xy[0].length).every { xy[0][it] > xy[0][it - 1] }

        when: 'a short line loses only the points in the middle of straight runs'
        def small = Decimator.thin([0, 1, 2, 3, 4, 5, 6] as double[], [5, 5, 5, 6, 7, 8, 8] as double[], 4000)

        then:
        small[0] == [0, 2, 5, 6] as double[]
        small[1] == [5, 5, 8, 8] as double[]
    }

    private static Summary summary(long calls, long stalls, double stallSeconds, long sigbus, long kills) {
        new Summary(0, 0, 0, 0, 0, 0, stalls, stallSeconds, kills, sigbus, calls, Double.NaN)
    }
}
