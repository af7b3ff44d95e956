package hugesim.charts;

import hugesim.record.OutputFormat;
import hugesim.record.ScenarioRun;

import java.io.IOException;
import java.nio.file.Path;

/** The reserved-vs-used chart as an output format: {@code reserved-vs-used.png} and {@code .svg}. */
public final class ReservedVsUsedFormat implements OutputFormat {
    @Override
    public void write(ScenarioRun run, Path dir) throws IOException {
        ReservedVsUsedChart.write(run.scenario(), run.results(), dir);
    }
}
