package hugesim.cli.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import hugesim.charts.ReservedVsUsedChart.PlotArea;
import hugesim.charts.ReservedVsUsedChart.PolicySvg;
import hugesim.record.Metrics;
import hugesim.record.RunResult;
import hugesim.record.Series;
import j2html.tags.specialized.FigureTag;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

import static j2html.TagCreator.figure;
import static j2html.TagCreator.rawHtml;

/** A policy's chart for the page: the SVG inline, with its plot area and samples for the hover read-out. */
final class ChartData {
    /** The lines the hover reads out, as the chart's legend names them. */
    private static final Map<String, String> LINES = linesInOrder();
    /** Enough samples to read a value per pixel column; longer runs are read at evenly spaced samples. */
    private static final int MAX_SAMPLES = 1500;
    private static final JsonFactory JSON = new JsonFactory();

    private ChartData() {}

    static FigureTag of(RunResult r, PolicySvg chart, String idPrefix) {
        return figure(rawHtml(inline(chart.svg(), idPrefix)))
                .withClass("chart")
                .withData("plot", plot(chart.plot()))
                .withData("series", samples(r.series(), chart.plot().kibPerUnit()));
    }

    /**
     * The SVG as an element of the page: without its XML prolog, and with its ids prefixed, since several
     * charts in one document would otherwise share clip-path ids.
     */
    static String inline(String svg, String idPrefix) {
        int start = svg.indexOf("<svg");
        String s = start < 0 ? svg : svg.substring(start);
        return s.replace("id=\"", "id=\"" + idPrefix + "-").replace("url(#", "url(#" + idPrefix + "-");
    }

    private static String plot(PlotArea a) {
        return json(g -> {
            g.writeStartObject();
            g.writeNumberField("left", a.left());
            g.writeNumberField("right", a.right());
            g.writeNumberField("top", a.top());
            g.writeNumberField("bottom", a.bottom());
            g.writeNumberField("xMin", a.xMin());
            g.writeNumberField("xMax", a.xMax());
            g.writeNumberField("yMax", a.yMax());
            g.writeStringField("unit", a.unit());
            g.writeNumberField("width", a.width());
            g.writeEndObject();
        });
    }

    /** {"t": [...], "lines": [{"label": ..., "v": [...]}, ...]}, written as a stream: a page holds thousands of numbers. */
    private static String samples(Series s, double kibPerUnit) {
        return json(g -> {
            g.writeStartObject();
            if (s == null || s.size() == 0) {
                g.writeArrayFieldStart("t");
                g.writeEndArray();
                g.writeArrayFieldStart("lines");
                g.writeEndArray();
                g.writeEndObject();
                return;
            }
            int n = s.size(), step = (n + MAX_SAMPLES - 1) / MAX_SAMPLES, m = (n + step - 1) / step;
            double[] time = s.time(), t = new double[m];
            for (int i = 0; i < m; i++) t[i] = time[i * step];
            g.writeFieldName("t");
            g.writeArray(t, 0, m);
            g.writeArrayFieldStart("lines");
            for (Map.Entry<String, String> line : LINES.entrySet()) {
                if (!s.names().contains(line.getKey())) continue;
                double[] col = s.column(line.getKey()), v = new double[m];
                // in the chart's unit; three decimals are finer than the hover prints and keep the page small
                for (int i = 0; i < m; i++) v[i] = Math.round(col[i * step] / kibPerUnit * 1000) / 1000.0;
                g.writeStartObject();
                g.writeStringField("label", line.getValue());
                g.writeFieldName("v");
                g.writeArray(v, 0, m);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private interface Writes {
        void to(JsonGenerator g) throws IOException;
    }

    private static String json(Writes w) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            w.to(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static Map<String, String> linesInOrder() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(Metrics.RESERVED, "reserved");
        m.put(Metrics.USED, "used");
        m.put(Metrics.RESIDENT, "resident");
        m.put(Metrics.SWAP_USED, "swap used");
        return m;
    }
}
