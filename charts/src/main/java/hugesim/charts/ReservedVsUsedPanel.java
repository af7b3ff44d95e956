package hugesim.charts;

import hugesim.record.Metrics;
import hugesim.record.RunResult;
import hugesim.record.Series;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Builds one policy's panel: four lines in the axes' unit (GiB, or MiB for a small run) plus its failure markers, on the shared axes. */
final class ReservedVsUsedPanel {
    /** A chart with its heading; the grid draws the heading so that SVG keeps it as searchable text. */
    record Panel(String label, String verdict, boolean clean, XYChart chart, List<PanelLegend.Entry> legend,
                 List<Moments.Moment> moments, List<PanelOverlay.Note> notes, double yMax) {}

    record Line(String metric, String label, Color color, BasicStroke stroke) {}

    // Okabe-Ito colours stay apart for colour-blind readers. "reserved" is drawn first and widest so a
    // line running on top of it leaves a blue edge showing; "used" is drawn last, dashed, so that where
    // it coincides with "resident" or "reserved" the other line shows through its gaps.
    static final List<Line> LINES = List.of(
            new Line(Metrics.RESERVED, "reserved (set aside)", new Color(0x0072B2), solid(5f)),
            new Line(Metrics.RESIDENT, "resident huge pages", new Color(0x009E73), solid(2.5f)),
            new Line(Metrics.SWAP_USED, "swap used", new Color(0xCC79A7), solid(2.5f)),
            new Line(Metrics.USED, "used (promised), on top", new Color(0xE69F00), dashed(2.5f)));
    /** A panel labels at most this many failure markers; the legend still counts them all. */
    private static final int MAX_NOTES = 6;

    // Min/max thinning keeps 4 points per bucket: 500 buckets, a bit more than one per pixel column,
    // so every spike survives.
    static final int MAX_POINTS = 2000;
    private static final String FONT = Font.SANS_SERIF;

    private ReservedVsUsedPanel() {}

    static Panel build(RunResult r, SharedAxes axes) {
        XYChart chart = new XYChart(ChartGrid.PANEL_WIDTH, ChartGrid.PANEL_HEIGHT);
        List<PanelLegend.Entry> legend = new ArrayList<>();
        chart.setXAxisTitle("time (s)");
        chart.setYAxisTitle(axes.unit());
        style(chart.getStyler(), axes);
        timeGuide(chart, axes);

        boolean any = addLines(chart, r.series(), legend, axes);
        for (FailureMarkers.Group g : FailureMarkers.of(r, axes.pixelSeconds())) {
            double[] ys = new double[g.times().length];
            for (int i = 0; i < ys.length; i++) ys[i] = valueAt(r.series(), FailureMarkers.concerns(g.kind()), g.times()[i], axes);
            FailureMarkers.Style s = FailureMarkers.style(g.kind());
            XYSeries series = chart.addSeries(g.label(), g.times(), ys);
            series.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
            series.setMarker(s.marker());
            series.setMarkerColor(s.color());
            legend.add(new PanelLegend.Entry(g.label(), s.color(), null, s.marker()));
            any = true;
        }
        // XChart cannot paint a chart without series; an empty run still gets its axes.
        if (!any) {
            XYSeries none = chart.addSeries("no samples", new double[] {axes.xMin()}, new double[] {0});
            none.setMarker(SeriesMarkers.NONE);
            none.setLineColor(new Color(0, 0, 0, 0));
        }
        boolean clean = r.summary() == null || r.summary().clean();
        String label = r.policy() != null ? r.policy() : String.valueOf(r.policyKey());
        return new Panel(label, Verdict.of(r.summary()), clean, chart, List.copyOf(legend),
                Moments.of(List.of(r), axes.pixelSeconds()), notes(r, axes), axes.yMax());
    }

    /** One label per distinct note, earliest first, so a thousand stalls do not bury the plot. */
    static List<PanelOverlay.Note> notes(RunResult r, SharedAxes axes) {
        List<PanelOverlay.Note> notes = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (var e : FailureMarkers.failures(r)) {
            String text = FailureMarkers.note(e);
            if (notes.size() >= MAX_NOTES || !seen.add(text)) continue;
            notes.add(new PanelOverlay.Note(e.time(), valueAt(r.series(), FailureMarkers.concerns(e.kind()), e.time(), axes),
                    text, FailureMarkers.style(e.kind()).color()));
        }
        return notes;
    }

