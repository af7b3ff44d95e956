package hugesim.charts;

import hugesim.charts.ReservedVsUsedPanel.Panel;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.io.IOException;
import java.util.List;

/**
 * Lays panels out in a grid under a title and paints them to PNG or SVG. XChart has no subplots, so
 * each panel paints itself into its own translated cell of one canvas; both formats share that code.
 */
final class ChartGrid {
    static final int PANEL_WIDTH = 900;
    static final int PANEL_HEIGHT = 380;
    static final int TITLE_HEIGHT = 44;
    static final int SUBTITLE_HEIGHT = 22;
    /** Top strip of each cell that holds the panel's heading; the chart gets the rest. */
    static final int HEADING_HEIGHT = 30;

    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 20);
    private static final Font SUBTITLE_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Color CLEAN = new Color(0x1B7837);
    private static final Color FAILED = new Color(0xB2182B);

    private final String title;
    private final String subtitle;
    private final List<Panel> panels;
    private final int columns;
    private final int rows;

    ChartGrid(String title, String subtitle, List<Panel> panels) {
        this.title = title;
        this.subtitle = subtitle == null ? "" : subtitle;
        this.panels = List.copyOf(panels);
        this.columns = columnsFor(panels.size());
        this.rows = (panels.size() + columns - 1) / columns;
    }

    /** Up to three panels read best stacked; more would get too tall, so they go two abreast. */
    static int columnsFor(int panels) {
        return panels <= 3 ? 1 : 2;
    }

    int width() {
        return columns * PANEL_WIDTH;
    }

    int height() {
        return headerHeight() + rows * PANEL_HEIGHT;
    }

    private int headerHeight() {
        return TITLE_HEIGHT + (subtitle.isEmpty() ? 0 : SUBTITLE_HEIGHT);
    }

    byte[] png() throws IOException { return ChartFiles.png(width(), height(), this::paint); }

    byte[] svg() throws IOException { return ChartFiles.svg(width(), height(), this::paint); }

    private void paint(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width(), height());

        TextLine.centered(g, 0, width(), 30, TITLE_FONT, new TextLine.Run(title, Color.BLACK, Font.BOLD));
        if (!subtitle.isEmpty()) {
            TextLine.centered(g, 0, width(), TITLE_HEIGHT + 10, SUBTITLE_FONT,
                    new TextLine.Run(subtitle, new Color(0x444444), Font.PLAIN));
        }

        for (int i = 0; i < panels.size(); i++) {
            Panel p = panels.get(i);
            int x = (i % columns) * PANEL_WIDTH;
            int y = headerHeight() + (i / columns) * PANEL_HEIGHT;
            paintHeading(g, p, x, y);
            int chartWidth = PANEL_WIDTH - PanelLegend.WIDTH, chartHeight = PANEL_HEIGHT - HEADING_HEIGHT;
            Graphics2D cell = (Graphics2D) g.create();
            try {
                cell.translate(x, y + HEADING_HEIGHT);
                p.chart().paint(cell, chartWidth, chartHeight);
            } finally {
                cell.dispose();
            }
            PanelLegend.paint(g, p.legend(), x + chartWidth, y + HEADING_HEIGHT + chartHeight / 2 - 20);
        }
    }

    /** "policy label — verdict" over the plot, the verdict green when clean and red when something failed. */
    private static void paintHeading(Graphics2D g, Panel p, int x, int y) {
        Font font = new Font(Font.SANS_SERIF, Font.BOLD, 14);
        TextLine.Run label = new TextLine.Run(p.label(), Color.BLACK, Font.BOLD);
        if (p.verdict().isEmpty()) {
            TextLine.centered(g, x, PANEL_WIDTH - PanelLegend.WIDTH, y + 22, font, label);
        } else {
            TextLine.centered(g, x, PANEL_WIDTH - PanelLegend.WIDTH, y + 22, font, label,
                    new TextLine.Run("  \u2014  ", Color.GRAY, Font.PLAIN),
                    new TextLine.Run(p.verdict(), p.clean() ? CLEAN : FAILED, Font.BOLD));
        }
    }
}
