package hugesim.charts;

import org.knowm.xchart.XYChart;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.util.ArrayList;
import java.util.List;

/**
 * What XChart cannot draw for us, painted over a panel once the chart has laid itself out: the
 * moments on the time axis (a thin line with its label in the band above the data) and the label of
 * each failure marker beside the marker, on the line it concerns.
 */
final class PanelOverlay {
    /** A failure marker's label, placed at the marker (data coordinates: seconds, and the y axis's unit). */
    record Note(double time, double y, String text, Color color) {}

    /** Rows of moment labels in the headroom band; a label that fits no row is left out, its line stays. */
    static final int ROWS = 3;
    /**
     * Past this many moments (a fleet's starts, idles and exits) full-height lines would grey the plot out:
     * each moment is then a short tick above the time axis, and one line in the band says what they are.
     */
    static final int MAX_MOMENT_LINES = 24;
    private static final int TICK = 8;
    private static final int ROW = 13;
    private static final Font MOMENT_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    private static final Font NOTE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 11);
    private static final Color MOMENT_LINE = new Color(0xB0B0B0);
    private static final Color MOMENT_TEXT = new Color(0x555555);

    private PanelOverlay() {}

    static void paint(Graphics2D g, XYChart chart, List<Moments.Moment> moments, List<Note> notes, double yMax) {
        double top = chart.getScreenYFromChart(yMax), bottom = chart.getScreenYFromChart(0);
        double right = chart.getScreenXFromChart(chart.getStyler().getXAxisMax());
        g.setStroke(new BasicStroke(1f));
        g.setFont(MOMENT_FONT);
        FontMetrics fm = g.getFontMetrics();
        double[] rowEnd = new double[ROWS];
        java.util.Arrays.fill(rowEnd, Double.NEGATIVE_INFINITY);
        if (moments.size() > MAX_MOMENT_LINES) {
            g.setColor(MOMENT_LINE.darker());
            for (Moments.Moment m : moments) {
                int x = (int) Math.round(chart.getScreenXFromChart(m.time()));
                g.drawLine(x, (int) Math.round(bottom) - TICK, x, (int) Math.round(bottom));
            }
            g.setColor(MOMENT_TEXT);
            double left = chart.getScreenXFromChart(chart.getStyler().getXAxisMin());
            g.drawString(moments.size() + " moments (process start, idle, exit): the ticks above the time axis",
                    (float) (left + 3), (float) (top + ROW - 2));
            moments = List.of();
        }
        for (Moments.Moment m : moments) {
            double x = chart.getScreenXFromChart(m.time());
            g.setColor(MOMENT_LINE);
            g.drawLine((int) Math.round(x), (int) Math.round(top), (int) Math.round(x), (int) Math.round(bottom));
            int w = fm.stringWidth(m.label());
            // a label near the right edge goes to the left of its line
            double at = x + w + 3 > right ? x - w - 3 : x + 3;
            for (int r = 0; r < ROWS; r++) {
                if (at > rowEnd[r] + 6) {
                    g.setColor(MOMENT_TEXT);
                    g.drawString(m.label(), (float) at, (float) (top + ROW * (r + 1) - 2));
                    rowEnd[r] = at + w;
                    break;
                }
            }
        }
        g.setFont(NOTE_FONT);
        FontMetrics nm = g.getFontMetrics();
        List<double[]> taken = new ArrayList<>();
        for (Note n : notes) {
            double x = chart.getScreenXFromChart(n.time()) + PanelLegend.MARKER_SIZE / 2.0 + 3;
            double y = chart.getScreenYFromChart(n.y()) - PanelLegend.MARKER_SIZE / 2.0 - 2;
            int w = nm.stringWidth(n.text());
            if (x + w > right) x = chart.getScreenXFromChart(n.time()) - PanelLegend.MARKER_SIZE / 2.0 - 3 - w;
            // notes at the same spot stack upwards rather than overprint
            for (double[] t : taken) {
                if (Math.abs(t[0] - x) < w && Math.abs(t[1] - y) < ROW) y = t[1] - ROW;
            }
            taken.add(new double[] {x, y});
            g.setColor(new Color(255, 255, 255, 220));
            g.fillRect((int) x - 1, (int) (y - nm.getAscent() + 1), w + 2, nm.getAscent() + 1);
            g.setColor(n.color());
            g.drawString(n.text(), (float) x, (float) y);
        }
    }
}
