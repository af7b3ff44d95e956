package hugesim.charts;

import org.knowm.xchart.style.markers.Marker;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.util.List;

/**
 * A panel's legend, drawn beside the plot in a column of fixed width. XChart sizes its own legend to
 * the longest label, which would give each panel a different plot width and misalign the time axes.
 */
final class PanelLegend {
    /** One row: a line sample when {@code stroke} is set, else the series' marker. */
    record Entry(String label, Color color, BasicStroke stroke, Marker marker) {}

    static final int WIDTH = 250;
    static final int ROW = 22;
    private static final int PAD = 8;
    private static final int SAMPLE = 26;
    /** Shared with the plot so legend and data markers match. */
    static final int MARKER_SIZE = 11;
    private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final float MIN_FONT_SIZE = 10f;

    private PanelLegend() {}

    /** Draws the legend vertically centred on {@code centerY}, inside {@code [x, x + width - PAD)}. */
    static void paint(Graphics2D g, List<Entry> entries, int x, int centerY, int width) {
        if (entries.isEmpty()) return;
        int w = width - 2 * PAD, h = entries.size() * ROW + PAD;
        int top = Math.max(4, centerY - h / 2);
        g.setColor(Color.WHITE);
        g.fillRect(x, top, w, h);
        g.setColor(new Color(0xCCCCCC));
        g.setStroke(new BasicStroke(1f));
        g.drawRect(x, top, w, h);

        int textX = x + PAD + SAMPLE + 8;
        int textWidth = x + w - PAD - textX;
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            int mid = top + PAD / 2 + i * ROW + ROW / 2;
            g.setColor(e.color());
            if (e.stroke() != null) {
                g.setStroke(e.stroke());
                g.drawLine(x + PAD, mid, x + PAD + SAMPLE, mid);
            } else if (e.marker() != null) {
                e.marker().paint(g, x + PAD + SAMPLE / 2.0, mid, MARKER_SIZE);
            }
            g.setColor(Color.BLACK);
            drawLabel(g, e.label(), textX, mid, textWidth);
        }
    }

    /** A label too long for the column gets a smaller font first, and is cut only past that. */
    private static void drawLabel(Graphics2D g, String label, int x, int mid, int width) {
        Font f = FONT;
        while (g.getFontMetrics(f).stringWidth(label) > width && f.getSize2D() > MIN_FONT_SIZE) {
            f = f.deriveFont(f.getSize2D() - 1);
        }
        FontMetrics fm = g.getFontMetrics(f);
        String s = label;
        if (fm.stringWidth(s) > width) {
            while (!s.isEmpty() && fm.stringWidth(s + "\u2026") > width) s = s.substring(0, s.length() - 1);
            s = s + "\u2026";
        }
        g.setFont(f);
        g.drawString(s, x, mid + fm.getAscent() / 2 - 1);
    }
}
