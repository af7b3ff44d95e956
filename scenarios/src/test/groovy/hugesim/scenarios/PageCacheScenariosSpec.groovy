package hugesim.scenarios

import hugesim.dsl.Scenarios
import hugesim.dsl.Settings
import hugesim.record.RunResult
import spock.lang.Specification

/**
 * The page cache at work (docs/model.md 5.6), shown by the example scripts, which assert what the kernel's
 * views say at each step; the features add what only the run's record shows.
 */
class PageCacheScenariosSpec extends Specification {
    static long last(RunResult r, String metric) {
        def s = r.series()
        (long) s.value(metric, s.size() - 1)
    }

    def "page-cache: a file cache gives way to an application without swapping (get_scan_count() cache_trim_mode), and refaults through its shadow entries (workingset_refault())"() {
        when:
        def r = Scenarios.run('examples/page-cache.groovy')[0]

        then: "the script's own asserts held"
        r.summary().clean()
        last(r, 'vmstat.pswpout') == 0
        last(r, 'meminfo.Cached') == 64 * 1024          // what the last read brought back after the drop
    }

    def "dirty-throttle: a 2 GiB append to a 150 MB/s disk waits in balance_dirty_pages() and is written back by the flusher"() {
        when:
        def r = Scenarios.run('examples/dirty-throttle.groovy')[0]
        def s = r.series()
        long peakDirty = (0..<s.size()).collect { (long) (s.value('meminfo.Dirty', it) + s.value('meminfo.Writeback', it)) }.max()

        then: "the script's own asserts held"
        r.summary().clean()
        and: 'dirty memory never went past vm.dirty_ratio of about 4 GiB (20 %: 0.8 GiB)'
        peakDirty <= 820 * 1024
        peakDirty >= 700 * 1024
    }

    def "swappiness #swappiness: the batch job's memory comes from #what (get_scan_count() SCAN_FRACT)"() {
        when:
        def r = Scenarios.load('examples/swappiness.groovy').with(new Settings([swappiness: swappiness], null, 0)).runAll()[0]

        then:
        r.summary().clean()
        (last(r, 'vmstat.pswpout') > 0) == swaps
        (last(r, 'meminfo.Cached') < 1024 * 1024) == dropsCache

        where:
        swappiness || swaps | dropsCache | what
        0          || false | true       | 'the page cache alone'
        60         || true  | true       | 'both, mostly the page cache'
        200        || true  | false      | 'swap alone'
    }
}
