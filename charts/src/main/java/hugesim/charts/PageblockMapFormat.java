package hugesim.charts;

import hugesim.record.BlockMap;
import hugesim.record.OutputFormat;
import hugesim.record.RunResult;
import hugesim.record.ScenarioRun;
import hugesim.units.Size;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code <policy>/pageblocks.png} and {@code .svg}: physical memory over time, a row per pageblock (or per
 * group of them on a large machine), lowest address at the top, a column per moment; the colour is the
 * migratetype, light when free and dark when in use, so one sees 4 KiB pages scatter, compaction sweep and
 * reserved blocks stand apart. Cells of one colour that touch are drawn as one rectangle (a run along a row,
 * runs of the same span stacked down the rows), so a 64 GiB map of 512 rows and 240 columns is a few
 * thousand rectangles, not 122,880 cells.
 */
public final class PageblockMapFormat implements OutputFormat {
    public static final String FILE = "pageblocks.png";
    /** The files' name without extension: pageblocks.png and pageblocks.svg. */
    static final String NAME = "pageblocks";
    private static final int LEFT = 84, TOP = 56, BOTTOM = 44, LEGEND = 190, WIDTH = 720;
    /** By migratetype, in the kernel's order: Unmovable, Movable, Reclaimable, HighAtomic, CMA, ReserveTHP, Isolate. */
    private static final Color[] TYPE = {new Color(0xd6, 0x27, 0x28), new Color(0x1f, 0x77, 0xb4), new Color(0xff, 0x7f, 0x0e),
            new Color(0x8c, 0x56, 0x4b), new Color(0x2c, 0xa0, 0x2c), new Color(0x94, 0x67, 0xbd), new Color(0x7f, 0x7f, 0x7f)};

    @Override
    public void write(ScenarioRun run, java.nio.file.Path dir) throws IOException {
        for (RunResult r : run.results()) {
            if (r.blockMap() == null || r.blockMap().columnCount() == 0) continue;
            Layout l = new Layout(r.blockMap());
            String title = r.scenario() + " \u2014 " + r.policy();
            List<Rect> cells = rects(r.blockMap());   // the same for the PNG and the SVG
            ChartFiles.write(dir.resolve(r.policyKey()), NAME, l.width(), l.height(), g -> paint(g, title, r.blockMap(), l, cells));
        }
    }

    /** Cell sizes and the picture's size for {@code map}. */
    record Layout(int cols, int rows, int cw, int rh) {
        Layout(BlockMap map) {
            this(map.columnCount(), map.rows(), Math.max(1, WIDTH / map.columnCount()), Math.max(1, 512 / map.rows()));
        }

        int width() { return LEFT + cols * cw + LEGEND; }

        int height() { return TOP + rows * rh + BOTTOM; }
    }

    /** The picture of {@code map} under {@code title}, as the PNG has it. */
    public static BufferedImage draw(String title, BlockMap map) {
        Layout l = new Layout(map);
        BufferedImage img = new BufferedImage(l.width(), l.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        ChartFiles.prepare(g, l.width(), l.height());
        paint(g, title, map, l, rects(map));
        g.dispose();
        return img;
    }

    /** A rectangle of cells of one colour: columns [c0, c1), rows [r0, r1). */
    record Rect(int c0, int c1, int r0, int r1, int rgb) {}

    /**
     * The map's cells as rectangles of one colour: runs of equal cells along each row, and a run continuing
     * a run of the row above with the same columns and colour extends it downwards. In drawing order
     * (by top row, then left column), the same for the same map.
     */
    static List<Rect> rects(BlockMap map) {
        List<Rect> done = new ArrayList<>();
        Map<Long, int[]> open = new HashMap<>();   // (c0, c1, rgb) of the row above → its r0
        for (int r = 0; r < map.rows(); r++) {
            Map<Long, int[]> next = new HashMap<>();
            for (int c = 0; c < map.columnCount(); ) {
                int rgb = rgb(map.type(c, r), map.fill(c, r));
                int e = c + 1;
                while (e < map.columnCount() && rgb(map.type(e, r), map.fill(e, r)) == rgb) e++;
                long key = ((long) c << 40) | ((long) e << 24) | (rgb & 0xffffffL);
                int[] start = open.remove(key);
                next.put(key, start != null ? start : new int[] {r});
                c = e;
            }
            for (Map.Entry<Long, int[]> gone : open.entrySet()) done.add(rect(gone.getKey(), gone.getValue()[0], r));
            open = next;
        }
        for (Map.Entry<Long, int[]> last : open.entrySet()) done.add(rect(last.getKey(), last.getValue()[0], map.rows()));
        done.sort(java.util.Comparator.comparingInt(Rect::r0).thenComparingInt(Rect::c0));
        return done;
    }

    private static Rect rect(long key, int r0, int r1) {
        return new Rect((int) (key >>> 40), (int) ((key >>> 24) & 0xffff), r0, r1, (int) (key & 0xffffff) | 0xff000000);
    }

    static void paint(Graphics2D g, String title, BlockMap map, Layout l, List<Rect> cells) {
        int cols = l.cols(), cw = l.cw(), rh = l.rh(), h = l.height();
        for (Rect x : cells) {
            g.setColor(new Color(x.rgb()));
            g.fillRect(LEFT + x.c0() * cw, TOP + x.r0() * rh, (x.c1() - x.c0()) * cw, (x.r1() - x.r0()) * rh);
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
    }

    /** {@link #cell}'s colours as RGB, by type and fill: a map's hundred thousand cells look theirs up. */
    private static final int[][] RGB = new int[TYPE.length][256];
    static {
        for (int t = 0; t < TYPE.length; t++) for (int f = 0; f < 256; f++) RGB[t][f] = cell(t, f).getRGB();
    }

    private static int rgb(int type, int fill) { return RGB[Math.min(type, TYPE.length - 1)][fill]; }

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