    /** A metric in the axes' unit at the last sample at or before {@code t}; 0 before the first sample or without samples. */
    static double valueAt(Series s, String metric, double t, SharedAxes axes) {
        if (s == null || s.size() == 0 || !s.names().contains(metric) || t < s.time()[0]) return 0;
        return s.at(metric, t) / axes.kibPerUnit();
    }

    /**
     * An invisible series at round times across the x range, added first. XChart puts the time ticks at the
     * data's own x values when those are evenly spaced, so a panel whose lines are flat (each thinned to its
     * first and last point) showed only the first and last second; with these times among the x values the
     * ticks fall on them, or XChart chooses its own round ticks when the lines have times of their own.
     */
    static void timeGuide(XYChart chart, SharedAxes axes) {
        double[] t = roundTimes(axes.xMin(), axes.xMax());
        XYSeries guide = chart.addSeries("time ticks", t, new double[t.length]);
        guide.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
        guide.setMarker(SeriesMarkers.NONE);
    }

    /** Multiples of a round step (1, 2, 2.5 or 5 times a power of ten) in [min, max], at most 10 intervals apart. */
    static double[] roundTimes(double min, double max) {
        double span = max - min, base = Math.pow(10, Math.floor(Math.log10(span / 10)));
        double step = 10 * base;
        for (double m : new double[] {1, 2, 2.5, 5}) {
            if (m * base * 10 >= span * (1 - 1e-12)) { step = m * base; break; }
        }
        long from = (long) Math.ceil(min / step - 1e-9), to = (long) Math.floor(max / step + 1e-9);
        double[] t = new double[(int) (to - from + 1)];
        // in decimal, so that the third tenth is 0.3 and not 0.30000000000000004
        java.math.BigDecimal decimalStep = java.math.BigDecimal.valueOf(step);
        for (int i = 0; i < t.length; i++) t[i] = decimalStep.multiply(java.math.BigDecimal.valueOf(from + i)).doubleValue();
        return t;
    }

    private static boolean addLines(XYChart chart, Series s, List<PanelLegend.Entry> legend, SharedAxes axes) {
        if (s == null || s.size() == 0) return false;
        double[] t = s.time();
        boolean any = false;
        for (Line line : LINES) {
            if (!s.names().contains(line.metric())) continue;
            double[] v = s.column(line.metric());
            for (int i = 0; i < v.length; i++) v[i] /= axes.kibPerUnit();
            double[][] xy = Decimator.thin(t, v, MAX_POINTS);
            XYSeries series = chart.addSeries(line.label(), xy[0], xy[1]);
            series.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
            series.setMarker(SeriesMarkers.NONE);
            series.setLineColor(line.color());
            series.setLineStyle(line.stroke());
            legend.add(new PanelLegend.Entry(line.label(), line.color(), line.stroke(), null));
            any = true;
        }
        return any;
    }

    static void style(XYStyler st, SharedAxes axes) {
        st.setLocale(Locale.ROOT);
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotBorderColor(new Color(0x999999));
        st.setPlotGridLinesColor(new Color(0xE8E8E8));
        // Solid: VectorGraphics2D writes dashed strokes as outlines, which would bloat the SVG.
        st.setPlotGridLinesStroke(new BasicStroke(1f));
        st.setChartTitleVisible(false);
        st.setAxisTitleFont(new Font(FONT, Font.PLAIN, 13));
        st.setAxisTickLabelsFont(new Font(FONT, Font.PLAIN, 12));
        st.setLegendVisible(false);
        st.setMarkerSize(PanelLegend.MARKER_SIZE);
        st.setXAxisMin(axes.xMin());
        st.setXAxisMax(axes.xMax());
        st.setYAxisMin(0.0);
        st.setYAxisMax(axes.yMax());
        st.setXAxisDecimalPattern("#,##0.###");
        st.setYAxisDecimalPattern("#,##0.##");
        st.setToolTipsEnabled(false);
        st.setCursorEnabled(false);
        st.setZoomEnabled(false);
    }

    static BasicStroke solid(float width) {
        return new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND);
    }

    static BasicStroke dashed(float width) {
        return new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {9f, 5f}, 0f);
    }
}
