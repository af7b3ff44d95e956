package hugesim.charts;

import de.erichseifert.vectorgraphics2d.GraphicsState;
import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.intermediate.MutableCommandSequence;
import de.erichseifert.vectorgraphics2d.intermediate.commands.Command;
import de.erichseifert.vectorgraphics2d.intermediate.commands.SetFontCommand;
import de.erichseifert.vectorgraphics2d.util.GraphicsUtils;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.font.TextAttribute;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** Paints a picture once into a PNG and once into an SVG, and writes both as {@code NAME.png} and {@code NAME.svg}. */
final class ChartFiles {
    /** Logical fonts (SansSerif) with the family of the installed font that stands for them, found once per JVM. */
    private static final Map<Font, Font> PHYSICAL = new ConcurrentHashMap<>();

    static {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private ChartFiles() {}

    static void write(Path dir, String name, int width, int height, Consumer<Graphics2D> painter) throws IOException {
        Consumer<Graphics2D> prepared = g -> {
            prepare(g, width, height);
            painter.accept(g);
        };
        byte[] png = png(width, height, prepared), svg = svg(width, height, prepared);
        Files.createDirectories(dir);
        OutputFiles.write(dir.resolve(name + ".png"), png);
        OutputFiles.write(dir.resolve(name + ".svg"), svg);
    }

    /** The picture as PNG bytes. */
    static byte[] png(int width, int height, Consumer<Graphics2D> painter) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            painter.accept(g);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(image, "png", out)) throw new IOException("no PNG writer available");
        return out.toByteArray();
    }

    /** The picture as SVG bytes, with a generic font fallback. */
    static byte[] svg(int width, int height, Consumer<Graphics2D> painter) throws IOException {
        VectorGraphics2D v = new VectorGraphics2D();
        painter.accept(v);
        // the SVG writer looks up the installed font behind a logical one for every string it writes, by
        // laying text out in each installed font; naming the installed family once per font gives the same
        // document without that search
        MutableCommandSequence commands = new MutableCommandSequence();
        for (Command<?> c : v.getCommands()) {
            commands.add(c instanceof SetFontCommand f ? new SetFontCommand(physical(f.getValue())) : c);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new SVGProcessor().getDocument(commands, new PageSize(0, 0, width, height)).writeTo(out);
        return SvgFonts.addGenericFallback(out.toByteArray());
    }

    /** The font with its family replaced by the installed one the SVG writer would find; every other attribute kept. */
    private static Font physical(Font f) {
        // the writer leaves the default font's family out of the document: keep that font as it is
        if (f == null || f.getFamily().equals(GraphicsState.DEFAULT_FONT.getFamily())) return f;
        return PHYSICAL.computeIfAbsent(f, k -> {
            String family = GraphicsUtils.getPhysicalFont(k).getFamily();
            return family.equals(k.getFamily()) ? k : k.deriveFont(Map.of(TextAttribute.FAMILY, family));
        });
    }

    static void prepare(Graphics2D g, int width, int height) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
    }
}
