package hugesim.charts;

import hugesim.experiment.Metric;
import hugesim.experiment.Stats;
import hugesim.experiment.SweepSpec;
import hugesim.experiment.SweepSummary;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A sweep's charts, one per metric ({@code <metric>.png} and {@code .svg}, and {@code goal.png} when the
 * sweep has a goal): with one swept parameter, the metric against it, one line per policy with its 95 %
 * confidence band; with two, a heatmap per policy; with none, a bar per policy with its interval. Shares
 * (clean, goal) are in percent with Wilson intervals; sizes in GiB.
 */
public final class SweepCharts {
    static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd),
            new Color(0xff7f0e), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf), new Color(0x7f7f7f), new Color(0xbcbd22)};
    private static final int WIDTH = 1300, HEIGHT = 600, CELL_W = 560, CELL_H = 440;

    private SweepCharts() {}

    /** One value per group: a metric's mean and interval, or a share in percent. */
    private record Value(double mean, double low, double high) {}

    public static void write(SweepSpec spec, List<SweepSummary.Group> groups, List<Metric> metrics, Path dir) throws IOException {
        if (spec.swept().size() > 2) return; // no chart reads well over three or more swept parameters
        List<String> names = new ArrayList<>();
        for (Metric m : metrics) names.add(m.name());
        if (spec.goal() != null) names.add("goal");
        for (String name : names) {
            Value[][] v = values(spec, groups, name);
            String what = title(name);
            switch (spec.swept().size()) {
                case 0 -> ChartFiles.write(dir, name, WIDTH, HEIGHT, g -> bars(spec, v, what).paint(g, WIDTH, HEIGHT));
                case 1 -> ChartFiles.write(dir, name, WIDTH, HEIGHT, g -> lines(spec, v, what).paint(g, WIDTH, HEIGHT));
                default -> heatmaps(spec, v, what, name, dir);
            }
        }
    }

    /** values[policy][point] */
    private static Value[][] values(SweepSpec spec, List<SweepSummary.Group> groups, String name) {
        Value[][] out = new Value[spec.policies().size()][spec.points()];
        for (SweepSummary.Group g : groups) {
            Value v;
            if (name.equals("goal") || name.equals("clean")) {
                Stats.Share s = name.equals("goal") ? g.goal() : g.clean();
                v = new Value(100 * s.share(), 100 * s.low(), 100 * s.high());
            } else {
                Metric m = Metric.named(name);
                Stats.Mean s = g.get(m);
                double f = m.unit.equals("bytes") ? 1.0 / (1L << 30) : 1;
                v = new Value(s.mean() * f, s.low() * f, s.high() * f);
            }
            out[g.policy()][g.point()] = v;
        }
        return out;
    }

    private static String title(String name) {
        if (name.equals("goal")) return "runs meeting the goal (%)";
        if (name.equals("clean")) return "clean runs (%)";
        Metric m = Metric.named(name);
        return name + (m.unit.equals("bytes") ? " (GiB)" : m.unit.equals("s") ? " (s)" : "");
    }

    private static XYChart lines(SweepSpec spec, Value[][] v, String what) {
        SweepSpec.Swept p = spec.swept().get(0);
        AxisValues axis = AxisValues.of(p.name(), p.values());
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title(spec.scenario() + ": " + what + " by " + p.name() + " (mean, 95 % interval; " + runs(spec) + ")")
                .xAxisTitle(axis.title()).yAxisTitle(what).build();
        style(c.getStyler());
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        if (!axis.numeric()) c.setCustomXAxisTickLabelsFormatter(x -> label(axis, x));
        for (int i = 0; i < v.length; i++) {
            Color color = PALETTE[i % PALETTE.length];
            double[] y = new double[v[i].length], lo = new double[y.length], hi = new double[y.length];
            boolean band = true;
            for (int j = 0; j < y.length; j++) {
                y[j] = v[i][j].mean();
                lo[j] = v[i][j].low();
                hi[j] = v[i][j].high();
                band &= !Double.isNaN(lo[j]) && !Double.isNaN(hi[j]) && hi[j] > lo[j];
            }
            String name = spec.policies().get(i).name();
            if (band) {
                double[] bx = new double[2 * y.length], by = new double[2 * y.length];
                for (int j = 0; j < y.length; j++) {
                    bx[j] = axis.x()[j];
                    by[j] = hi[j];
                    bx[2 * y.length - 1 - j] = axis.x()[j];
                    by[2 * y.length - 1 - j] = lo[j];
                }
                XYSeries b = c.addSeries(name + " (95 %)", bx, by);
                b.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
                b.setFillColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 50));
                b.setLineColor(new Color(0, 0, 0, 0));
                b.setMarker(SeriesMarkers.NONE);
                b.setShowInLegend(false);
            }
            double[] finite = Arrays.stream(y).map(d -> Double.isNaN(d) ? 0 : d).toArray();
            XYSeries s = c.addSeries(name, axis.x(), finite);
            s.setLineColor(color);
            s.setMarkerColor(color);
            s.setMarker(SeriesMarkers.CIRCLE);
            // lines that coincide stay visible: later ones are thinner and dashed over earlier ones
            s.setLineWidth(Math.max(1.2f, 3.5f - 0.7f * i));
        }
        return c;
    }

    private static String label(AxisValues axis, double x) {
        int i = (int) Math.round(x);
        return i >= 0 && i < axis.labels().size() && Math.abs(x - i) < 1e-9 ? axis.labels().get(i) : "";
    }

    private static CategoryChart bars(SweepSpec spec, Value[][] v, String what) {
        CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title(spec.scenario() + ": " + what + " (mean, 95 % interval; " + runs(spec) + ")")
                .yAxisTitle(what).build();
        style(c.getStyler());
        c.getStyler().setLegendVisible(false);
        List<String> x = new ArrayList<>();
        List<Double> y = new ArrayList<>(), err = new ArrayList<>();
        for (int i = 0; i < v.length; i++) {
            x.add(spec.policies().get(i).name());
            Value val = v[i][0];
            y.add(Double.isNaN(val.mean()) ? 0 : val.mean());
            err.add(Double.isNaN(val.high()) ? 0 : Math.max(val.high() - val.mean(), val.mean() - val.low()));
        }
        c.addSeries(what, x, y, err).setFillColor(PALETTE[0]);
        return c;
    }

    private static void heatmaps(SweepSpec spec, Value[][] v, String what, String name, Path dir) throws IOException {
        SweepSpec.Swept a = spec.swept().get(0), b = spec.swept().get(1);
        int n = v.length, cols = Math.min(2, n), rows = (n + cols - 1) / cols;
        int width = cols * CELL_W, height = 50 + rows * CELL_H;
        // one colour scale for every panel, so that the policies compare at a glance
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (Value[] row : v) for (Value x : row) if (!Double.isNaN(x.mean())) { min = Math.min(min, x.mean()); max = Math.max(max, x.mean()); }
        if (!(max > min)) { min = Double.isInfinite(min) ? 0 : min; max = min + 1; }
        double lo = min, hi = max;
        ChartFiles.write(dir, name, width, height, g -> {
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            String title = spec.scenario() + ": " + what + " (mean of " + runs(spec).replace(" each", "") + ") by " + a.name() + " and " + b.name();
            g.drawString(title, Math.max(10, (width - g.getFontMetrics().stringWidth(title)) / 2), 30);
            for (int i = 0; i < n; i++) {
                HeatMapChart h = new HeatMapChartBuilder().width(CELL_W).height(CELL_H).title(spec.policies().get(i).name())
                        .xAxisTitle(a.name()).yAxisTitle(b.name()).build();
                style(h.getStyler());
                h.getStyler().setShowValue(true);
                h.getStyler().setMin(lo);
                h.getStyler().setMax(hi);
                h.getStyler().setLegendVisible(true);
                h.getStyler().setRangeColors(new Color[] {new Color(0xf7fbff), new Color(0x6baed6), new Color(0x08306b)});
                List<Number[]> heat = new ArrayList<>();
                for (int p = 0; p < spec.points(); p++) {
                    int ia = p / b.values().size(), ib = p % b.values().size();
                    double m = v[i][p].mean();
                    heat.add(new Number[] {ia, ib, Double.isNaN(m) ? 0 : Math.round(m * 100) / 100.0});
                }
                h.addSeries(what, a.values(), b.values(), heat);
                Graphics2D cell = (Graphics2D) g.create();
                try {
                    cell.translate((i % cols) * CELL_W, 50 + (i / cols) * CELL_H);
                    h.paint(cell, CELL_W, CELL_H);
                } finally {
                    cell.dispose();
                }
            }
        });
    }

    private static String runs(SweepSpec spec) {
        return spec.replications() == 1 ? "1 run each" : spec.replications() + " runs each";
    }

    static void style(Styler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        if (s instanceof org.knowm.xchart.style.AxesChartStyler a) a.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setLegendBorderColor(Color.WHITE);
        s.setPlotBorderVisible(false);
        s.setChartTitleBoxVisible(false);
    }
}
