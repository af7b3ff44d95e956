package hugesim.cli;

import hugesim.dsl.Experiment;
import hugesim.dsl.ScenarioException;
import hugesim.experiment.Metric;
import hugesim.experiment.RunRow;
import hugesim.experiment.SweepSpec;
import hugesim.experiment.SweepSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code hugesim sweep FILE}: every point of the swept parameters under every policy, replicated, on every core. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Runs a scenario at each point of its sweep under every policy.",
                "Each point is replicated; the runs share one JVM and every core. Writes DIR/<scenario>/sweep/: "
                        + "runs.csv (one row per run), summary.csv and summary.json (mean, sd and 95 %% intervals per "
                        + "point and policy), charts.",
                "Exit 0 on success, 1 when a scenario's own assert failed, 2 on bad input."})
final class SweepCommand implements Callable<Integer> {
    @Mixin
    ExperimentOptions options;

    @Option(names = "--shard", paramLabel = "I/N", description = "run only shard I of N (from 0), for hugesim merge; 'auto' reads the batch scheduler's index")
    String shard;

    @Option(names = "--resume", description = "go on with an interrupted sweep into the same DIR, without redoing its finished runs")
    boolean resume;

    @Mixin
    ChartOptions charts;

    @Override
    public Integer call() {
        try {
            Experiment exp = options.experiment(ShardOption.parse(shard, System.getenv()), null);
            Path out = options.out;
            List<Metric> chartMetrics = charts.metrics();
            SweepSpec spec = exp.getSpec();
            Path scenarioDir = OutputDir.scenarioDir(out, spec.scenario());
            Path journalDir = Journal.dirFor(scenarioDir, spec);
            List<RunRow> rows = new ArrayList<>(resume ? Journal.finished(journalDir, spec) : List.of());
            Set<Long> done = new HashSet<>();
            for (RunRow r : rows) done.add(r.run());
            long[] todo = java.util.stream.LongStream.range(0, spec.runs()).filter(k -> spec.inShard(k) && !done.contains(k)).toArray();
            try (Journal journal = Journal.open(journalDir, spec, resume, rows);
                 Progress bar = new Progress(spec.scenario(), spec.runsInShard(), rows.size())) {
                RunPool.run(todo, options.jobs(), exp::run, o -> {
                    rows.add(o.getRow());
                    try {
                        journal.append(o.getRow());
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    bar.step();
                });
            }
            rows.sort(Comparator.comparingLong(RunRow::run));
            Path dir = SweepOutput.write(out, spec, rows, chartMetrics);
            OutputDir.delete(journalDir);
            if (spec.shard() == null) System.out.print(SweepTable.render(spec, SweepSummary.of(spec, rows)));
            System.out.println();
            System.out.println((spec.shard() == null ? "sweep: " : "shard " + spec.shard() + ": ") + rows.size() + " runs in " + dir
                    + (spec.shard() == null ? "" : " (combine the shards with: hugesim merge DIR...)"));
            return Main.OK;
        } catch (ScenarioException e) {
            System.err.println(e.getMessage());
            return e.getAssertion() ? Main.ASSERT_FAILED : Main.BAD_INPUT;
        } catch (IllegalArgumentException e) {
            System.err.println("hugesim: " + e.getMessage());
            return Main.BAD_INPUT;
        } catch (IOException | java.io.UncheckedIOException e) {
            System.err.println("hugesim: cannot write results under " + options.out + ": " + e.getMessage());
            return Main.BAD_INPUT;
        }
    }
}
