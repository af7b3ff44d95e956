package hugesim.cli;

import hugesim.charts.SweepCharts;
import hugesim.experiment.Metric;
import hugesim.experiment.RunRow;
import hugesim.experiment.SweepFiles;
import hugesim.experiment.SweepSpec;
import hugesim.experiment.SweepSummary;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Writes a sweep's outputs: the whole sweep's (summary and charts too) or a shard's (its runs, to merge). */
final class SweepOutput {
    static final String DIR = "sweep";

    private SweepOutput() {}

    static String shardDir(SweepSpec.Shard s) { return "sweep-shard-" + s.index() + "-of-" + s.count(); }

    /** What sweeps and plans keep in a scenario's folder, which a later {@code hugesim run} leaves in place. */
    static boolean isSweepEntry(String name) {
        return name.equals(DIR) || name.equals("plan") || name.startsWith("sweep-shard-") || name.startsWith(".sweep-partial");
    }

    /** Writes {@code DIR/<scenario>/sweep/} (or the shard's folder) from rows sorted by run; returns the folder. */
    static Path write(Path out, SweepSpec spec, List<RunRow> rows, List<Metric> charts) throws IOException {
        Path scenarioDir = OutputDir.scenarioDir(out, spec.scenario());
        if (spec.shard() != null) {
            return OutputDir.replace(scenarioDir.resolve(shardDir(spec.shard())), tmp -> {
                SweepFiles.writeSpec(spec, tmp.resolve(SweepFiles.SPEC));
                SweepFiles.writeRuns(spec, rows, tmp.resolve(SweepFiles.RUNS));
            });
        }
        List<SweepSummary.Group> groups = SweepSummary.of(spec, rows);
        return OutputDir.replace(scenarioDir.resolve(DIR), tmp -> {
            SweepFiles.writeSpec(spec, tmp.resolve(SweepFiles.SPEC));
            SweepFiles.writeRuns(spec, rows, tmp.resolve(SweepFiles.RUNS));
            SweepFiles.writeSummary(spec, groups, tmp);
            if (!charts.isEmpty()) SweepCharts.write(spec, groups, charts, tmp);
        });
    }
}
