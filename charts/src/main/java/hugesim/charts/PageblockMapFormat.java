package hugesim.charts;

import hugesim.record.BlockMap;
import hugesim.record.OutputFormat;
import hugesim.record.RunResult;
import hugesim.record.ScenarioRun;
import hugesim.units.Size;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code <policy>/pageblocks.png}: physical memory over time, a row per pageblock (or per group of them on a
 * large machine), lowest address at the top, a column per moment; the colour is the migratetype, light when
 * free and dark when in use, so one sees 4 KiB pages scatter, compaction sweep and reserved blocks stand apart.
 * Drawn pixel by pixel: a chart library would make an object of each of up to 122,880 cells.
 */
public final class PageblockMapFormat implements OutputFormat {
    public static final String FILE = "pageblocks.png";
    private static final int LEFT = 84, TOP = 56, BOTTOM = 44, LEGEND = 190, WIDTH = 720;
    /** By migratetype, in the kernel's order: Unmovable, Movable, Reclaimable, HighAtomic, CMA, ReserveTHP, Isolate. */
    private static final Color[] TYPE = {new Color(0xd6, 0x27, 0x28), new Color(0x1f, 0x77, 0xb4), new Color(0xff, 0x7f, 0x0e),
            new Color(0x8c, 0x56, 0x4b), new Color(0x2c, 0xa0, 0x2c), new Color(0x94, 0x67, 0xbd), new Color(0x7f, 0x7f, 0x7f)};

    @Override
    public void write(ScenarioRun run, Path dir) throws IOException {
        for (RunResult r : run.results()) {
            if (r.blockMap() == null || r.blockMap().columnCount() == 0) continue;
            BufferedImage img = draw(r.scenario() + " \u2014 " + r.policy(), r.blockMap());
            ImageIO.write(img, "png", Files.createDirectories(dir.resolve(r.policyKey())).resolve(FILE).toFile());
        }
    }

    /** The picture of {@code map} under {@code title}. */
    public static BufferedImage draw(String title, BlockMap map) {
        int cols = map.columnCount();
        int cw = Math.max(1, WIDTH / cols), rh = Math.max(1, 512 / map.rows());
        int w = LEFT + cols * cw + LEGEND, h = TOP + map.rows() * rh + BOTTOM;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        for (int c = 0; c < cols; c++) {
            for (int r = 0; r < map.rows(); r++) {
                g.setColor(cell(map.type(c, r), map.fill(c, r)));
                g.fillRect(LEFT + c * cw, TOP + r * rh, cw, rh);
            }
        }
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, LEFT, 22);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString("pageblocks over time: one row per " + (map.blocksPerRow() == 1 ? "block" : map.blocksPerRow() + " blocks")
                + " of " + Size.format(map.blockBytes()) + ", lowest address at the top", LEFT, 40);
        g.drawRect(LEFT - 1, TOP - 1, cols * cw + 1, map.rows() * rh + 1);
        // address labels down the left, time labels along the bottom
        long rowBytes = map.blockBytes() * map.blocksPerRow();
        int every = Math.max(1, map.rows() / 8);
        for (int r = 0; r < map.rows(); r += every) {
            g.drawString(Size.format(r * rowBytes), 6, TOP + r * rh + 10);
        }
        // round times (1, 2 or 5 × 10^k s apart, about six of them) where the columns' times put them
        double t0 = map.time(0), span = cols > 1 ? map.time(cols - 1) - t0 : 0;
        double dt = cols > 1 ? span / (cols - 1) : 1;
        double step = roundStep(span / 6);
        for (double t = Math.ceil(t0 / step) * step; cols > 1 && t <= t0 + span + 1e-9; t += step) {
            int x = LEFT + (int) Math.round((t - t0) / dt * cw);
            g.drawLine(x, TOP + map.rows() * rh, x, TOP + map.rows() * rh + 4);
            g.drawString(seconds(t), x - 4, TOP + map.rows() * rh + 18);
        }
        g.drawString("time (s)", LEFT + cols * cw / 2 - 20, h - 8);
        // the legend: each type's colour, light for free, dark for in use
        int x = LEFT + cols * cw + 16, y = TOP + 4;
        for (int t = 0; t < map.types().size() && t < TYPE.length; t++) {
            g.setColor(cell(t, 40));
            g.fillRect(x, y, 14, 12);
            g.setColor(cell(t, 255));
            g.fillRect(x + 14, y, 14, 12);
            g.setColor(Color.BLACK);
            g.drawString(map.types().get(t), x + 36, y + 11);
            y += 20;
        }
        g.drawString("light: free", x, y + 14);
        g.drawString("dark: pages in use", x, y + 30);
        g.dispose();
        return img;
    }

    /** A type's colour, from nearly white (all free) to the full colour (all in use). */
    static Color cell(int type, int fill) {
        Color c = TYPE[Math.min(type, TYPE.length - 1)];
        double f = 0.12 + 0.88 * fill / 255.0;
        return new Color(mix(c.getRed(), f), mix(c.getGreen(), f), mix(c.getBlue(), f));
    }

    private static int mix(int channel, double f) {
        return (int) Math.round(255 - (255 - channel) * f);
    }

    /** The smallest of 1, 2 and 5 × 10^k at least {@code raw}. */
    static double roundStep(double raw) {
        if (raw <= 0) return 1;
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) if (m * p >= raw) return m * p;
        return 10 * p;
    }

    private static String seconds(double s) {
        return s == Math.rint(s) ? Long.toString((long) s) : String.format("%.1f", s);
    }
}
