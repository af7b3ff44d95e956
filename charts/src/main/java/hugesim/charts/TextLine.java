package hugesim.charts;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;

/**
 * Draws one line of text made of differently styled runs, centred in a span. Drawn with
 * {@code drawString} so that SVG output keeps it as text a reader can search and copy.
 */
final class TextLine {
    record Run(String text, Color color, int style) {}

    private static final int MARGIN = 16;
    private static final float MIN_SIZE = 10f;

    private TextLine() {}

    /** Shrinks the font, down to a floor, until the line fits; past the floor the line overflows its span. */
    static void centered(Graphics2D g, int x, int span, int baseline, Font font, Run... runs) {
        Font f = font;
        while (width(g, f, runs) > span - 2 * MARGIN && f.getSize2D() > MIN_SIZE) f = f.deriveFont(f.getSize2D() - 1);
        int at = x + Math.max(MARGIN, (span - width(g, f, runs)) / 2);
        for (Run r : runs) {
            Font rf = f.deriveFont(r.style());
            // SVG collapses leading and trailing spaces, so spacing is done by moving the pen.
            String lead = r.text().substring(0, r.text().length() - r.text().stripLeading().length());
            if (!r.text().isBlank()) {
                g.setFont(rf);
                g.setColor(r.color());
                g.drawString(r.text().strip(), at + g.getFontMetrics(rf).stringWidth(lead), baseline);
            }
            at += g.getFontMetrics(rf).stringWidth(r.text());
        }
    }

    private static int width(Graphics2D g, Font f, Run... runs) {
        int w = 0;
        for (Run r : runs) w += g.getFontMetrics(f.deriveFont(r.style())).stringWidth(r.text());
        return w;
    }
}
