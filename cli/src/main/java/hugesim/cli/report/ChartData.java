package hugesim.cli.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import hugesim.charts.ReservedVsUsedChart.PlotArea;
import hugesim.charts.ReservedVsUsedChart.PolicySvg;
import hugesim.record.Metrics;
import hugesim.record.RunResult;
import hugesim.record.Series;
import j2html.tags.specialized.FigureTag;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static j2html.TagCreator.figure;
import static j2html.TagCreator.rawHtml;

/** A policy's chart for the page: the SVG inline, with its plot area and samples for the hover read-out. */
final class ChartData {
    /** The lines the hover reads out, as the chart's legend names them. */
    private static final Map<String, String> LINES = linesInOrder();
    /** Enough samples to read a value per pixel column; longer runs are read at evenly spaced samples. */
    private static final int MAX_SAMPLES = 1500;
    private static final double KIB_PER_GIB = 1024.0 * 1024.0;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ChartData() {}

    static FigureTag of(RunResult r, PolicySvg chart, String idPrefix) {
        return figure(rawHtml(inline(chart.svg(), idPrefix)))
                .withClass("chart")
                .withData("plot", json(plot(chart.plot())))
                .withData("series", json(samples(r.series())));
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

    private static Map<String, Object> plot(PlotArea a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("left", a.left());
        m.put("right", a.right());
        m.put("top", a.top());
        m.put("bottom", a.bottom());
        m.put("xMin", a.xMin());
        m.put("xMax", a.xMax());
        m.put("yMax", a.yMax());
        m.put("width", a.width());
        return m;
    }

    private static Map<String, Object> samples(Series s) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Map<String, Object>> lines = new ArrayList<>();
        if (s == null || s.size() == 0) {
            out.put("t", List.of());
            out.put("lines", lines);
            return out;
        }
        int n = s.size(), step = (n + MAX_SAMPLES - 1) / MAX_SAMPLES;
        double[] time = s.time();
        List<Double> t = new ArrayList<>();
        for (int i = 0; i < n; i += step) t.add(time[i]);
        LINES.forEach((metric, label) -> {
            if (!s.names().contains(metric)) return;
            double[] col = s.column(metric);
            List<Double> v = new ArrayList<>();
            // three decimals of a GiB (1 MiB) is finer than the hover prints and keeps the page small
            for (int i = 0; i < n; i += step) v.add(Math.round(col[i] / KIB_PER_GIB * 1000) / 1000.0);
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("label", label);
            line.put("v", v);
            lines.add(line);
        });
        out.put("t", t);
        out.put("lines", lines);
        return out;
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
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
