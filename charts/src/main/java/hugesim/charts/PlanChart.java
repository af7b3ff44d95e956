package hugesim.charts;

import hugesim.experiment.Planner;
import hugesim.experiment.SweepSpec;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A plan's chart ({@code plan.png}, {@code plan.svg}): the share of runs meeting the goal at each value the
 * planner evaluated, one line per policy, with the lower end of its 95 % Wilson interval dashed and the
 * confidence asked for as a horizontal line; each policy's answer is a diamond, and named in the legend.
 */
public final class PlanChart {
    public static final String PNG_FILE = "plan.png";
    private static final int WIDTH = 1300, HEIGHT = 600;

    private PlanChart() {}

    public static void write(SweepSpec spec, List<Planner.Result> results, Predicate<Planner.Outcome> holds, double confidence, Path dir)
            throws IOException {
        SweepSpec.Swept p = spec.swept().get(0);
        AxisValues axis = AxisValues.of(p.name(), p.values());
        ChartFiles.write(dir, "plan", WIDTH, HEIGHT, g -> {
            XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                    .title(spec.scenario() + ": runs meeting " + spec.goal() + " by " + p.name())
                    .xAxisTitle(axis.title()).yAxisTitle("runs meeting the goal (%)").build();
            SweepCharts.style(c.getStyler());
            c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
            c.getStyler().setYAxisMin(0.0);
            c.getStyler().setYAxisMax(105.0);
            XYSeries target = c.addSeries("asked: " + Math.round(confidence * 1000) / 10.0 + " %",
                    new double[] {axis.x()[0], axis.x()[axis.x().length - 1]}, new double[] {100 * confidence, 100 * confidence});
            target.setLineColor(Color.GRAY);
            target.setMarker(SeriesMarkers.NONE);
            target.setLineStyle(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
            for (Planner.Result r : results) {
                Color color = SweepCharts.PALETTE[r.policy() % SweepCharts.PALETTE.length];
                int n = r.evaluated().size();
                double[] x = new double[n], y = new double[n], low = new double[n];
                int i = 0;
                for (Map.Entry<Integer, Planner.Outcome> e : r.evaluated().entrySet()) {
                    x[i] = axis.x()[e.getKey()];
                    y[i] = 100 * e.getValue().share().share();
                    low[i] = 100 * (e.getValue().certain() ? e.getValue().share().share() : e.getValue().share().low());
                    i++;
                }
                // offset each policy's line a little so that lines at 0 % and 100 % stay apart
                double dy = 0.8 * r.policy();
                String name = spec.policies().get(r.policy()).name();
                String answer = r.answer() < 0 ? "none" : r.answer() == 0 && spec.policies().get(r.policy()).constant() ? "any" : p.values().get(r.answer());
                XYSeries s = c.addSeries(name + ": " + answer, x, shift(y, dy));
                s.setLineColor(color);
                s.setMarkerColor(color);
                s.setMarker(SeriesMarkers.CIRCLE);
                if (r.evaluated().values().stream().anyMatch(o -> !o.certain())) {
                    XYSeries l = c.addSeries(name + " (95 % lower bound)", x, shift(low, dy));
                    l.setLineColor(color);
                    l.setMarker(SeriesMarkers.NONE);
                    l.setLineStyle(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {3, 3}, 0));
                    l.setShowInLegend(false);
                }
                if (r.answer() >= 0) {
                    XYSeries a = c.addSeries(name + " (answer)",
                            new double[] {axis.x()[r.answer()]}, new double[] {100 * r.evaluated().get(r.answer()).share().share() + dy});
                    a.setMarker(SeriesMarkers.DIAMOND);
                    a.setMarkerColor(color);
                    a.setLineColor(color);
                    a.setShowInLegend(false);
                }
            }
            c.paint(g, WIDTH, HEIGHT);
        });
    }

    private static double[] shift(double[] y, double dy) {
        double[] out = y.clone();
        for (int i = 0; i < out.length; i++) out[i] += dy;
        return out;
    }
}
