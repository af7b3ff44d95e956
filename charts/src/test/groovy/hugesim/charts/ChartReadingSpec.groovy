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
import java.nio.file.Path

/** What makes the chart answer at a glance: markers on their line, moments on the time axis, used visible, many policies compared. */
class ChartReadingSpec extends Specification {
    static final double GIB_KB = 1024 * 1024

    @TempDir
    Path tmp

    def "a failed call sits on the used line and a stall or kill on the resident line, each labelled beside its marker"() {
        given: 'used 16 GiB before 300 s, resident 10 GiB at 200 s'
        def r = run('hugetlb(pool: 22G)', 22, failed(1), [
                new Event(200, 'fault_stall', 'new', 'VM_FAULT_OOM at 0x7f00: stalled 4.200 s from 200.000 s'),
                new Event(300, 'mmap_failed', 'new', 'mmap(16G, MAP_HUGETLB) = -ENOMEM'),
                new Event(400, 'oom_kill', 'old', 'Out of memory: Killed process 1 (old)')])

        when:
        def panel = ReservedVsUsedPanel.build(r, SharedAxes.of([r]))
        def series = panel.chart().seriesMap

        then: 'each marker at the value of the line it concerns, at its time'
        series['mmap_failed (ENOMEM)'].YData as List == [32d]
        series.find { it.key.startsWith('fault_stall') }.value.YData as List == [10d]
        series.find { it.key.startsWith('oom_kill') }.value.YData as List == [20d]

        and: 'with the process and what happened beside it'
        panel.notes()*.text() == ['new: stall 4.2 s', 'new: ENOMEM', 'old: OOM-killed']
        panel.notes()*.y() == [10d, 32d, 20d]
    }

    def "starts, idle calls and exits are moments on the time axis; those at one time share a label"() {
        given:
        def r = run('thp()', 22, clean(), [
                new Event(0, 'process_start', 'old', 'pid 1'),
                new Event(0, 'map_huge', 'old', '16G at 0x7f00'),
                new Event(60, 'idle', 'old', '10G at 0x7f00'),
                new Event(300, 'process_start', 'new', 'pid 2'),
                new Event(300, 'process_exit', 'new', 'exit'),
                new Event(300.0001, 'process_exit', 'old', 'exit')])

        expect:
        Moments.of([r], 1.0) == [new Moments.Moment(0, 'old starts'), new Moments.Moment(60, 'old idle'),
                                 new Moments.Moment(300, 'new starts, exits; old exits')]
    }

    def "three or more processes doing the same at one moment are named by their first and last, so that the label stays short"() {
        given:
        def events = [new Event(0, 'process_start', 'postmaster', 'pid 1')] +
                (0..7).collect { new Event(0, 'process_start', "backend${it}".toString(), 'pid') } +
                (0..1).collect { new Event(10, 'process_exit', "backend${it}".toString(), 'exit') } +
                (2..7).collect { new Event(11, 'process_exit', "backend${it}".toString(), 'exit') }
        def r = run('shmemThp()', 22, clean(), events)

        expect:
        Moments.of([r], 1.0) == [new Moments.Moment(0, 'postmaster starts; backend0…backend7 start'),
                                 new Moments.Moment(10, 'backend0 exits; backend1 exits'),
                                 new Moments.Moment(11, 'backend2…backend7 exit')]
    }

    def "drawn for several policies, a moment that happened under only some of them says under how many"() {
        given: 'new exits at 300 s under one policy of three; everyone starts at the same times'
        def starts = [new Event(0, 'process_start', 'old', 'pid 1'), new Event(300, 'process_start', 'new', 'pid 2')]
        def a = run('hugetlb(pool: 32G)', 32, clean(), starts)
        def b = run('hugetlb(pool: 22G)', 22, failed(1), starts + [new Event(300, 'process_exit', 'new', 'exit')])
        def c = run('thp()', 22, clean(), starts)

        expect:
        Moments.of([a, b, c], 1.0) == [new Moments.Moment(0, 'old starts'), new Moments.Moment(300, 'new starts, exits (1 of 3)')]
    }

