package hugesim.charts;

import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Paints a picture once into a PNG and once into an SVG, and writes both as {@code NAME.png} and {@code NAME.svg}. */
final class ChartFiles {
    static {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private ChartFiles() {}

    static void write(Path dir, String name, int width, int height, Consumer<Graphics2D> painter) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            prepare(g, width, height);
            painter.accept(g);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        if (!ImageIO.write(image, "png", png)) throw new IOException("no PNG writer available");
        VectorGraphics2D v = new VectorGraphics2D();
        prepare(v, width, height);
        painter.accept(v);
        ByteArrayOutputStream svg = new ByteArrayOutputStream();
        new SVGProcessor().getDocument(v.getCommands(), new PageSize(0, 0, width, height)).writeTo(svg);
        Files.createDirectories(dir);
        OutputFiles.write(dir.resolve(name + ".png"), png.toByteArray());
        OutputFiles.write(dir.resolve(name + ".svg"), SvgFonts.addGenericFallback(svg.toByteArray()));
    }

    private static void prepare(Graphics2D g, int width, int height) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
    }
}
