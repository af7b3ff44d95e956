package hugesim.cli;

import hugesim.experiment.Metric;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** Which of a sweep's metrics to chart: {@code --chart} and {@code --no-charts}, for sweep and merge. */
final class ChartOptions {
    @Option(names = "--chart", paramLabel = "METRIC", split = ",",
            description = "metrics to chart against the swept parameters (default: clean, stallSeconds, failedCalls, peakUsed; and the goal's share)")
    List<String> charts = new ArrayList<>(List.of("clean", "stallSeconds", "failedCalls", "peakUsed"));

    @Option(names = "--no-charts", description = "skip the PNG and SVG charts")
    boolean noCharts;

    /** The metrics to chart; none with {@code --no-charts}. */
    List<Metric> metrics() {
        List<Metric> out = new ArrayList<>();
        if (noCharts) return out;
        for (String c : charts) {
            try {
                out.add(Metric.named(c.trim()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--chart: " + e.getMessage());
            }
        }
        return out;
    }
}