    def "used is drawn last, dashed, so that it shows where it runs along resident or reserved"() {
        expect:
        ReservedVsUsedPanel.LINES*.metric() == [Metrics.RESERVED, Metrics.RESIDENT, Metrics.SWAP_USED, Metrics.USED]
        ReservedVsUsedPanel.LINES.last().stroke().dashArray != null
        ReservedVsUsedPanel.LINES.last().label() == 'used (promised), on top'
    }

    def "the chart's SVG carries the moment labels and the marker labels as text"() {
        given:
        def r = run('hugetlb(pool: 22G)', 22, failed(1), [new Event(0, 'process_start', 'old', 'pid 1'),
                                                           new Event(300, 'mmap_failed', 'new', 'ENOMEM')])

        when:
        ReservedVsUsedChart.write('hot-upgrade', [r], tmp)
        def texts = svgTexts(tmp.resolve('reserved-vs-used.svg'))

        then:
        texts.containsAll(['old starts', 'new: ENOMEM'])
    }

    def "up to six policies get a panel each; past six, one panel per metric with a line per policy"() {
        given:
        def results = (1..n).collect { run("policy-$it", it, it == 3 ? failed(1) : clean(), it == 3 ? [mmapFailed(300)] : []) }

        when:
        ReservedVsUsedChart.write('many', results, tmp)
        def image = ImageIO.read(tmp.resolve('reserved-vs-used.png').toFile())
        def texts = svgTexts(tmp.resolve('reserved-vs-used.svg'))

        then:
        image.width == width
        image.height == height
        headings.every(texts.&contains)

        where:
        n  || width                                                                   | height                                                                                                      | headings
        6  || 2 * ChartGrid.PANEL_WIDTH                                               | ChartGrid.TITLE_HEIGHT + ChartGrid.SUBTITLE_HEIGHT + 3 * ChartGrid.PANEL_HEIGHT                          | (1..6).collect { "policy-$it" as String }
        7  || ChartGrid.PANEL_WIDTH + ComparisonPanels.LEGEND_WIDTH - PanelLegend.WIDTH | ChartGrid.TITLE_HEIGHT + ChartGrid.SUBTITLE_HEIGHT + 4 * ComparisonPanels.layout(7, 1).panelHeight()       | ['reserved (set aside)', 'resident huge pages', 'swap used', 'used (promised)', '\u2713 policy-1', '\u2717 policy-3', 'mmap_failed']
        21 || ChartGrid.PANEL_WIDTH + ComparisonPanels.LEGEND_WIDTH - PanelLegend.WIDTH | ChartGrid.TITLE_HEIGHT + ChartGrid.SUBTITLE_HEIGHT + 4 * ComparisonPanels.layout(21, 1).panelHeight()      | ['\u2713 policy-21', 'used (promised)']
    }

    def "flat lines still get round time ticks: XChart ticks the data's own times when they are evenly spaced"() {
        given: 'seven policies whose reserved lines are flat from 0 to 900 s (thinned to their two ends)'
        def results = (1..7).collect { flat("policy-$it", 16, 900) }

        when: 'the first panel of the comparison layout is drawn'
        def chart = ComparisonPanels.build(results, SharedAxes.of(results))[0].chart()
        def image = new java.awt.image.BufferedImage(ChartGrid.PANEL_WIDTH, ChartGrid.PANEL_HEIGHT, java.awt.image.BufferedImage.TYPE_INT_RGB)
        chart.paint(image.createGraphics(), ChartGrid.PANEL_WIDTH, ChartGrid.PANEL_HEIGHT)

        then: 'the time axis reads every 100 s, not only 0 and 900'
        chart.axisPair.XAxis.axisTickCalculator.tickLabels == ['0', '100', '200', '300', '400', '500', '600', '700', '800', '900']
    }

    def "the time ticks are multiples of a round step, at most ten intervals apart"() {
        expect:
        ReservedVsUsedPanel.roundTimes(min, max) as List == ticks

        where:
        min | max   || ticks
        0   | 900   || [0, 100, 200, 300, 400, 500, 600, 700, 800, 900]
        0   | 1     || [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]
        0   | 86400 || [0, 10000, 20000, 30000, 40000, 50000, 60000, 70000, 80000]
        30  | 250   || [50, 75, 100, 125, 150, 175, 200, 225, 250]
    }

