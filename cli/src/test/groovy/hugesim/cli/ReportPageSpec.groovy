package hugesim.cli

import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path

/** report.html as a file: self-contained, every text escaped, all sections there. (The browser's view: HtmlReportSpec.) */
class ReportPageSpec extends Specification {
    @Shared @TempDir Path dir
    @Shared String page
    @Shared String cacheBefore

    def setupSpec() {
        cacheBefore = System.getProperty('hugesim.cache')
        System.setProperty('hugesim.cache', dir.resolve('cache').toString())
        def run = RunCommandSpec.hugesim('run', RunCommandSpec.HOT_UPGRADE.toString(), '--out', dir.resolve('out').toString())
        assert run.code == 0: run.err
        page = Files.readString(dir.resolve('out/hot-upgrade/report.html'))
    }

    def cleanupSpec() {
        if (cacheBefore == null) System.clearProperty('hugesim.cache') else System.setProperty('hugesim.cache', cacheBefore)
    }

    /** True when the page holds {@code s}; a failure prints {@code s}, not the whole page. */
    boolean has(String s) { page.contains(s) }

    /** How often the page matches {@code regex}. */
    int count(String regex) { (page =~ regex).size() }

    def "the page loads nothing from outside: no src, no link, no url(), and a policy forbidding every fetch"() {
        expect:
        page.take(32) == '<!DOCTYPE html>\n<html lang="en">'
        has('<meta http-equiv="Content-Security-Policy" content="default-src &#x27;none&#x27;; style-src &#x27;unsafe-inline&#x27;; script-src &#x27;unsafe-inline&#x27;; img-src data:">')
        count(/(?i)\ssrc=/) == 0
        count(/(?i)<link\b/) == 0
        count(/(?i)@import|@font-face/) == 0
        count(/url\((?!#)/) == 0
        count(/(?i)\shref="(?!#)/) == 0
    }

    def "the page has the description, the verdicts, a chart per policy, the summary, the timeline, the machine and the seed"() {
        expect:
        has('<p class="description">A 16 GB service starts its 16 GB successor beside it; 10 GB of the old one is cold.</p>')
        count(/<article class="policy (clean|failed)"/) == 4
        count(/<figure class="chart"/) == 4
        count(/<svg\b/) == 4
        ['id="summary"', 'id="timeline"', 'id="machine"', 'id="reproduce"'].every { has(it) }
        has('<code>hugepages=11264</code>')
        has('<code>thp_reserved_nr=11264</code>')
        has('<dt>seed</dt><dd>1</dd>')
        has('<dt>reserve</dt><dd><code>22.GB</code></dd>')
        has('<dt>version</dt><dd>hugesim 0.1.0</dd>')
    }

    def "the summary says a touch that never finished as the printed table does: never, not Infinity"() {
        expect:
        hugesim.cli.report.SummaryRows.lastTouch(Double.POSITIVE_INFINITY) == 'never'
        hugesim.cli.report.SummaryRows.lastTouch(Double.NaN) == '-'
        hugesim.cli.report.SummaryRows.lastTouch(316) == '316.0 s'
        !has('Infinity')
    }

    def "the timeline lists each process's start, mapHuge, failures, idle and exit in time order"() {
        given: 'hugetlb(pool: 22G), the second policy'
        def section = page.split('<details')[2]
        def old = (section =~ /<th class="text">old<\/th><td class="text">(.*?)<\/td>/)[0][1]
        def nu = (section =~ /<th class="text">new<\/th><td class="text">(.*?)<\/td>/)[0][1]
        def words = { String row -> (row =~ /<\/time>([^<]*)<\/li>/).collect { it[1] } }

        expect:
        words(old) == ['start (pid 1)', 'mapHuge 16G at 0x7efc00000000', 'idle 10G at 0x7efc00000000', 'exit']
        words(nu) == ['start (pid 2)', 'mmap failed: ENOMEM', 'exit']
        nu.contains('<li class="failure ev-mmap_failed"')
    }

    def "a failed call other than mmap or madvise is named in the timeline by its call: #detail"() {
        expect:
        hugesim.cli.report.Timeline.words(new hugesim.record.Event(300, 'syscall_failed', 'new', detail)) == words

        where:
        detail                        || words
        'ftruncate(16G) = -ENOSPC'    || 'ftruncate failed: ENOSPC'
        'memfd_create(MFD_POOL) = -EINVAL' || 'memfd_create failed: EINVAL'
    }

    def "text from the script is escaped, never markup"() {
        given:
        Path script = dir.resolve('odd.groovy')
        Files.writeString(script, """name 'odd'
description '<script>alert(1)</script> & "quotes"'
machine { memory 4.GB }
policy thp()
process('<b>p</b>') { def a = mapHuge 2.MB; touch a, 2.MB }
run until: 1.s
""")

        when:
        def run = RunCommandSpec.hugesim('run', script.toString(), '--out', dir.resolve('odd-out').toString())
        def odd = Files.readString(dir.resolve('odd-out/odd/report.html'))

        then:
        run.code == 0
        odd.contains('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;')
        !odd.contains('<script>alert(1)')
        odd.contains('<th class="text">&lt;b&gt;p&lt;/b&gt;</th>')
        !odd.contains('<b>p</b>')
    }
}
