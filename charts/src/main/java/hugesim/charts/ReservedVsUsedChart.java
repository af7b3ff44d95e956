package hugesim.charts;

import hugesim.record.RunResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.io.UncheckedIOException;

/**
 * The one chart a planner looks at first: per policy, how much huge memory was set aside, promised,
 * actually mapped, and how much went to swap, with failures marked on the line they concern and the
 * processes' start, idle and exit on the time axis. One panel per policy, all on the same axes; past
 * {@value ComparisonPanels#MAX_GRID_POLICIES} policies, one panel per metric with a line per policy.
 * Written as {@code reserved-vs-used.png} and {@code reserved-vs-used.svg}.
 */
public final class ReservedVsUsedChart {
    public static final String PNG_FILE = "reserved-vs-used.png";
    public static final String SVG_FILE = "reserved-vs-used.svg";

    static {
        // Must run before anything touches AWT; a caller that chose a mode keeps it.
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private ReservedVsUsedChart() {}

    /**
     * Renders both files into {@code dir}, creating it if needed. The same inputs give byte-identical files.
     *
     * @param scenario the scenario's name, shown in the title
     * @param results  one run per policy, drawn in this order
     */
    public static void write(String scenario, List<RunResult> results, Path dir) throws IOException {
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(dir, "dir");
        if (results == null || results.isEmpty()) throw new IllegalArgumentException("no results to chart");

        SharedAxes axes = SharedAxes.of(results);
        String title = scenario + ": huge memory reserved vs used";
        // PNG and SVG render side by side, each from panels of its own (XChart charts are not shared
        // between threads). Both are rendered before either is written, so a failure leaves no half pair.
        CompletableFuture<byte[]> svg = CompletableFuture.supplyAsync(() -> {
            try {
                return grid(title, results, axes).svg();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        byte[] png = grid(title, results, axes).png();
        Files.createDirectories(dir);
        OutputFiles.write(dir.resolve(PNG_FILE), png);
        OutputFiles.write(dir.resolve(SVG_FILE), join(svg));
    }

    private static ChartGrid grid(String title, List<RunResult> results, SharedAxes axes) {
        if (results.size() > ComparisonPanels.MAX_GRID_POLICIES) {
            return new ChartGrid(title, subtitle(results), ComparisonPanels.build(results, axes),
                    ComparisonPanels.layout(results.size(), axes.failureKinds().size()));
        }
        List<ReservedVsUsedPanel.Panel> panels = results.stream().map(r -> ReservedVsUsedPanel.build(r, axes)).toList();
        return new ChartGrid(title, subtitle(results), panels);
    }

    /**
     * One policy's panel as an SVG document of its own, without heading, on the axes all policies share,
     * for pages that show each policy apart (the HTML report). The plot's place in the picture comes
     * with it, so a page can map a pointer position back to time and size.
     */
    public record PolicySvg(String policy, String svg, PlotArea plot) {}

    /**
     * The picture's size, where the plot sits in it (pixels), and what the plot spans (seconds, and sizes in
     * {@code unit}, GiB or MiB, of {@code kibPerUnit} KiB each, as the chart's y axis reads).
     */
    public record PlotArea(int width, int height, double left, double right, double top, double bottom,
                           double xMin, double xMax, double yMin, double yMax, String unit, double kibPerUnit) {}

    /** Every policy's panel, in the order given, each a standalone SVG document. */
    public static List<PolicySvg> policySvgs(List<RunResult> results) throws IOException {
        if (results == null || results.isEmpty()) throw new IllegalArgumentException("no results to chart");
        SharedAxes axes = SharedAxes.of(results);
        ChartGrid.Layout layout = new ChartGrid.Layout(1, ChartGrid.PANEL_WIDTH, ChartGrid.PANEL_HEIGHT, PanelLegend.WIDTH);
        List<PolicySvg> out = new java.util.ArrayList<>();
        for (RunResult r : results) {
            ReservedVsUsedPanel.Panel p = ReservedVsUsedPanel.build(r, axes);
            byte[] svg = ChartGrid.bareSvg(p, layout);
            // the chart knows where it drew its plot only once painted, which bareSvg just did
            var c = p.chart();
            PlotArea area = new PlotArea(layout.panelWidth(), layout.chartHeight(), c.getScreenXFromChart(axes.xMin()), c.getScreenXFromChart(axes.xMax()),
                    c.getScreenYFromChart(axes.yMax()), c.getScreenYFromChart(0), axes.xMin(), axes.xMax(), 0, axes.yMax(),
                    axes.unit(), axes.kibPerUnit());
            out.add(new PolicySvg(p.label(), new String(svg, java.nio.charset.StandardCharsets.UTF_8), area));
        }
        return out;
    }

    private static byte[] join(CompletableFuture<byte[]> f) throws IOException {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException u) throw u.getCause();
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw e;
        }
    }

    private static String subtitle(List<RunResult> results) {
        for (RunResult r : results) {
            if (r.description() != null && !r.description().isBlank()) return r.description().strip();
        }
        return "";
    }
}