    def "a run that never reaches 1 GiB is drawn in MiB, so 16 MiB does not read 0.02"() {
        given:
        def small = flat('reservedThp(reserve: 16M)', 16 / 1024, 1)

        when:
        def axes = SharedAxes.of([small])
        def panel = ReservedVsUsedPanel.build(small, axes)

        then:
        axes.unit() == 'MiB'
        axes.yMax() == 20
        panel.chart().seriesMap['reserved (set aside)'].YData as List == [16d, 16d]
        panel.chart().styler.YAxisMax == 20
        SharedAxes.of([run('a', 22, clean())]).unit() == 'GiB'
        SharedAxes.of([flat('thp()', 512 / GIB_KB, 1)]).unit() == 'KiB'
    }

    def "past 24 moments each is a tick above the time axis, and one line says what the ticks are"() {
        given: 'a fleet: 30 processes starting a minute apart'
        def r = run('thp()', 22, clean(), (0..<30).collect { new Event(it * 20, 'process_start', "svc-$it", "pid $it") })

        when:
        ReservedVsUsedChart.write('fleet', [r], tmp)
        def texts = svgTexts(tmp.resolve('reserved-vs-used.svg'))

        then:
        texts.contains('30 moments (process start, idle, exit): the ticks above the time axis')
        !texts.any { it.contains('svc-1 starts') }
    }

    def "a comparison panel is tall enough for a legend row per policy"() {
        expect:
        ComparisonPanels.layout(21, 2).chartHeight() >= (21 + 2) * PanelLegend.ROW
        ComparisonPanels.layout(7, 0).panelHeight() == ChartGrid.PANEL_HEIGHT
    }

    def "each policy's panel alone, as an SVG document, with where its plot lies in the picture"() {
        given:
        def results = [run('a', 22, clean()), run('b', 32, clean())]

        when:
        def svgs = ReservedVsUsedChart.policySvgs(results)

        then:
        svgs*.policy() == ['a', 'b']
        svgs.every { it.svg().contains('<svg') && it.svg().contains('viewBox="0 0 900 350"') }
        svgs.every { p ->
            def a = p.plot()
            0 < a.left() && a.left() < a.right() && a.right() < a.width() &&
                    0 < a.top() && a.top() < a.bottom() && a.bottom() < a.height() &&
                    a.xMin() == 0 && a.xMax() == 600 && a.yMax() == 40
        }
    }

    // Reserved flat, used stepping up at 300 s, resident climbing 1 GiB every 20 s, swap after 300 s.
    static RunResult run(String policy, double reserveGiB, Summary summary, List<Event> events = []) {
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

    /** Every line flat at {@code gib} from 0 to {@code end} seconds, sampled every second. */
    static RunResult flat(String policy, double gib, int end) {
        def series = new Series(Metrics.ALL)
        (0..end).each { int t ->
            double[] row = new double[Metrics.ALL.size()]
            [Metrics.RESERVED, Metrics.USED, Metrics.RESIDENT].each { row[Metrics.ALL.indexOf(it)] = gib * GIB_KB }
            series.add(t, row)
        }
        new RunResult('flat', '', policy, policy.replaceAll(/\W+/, '-'), [:], [:], 42L, clean(), series, [])
    }

    static Event mmapFailed(double t) { new Event(t, 'mmap_failed', 'app-v2', 'ENOMEM') }

    static Summary clean() { new Summary(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Double.NaN) }

    static Summary failed(long calls) { new Summary(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, calls, Double.NaN) }

    static List<String> svgTexts(Path svg) {
        def factory = DocumentBuilderFactory.newInstance()
        factory.setFeature('http://apache.org/xml/features/nonvalidating/load-external-dtd', false)
        def doc = factory.newDocumentBuilder().parse(svg.toFile())
        def nodes = doc.getElementsByTagName('text')
        (0..<nodes.length).collect { nodes.item(it).textContent }
    }
}
