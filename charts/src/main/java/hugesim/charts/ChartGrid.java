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

    /** How cells are sized and arranged; the legend column is part of a cell's width. */
    record Layout(int columns, int panelWidth, int panelHeight, int legendWidth) {
        int chartWidth() { return panelWidth - legendWidth; }

        int chartHeight() { return panelHeight - HEADING_HEIGHT; }
    }

    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 20);
    private static final Font SUBTITLE_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    static final Color CLEAN = new Color(0x1B7837);
    static final Color FAILED = new Color(0xB2182B);

    private final String title;
    private final String subtitle;
    private final List<Panel> panels;
    private final Layout layout;
    private final int rows;

    ChartGrid(String title, String subtitle, List<Panel> panels) {
        this(title, subtitle, panels, new Layout(columnsFor(panels.size()), PANEL_WIDTH, PANEL_HEIGHT, PanelLegend.WIDTH));
    }

    ChartGrid(String title, String subtitle, List<Panel> panels, Layout layout) {
        this.title = title;
        this.subtitle = subtitle == null ? "" : subtitle;
        this.panels = List.copyOf(panels);
        this.layout = layout;
        this.rows = (panels.size() + layout.columns() - 1) / layout.columns();
    }

    /** Up to three panels read best stacked; more would get too tall, so they go two abreast. */
    static int columnsFor(int panels) {
        return panels <= 3 ? 1 : 2;
    }

    int width() {
        return layout.columns() * layout.panelWidth();
    }

    int height() {
        return headerHeight() + rows * layout.panelHeight();
    }

    private int headerHeight() {
        return TITLE_HEIGHT + (subtitle.isEmpty() ? 0 : SUBTITLE_HEIGHT);
    }

    byte[] png() throws IOException { return ChartFiles.png(width(), height(), this::paint); }

    byte[] svg() throws IOException { return ChartFiles.svg(width(), height(), this::paint); }

    /** One panel alone, without its heading (the page around it says whose it is), as SVG. */
    static byte[] bareSvg(Panel p, Layout layout) throws IOException {
        return ChartFiles.svg(layout.panelWidth(), layout.chartHeight(), g -> {
            antialias(g);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, layout.panelWidth(), layout.chartHeight());
            paintCell(g, p, layout, 0, 0);
        });
    }

    private void paint(Graphics2D g) {
        antialias(g);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width(), height());

        TextLine.centered(g, 0, width(), 30, TITLE_FONT, new TextLine.Run(title, Color.BLACK, Font.BOLD));
        if (!subtitle.isEmpty()) {
            TextLine.centered(g, 0, width(), TITLE_HEIGHT + 10, SUBTITLE_FONT,
                    new TextLine.Run(subtitle, new Color(0x444444), Font.PLAIN));
        }

        for (int i = 0; i < panels.size(); i++) {
            Panel p = panels.get(i);
            int x = (i % layout.columns()) * layout.panelWidth();
            int y = headerHeight() + (i / layout.columns()) * layout.panelHeight();
            paintHeading(g, p, x, y);
            paintCell(g, p, layout, x, y + HEADING_HEIGHT);
        }
    }

    /** The chart, its overlay and its legend, with the chart's top-left corner at (x, y). */
    private static void paintCell(Graphics2D g, Panel p, Layout layout, int x, int y) {
        Graphics2D cell = (Graphics2D) g.create();
        try {
            cell.translate(x, y);
            p.chart().paint(cell, layout.chartWidth(), layout.chartHeight());
            PanelOverlay.paint(cell, p.chart(), p.moments(), p.notes(), p.yMax());
        } finally {
            cell.dispose();
        }
        PanelLegend.paint(g, p.legend(), x + layout.chartWidth(), y + layout.chartHeight() / 2 - 20, layout.legendWidth());
    }

    private static void antialias(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    }

    /** "policy label — verdict" over the plot, the verdict green when clean and red when something failed. */
    private void paintHeading(Graphics2D g, Panel p, int x, int y) {
        Font font = new Font(Font.SANS_SERIF, Font.BOLD, 14);
        TextLine.Run label = new TextLine.Run(p.label(), Color.BLACK, Font.BOLD);
        if (p.verdict().isEmpty()) {
            TextLine.centered(g, x, layout.chartWidth(), y + 22, font, label);
        } else {
            TextLine.centered(g, x, layout.chartWidth(), y + 22, font, label,
                    new TextLine.Run("  \u2014  ", Color.GRAY, Font.PLAIN),
                    new TextLine.Run(p.verdict(), p.clean() ? CLEAN : FAILED, Font.BOLD));
        }
    }
}
