package hugesim.charts;

import hugesim.record.RunResult;
import hugesim.record.Series;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The layout for many policies: one panel per metric (reserved, resident, swap used, used), one line
 * per policy, so that a line is compared with its neighbours rather than searched for across a
 * wall of small panels. A failure marker sits on its policy's line in the panel of the metric it concerns.
 */
final class ComparisonPanels {
    /** Above this many policies the per-policy grid gives way to this layout. */
    static final int MAX_GRID_POLICIES = 6;
    static final int LEGEND_WIDTH = 380;

    // Tableau 10: ten hues that stay apart on white; past ten, the hues repeat dashed.
    private static final int[] PALETTE = {0x4E79A7, 0xF28E2B, 0xE15759, 0x76B7B2, 0x59A14F,
            0xEDC948, 0xB07AA1, 0xFF9DA7, 0x9C755F, 0x79706E};

    private ComparisonPanels() {}

    static ChartGrid.Layout layout(int policies, int markerKinds) {
        int legendHeight = (policies + markerKinds) * PanelLegend.ROW + 2 * PanelLegend.ROW;
        int height = Math.max(ChartGrid.PANEL_HEIGHT, ChartGrid.HEADING_HEIGHT + legendHeight);
        return new ChartGrid.Layout(1, ChartGrid.PANEL_WIDTH + LEGEND_WIDTH - PanelLegend.WIDTH, height, LEGEND_WIDTH);
    }

    static List<ReservedVsUsedPanel.Panel> build(List<RunResult> results, SharedAxes axes) {
        List<ReservedVsUsedPanel.Panel> panels = new ArrayList<>();
        for (ReservedVsUsedPanel.Line line : ReservedVsUsedPanel.LINES) panels.add(panel(line, results, axes));
        return panels;
    }

    static Color color(int i) {
        return new Color(PALETTE[i % PALETTE.length]);
    }

    static BasicStroke stroke(int i) {
        return i < PALETTE.length ? ReservedVsUsedPanel.solid(2f) : ReservedVsUsedPanel.dashed(2f);
    }

    private static ReservedVsUsedPanel.Panel panel(ReservedVsUsedPanel.Line line, List<RunResult> results, SharedAxes axes) {
        XYChart chart = new XYChart(ChartGrid.PANEL_WIDTH, ChartGrid.PANEL_HEIGHT);
        chart.setXAxisTitle("time (s)");
        chart.setYAxisTitle(axes.unit());
        ReservedVsUsedPanel.style(chart.getStyler(), axes);
        ReservedVsUsedPanel.timeGuide(chart, axes);
        List<PanelLegend.Entry> legend = new ArrayList<>();
        Set<String> markerKinds = new LinkedHashSet<>();
        boolean any = false;
        for (int i = 0; i < results.size(); i++) {
            RunResult r = results.get(i);
            Series s = r.series();
            // a policy's verdict rides in its legend entry: a tick when clean, a cross when not
            boolean clean = r.summary() == null || r.summary().clean();
            String label = (clean ? "\u2713 " : "\u2717 ") + (r.policy() != null ? r.policy() : r.policyKey());
            legend.add(new PanelLegend.Entry(label, color(i), stroke(i), null));
            if (s == null || s.size() == 0 || !s.names().contains(line.metric())) continue;
            double[] v = s.column(line.metric());
            for (int k = 0; k < v.length; k++) v[k] /= axes.kibPerUnit();
            double[][] xy = Decimator.thin(s.time(), v, ReservedVsUsedPanel.MAX_POINTS);
            // XChart keys series by name: the index keeps two policies with one label apart
            XYSeries series = chart.addSeries(i + " " + label, xy[0], xy[1]);
            series.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
            series.setMarker(SeriesMarkers.NONE);
            series.setLineColor(color(i));
            series.setLineStyle(stroke(i));
            any = true;
            for (FailureMarkers.Group g : FailureMarkers.of(r, axes.pixelSeconds())) {
                if (!FailureMarkers.concerns(g.kind()).equals(line.metric())) continue;
                double[] ys = new double[g.times().length];
                for (int k = 0; k < ys.length; k++) ys[k] = ReservedVsUsedPanel.valueAt(s, line.metric(), g.times()[k], axes);
                FailureMarkers.Style st = FailureMarkers.style(g.kind());
                XYSeries m = chart.addSeries(i + " " + g.kind(), g.times(), ys);
                m.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
                m.setMarker(st.marker());
                m.setMarkerColor(st.color());
                markerKinds.add(g.kind());
            }
        }
        for (String kind : markerKinds) {
            FailureMarkers.Style st = FailureMarkers.style(kind);
            legend.add(new PanelLegend.Entry(kind, st.color(), null, st.marker()));
        }
        if (!any) {
            XYSeries none = chart.addSeries("no samples", new double[] {axes.xMin()}, new double[] {0});
            none.setMarker(SeriesMarkers.NONE);
            none.setLineColor(new Color(0, 0, 0, 0));
        }
        // with a line per policy, labels beside each marker would overprint: the legend names the kinds
        return new ReservedVsUsedPanel.Panel(line.label().replace(", on top", ""), "", true, chart, List.copyOf(legend),
                Moments.of(results, axes.pixelSeconds()), List.of(), axes.yMax());
    }
}
