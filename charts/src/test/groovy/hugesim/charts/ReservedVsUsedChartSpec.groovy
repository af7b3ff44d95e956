package hugesim.charts

import hugesim.record.Event
import hugesim.record.Metrics
import hugesim.record.RunResult
import hugesim.record.Series
import hugesim.record.Summary
import spock.lang.Specification
import spock.lang.TempDir

import javax.imageio.ImageIO
import javax.xml.parsers.DocumentBuilderFactory
import java.nio.file.Files
import java.nio.file.Path

class ReservedVsUsedChartSpec extends Specification {
    static final double GIB_KB = 1024 * 1024

    @TempDir
    Path tmp

    def "writes a PNG and an SVG with one panel per policy, stacked"() {
        given:
        def results = [
                run('reservedThp(reserve: 22G, overcommit: true)', 22, clean()),
                run('hugetlb(pages: 11264 & no overcommit)', 22, failed(1), [mmapFailed(300)]),
                run('thp(enabled: <always>)', 0, clean()),
        ]

        when:
        ReservedVsUsedChart.write('hot-upgrade', results, tmp)
        def png = tmp.resolve('reserved-vs-used.png')
        def svg = tmp.resolve('reserved-vs-used.svg')

        then:
        Files.isRegularFile(png)
        Files.isRegularFile(svg)

        and: 'three panels stack in one column under the title and the description line'
        def image = ImageIO.read(png.toFile())
        image.width == ChartGrid.PANEL_WIDTH
        image.height == ChartGrid.TITLE_HEIGHT + ChartGrid.SUBTITLE_HEIGHT + 3 * ChartGrid.PANEL_HEIGHT

        and: 'the SVG is well-formed and keeps the title and every policy label as text'
        def texts = svgTexts(svg)
        texts.contains('hot-upgrade: huge memory reserved vs used')
        results.every { r -> texts.contains(r.policy()) }
        texts.contains('clean')
        texts.contains('1 failed call, 0 stalls, 0 OOM kills')
    }

    def "more than three policies go two abreast"() {
        given:
        def results = (1..5).collect { run("policy-$it", it * 4, clean()) }

        when:
        ReservedVsUsedChart.write('many', results, tmp)
        def image = ImageIO.read(tmp.resolve('reserved-vs-used.png').toFile())

        then:
        image.width == 2 * ChartGrid.PANEL_WIDTH
        image.height == ChartGrid.TITLE_HEIGHT + ChartGrid.SUBTITLE_HEIGHT + 3 * ChartGrid.PANEL_HEIGHT
    }

    def "the same inputs give byte-identical files"() {
        given:
        def results = [
                run('reservedThp(reserve: 22G, overcommit: true)', 22, clean()),
                run('hugetlbCma(cma: 24G)', 24, failed(1), [mmapFailed(300), new Event(340, 'fault_stall', 'app', 'VM_FAULT_OOM')]),
        ]
        def first = tmp.resolve('first')
        def second = tmp.resolve('second')

        when:
        ReservedVsUsedChart.write('hot-upgrade', results, first)
        ReservedVsUsedChart.write('hot-upgrade', results, second)
        ReservedVsUsedChart.write('hot-upgrade', results, first)

        then:
        ['reserved-vs-used.png', 'reserved-vs-used.svg'].every { name ->
            Arrays.equals(Files.readAllBytes(first.resolve(name)), Files.readAllBytes(second.resolve(name)))
        }

        and: 'no temporary files are left behind'
        Files.list(first).withCloseable { it.count() } == 2
    }

    def "a run without samples or events still gets its panel"() {
        given:
        def empty = new RunResult('idle', '', 'none()', 'none', [:], [:], 1L, clean(),
                new Series(Metrics.ALL), [])

        when:
        ReservedVsUsedChart.write('idle', [empty], tmp)
        def image = ImageIO.read(tmp.resolve('reserved-vs-used.png').toFile())

        then: 'no description, so no description line'
        image.width == ChartGrid.PANEL_WIDTH
        image.height == ChartGrid.TITLE_HEIGHT + ChartGrid.PANEL_HEIGHT
        svgTexts(tmp.resolve('reserved-vs-used.svg')).contains('none()')
    }

    def "no results is an error, not an empty chart"() {
        when:
        ReservedVsUsedChart.write('nothing', [], tmp)

        then:
        thrown(IllegalArgumentException)
    }

    // Reserved flat, used stepping up at 300 s, resident climbing to the reserve, swap after that.
    private static RunResult run(String policy, double reserveGiB, Summary summary, List<Event> events = []) {
        def series = new Series(Metrics.ALL)
        [0, 100, 200, 300, 400, 500, 600].each { int t ->
            double[] row = new double[Metrics.ALL.size()]
            row[Metrics.ALL.indexOf(Metrics.RESERVED)] = reserveGiB * GIB_KB
            row[Metrics.ALL.indexOf(Metrics.USED)] = (t < 300 ? 16 : 32) * GIB_KB
            row[Metrics.ALL.indexOf(Metrics.RESIDENT)] = Math.min(reserveGiB, t / 20.0) * GIB_KB
            row[Metrics.ALL.indexOf(Metrics.SWAP_USED)] = Math.max(0, t - 300) / 30.0 * GIB_KB
            series.add(t, row)
        }
        new RunResult('hot-upgrade', 'Restart a service next to its old copy.', policy,
                policy.replaceAll(/\W+/, '-'), [:], [:], 42L, summary, series, events)
    }

    private static Event mmapFailed(double t) {
        new Event(t, 'mmap_failed', 'app-v2', 'ENOMEM')
    }

    private static Summary clean() {
        new Summary(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Double.NaN)
    }

    private static Summary failed(long calls) {
        new Summary(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, calls, Double.NaN)
    }

    /** Text content of every {@code <text>} element; the DTD is not fetched. */
    private static List<String> svgTexts(Path svg) {
        def factory = DocumentBuilderFactory.newInstance()
        factory.setFeature('http://apache.org/xml/features/nonvalidating/load-external-dtd', false)
        def doc = factory.newDocumentBuilder().parse(svg.toFile())
        def nodes = doc.getElementsByTagName('text')
        (0..<nodes.length).collect { nodes.item(it).textContent }
    }
}
