package hugesim.charts;

import org.knowm.xchart.XYChart;

import java.awt.Graphics2D;
import java.io.IOException;

/**
 * Paints a small throw-away chart into both formats, so that the graphics toolkit, its fonts, XChart and
 * the PNG and SVG encoders are loaded and initialised (about half a second) while another thread does
 * other work. Nothing is written; the real charts' bytes do not depend on it.
 */
public final class ChartWarmUp {
    private ChartWarmUp() {}

    public static void run() {
        XYChart chart = new XYChart(160, 120);
        chart.setTitle("warm-up");
        chart.addSeries("s", new double[] {0, 1, 2}, new double[] {0, 2, 1});
        java.util.function.Consumer<Graphics2D> paint = g -> {
            ChartFiles.prepare(g, 160, 120);
            chart.paint(g, 160, 120);
        };
        try {
            ChartFiles.png(160, 120, paint);
            ChartFiles.svg(160, 120, paint);
        } catch (IOException e) {
            // the real charts will meet the same problem and report it
        }
    }
}
