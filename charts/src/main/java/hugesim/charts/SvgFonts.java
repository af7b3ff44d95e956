package hugesim.charts;

import java.nio.charset.StandardCharsets;

/**
 * The SVG names the font Java resolved (e.g. "DejaVu Sans"); a viewer without it would fall back to
 * a serif face, so a generic sans-serif is appended to every font-family.
 */
final class SvgFonts {
    private SvgFonts() {}

    static byte[] addGenericFallback(byte[] svg) {
        String s = new String(svg, StandardCharsets.UTF_8);
        s = s.replaceAll("font-family:(&quot;[^;]*?&quot;);", "font-family:$1,sans-serif;");
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
