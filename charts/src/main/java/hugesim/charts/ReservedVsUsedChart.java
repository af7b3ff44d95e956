package hugesim.charts;

import hugesim.record.RunResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The one chart a planner looks at first: per policy, how much huge memory was set aside, promised,
 * actually mapped, and how much went to swap, with failed calls marked. One panel per policy, all on
 * the same axes, written as {@code reserved-vs-used.png} and {@code reserved-vs-used.svg}.
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
        List<ReservedVsUsedPanel.Panel> panels = results.stream().map(r -> ReservedVsUsedPanel.build(r, axes)).toList();
        ChartGrid grid = new ChartGrid(scenario + ": huge memory reserved vs used", subtitle(results), panels);

        // Render both before writing either, so a rendering failure leaves no half-written pair.
        byte[] png = grid.png();
        byte[] svg = grid.svg();
        Files.createDirectories(dir);
        OutputFiles.write(dir.resolve(PNG_FILE), png);
        OutputFiles.write(dir.resolve(SVG_FILE), svg);
    }

    private static String subtitle(List<RunResult> results) {
        for (RunResult r : results) {
            if (r.description() != null && !r.description().isBlank()) return r.description().strip();
        }
        return "";
    }
}
