package hugesim.cli;

import hugesim.charts.PlanChart;
import hugesim.dsl.Experiment;
import hugesim.dsl.ScenarioException;
import hugesim.experiment.Metric;
import hugesim.experiment.Planner;
import hugesim.experiment.Stats;
import hugesim.experiment.SweepSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code hugesim plan FILE --minimize P}: per policy, the smallest value of P at which the goal holds. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Finds per policy the smallest parameter value meeting a goal.",
                "The goal must hold in at least --confidence of the replications (by the lower end of the 95 %% "
                        + "Wilson interval; a scenario that draws nothing at random is decided by one run). Bisects "
                        + "over the parameter's sweep values, checking that the goal is monotone, else runs them all. "
                        + "Writes DIR/<scenario>/plan/plan.json and a chart.",
                "Exit 0 when every policy has an answer, 1 when some has none, 2 on bad input."})
final class PlanCommand implements Callable<Integer> {
    @Mixin
    ExperimentOptions options;

    @Option(names = "--minimize", paramLabel = "NAME", required = true, description = "the parameter to make as small as the goal allows")
    String minimize;

    @Option(names = "--confidence", paramLabel = "C", defaultValue = "0.95",
            description = "the share of replications that must meet the goal (default: ${DEFAULT-VALUE})")
    double confidence;

    @Option(names = "--no-charts", description = "skip the PNG and SVG chart")
    boolean noCharts;

    @Override
    public Integer call() {
        try {
            if (!(confidence > 0 && confidence <= 1)) throw new IllegalArgumentException("--confidence must be above 0 and at most 1, got " + confidence);
            Experiment exp = options.experiment(null, minimize);
            SweepSpec spec = exp.getSpec();
            if (spec.goal() == null) {
                throw new IllegalArgumentException("a plan needs a goal: --goal 'failedCalls == 0 && stallSeconds <= 1', or goal { … } in the script");
            }
            Planner planner = new Planner(spec.points(), confidence);
            List<Planner.Result> results = planner.plan(spec.policies().size(), probes -> evaluate(exp, spec, probes));
            PlanReport report = new PlanReport(spec, confidence, planner, results);
            Path dir = OutputDir.replace(OutputDir.scenarioDir(options.out, spec.scenario()).resolve("plan"), tmp -> {
                report.writeJson(tmp.resolve("plan.json"));
                if (!noCharts) PlanChart.write(spec, results, planner::holds, confidence, tmp);
            });
            System.out.print(report.table());
            System.out.println();
            System.out.println("plan: " + dir.resolve("plan.json") + (noCharts ? "" : "; chart: " + dir.resolve(PlanChart.PNG_FILE) + " and .svg"));
            return results.stream().allMatch(r -> r.answer() >= 0) ? Main.OK : Main.ASSERT_FAILED;
        } catch (ScenarioException e) {
            System.err.println(e.getMessage());
            return Main.BAD_INPUT;
        } catch (IllegalArgumentException e) {
            System.err.println("hugesim: " + e.getMessage());
            return Main.BAD_INPUT;
        } catch (IOException e) {
            System.err.println("hugesim: cannot write results under " + options.out + ": " + e.getMessage());
            return Main.BAD_INPUT;
        }
    }

    /**
     * Runs replication 0 of every probe, then the other replications of those whose run drew random numbers
     * (a run that drew none gives the same outcome in every replication: it is certain).
     */
    private Map<Planner.Probe, Planner.Outcome> evaluate(Experiment exp, SweepSpec spec, List<Planner.Probe> probes) {
        int reps = spec.replications();
        Map<Long, Experiment.Outcome> got = new HashMap<>();
        long[] first = probes.stream().mapToLong(p -> spec.run(p.value(), p.policy(), 0)).toArray();
        RunPool.run(first, options.jobs(), exp::run, o -> got.put(o.getRow().run(), o));
        List<Long> more = new ArrayList<>();
        for (long k : first) {
            if (!got.get(k).getRandom()) continue;
            long need = Stats.runsToShow(confidence);
            if (reps < need) {
                throw new IllegalArgumentException("the scenario draws random numbers, so each value needs replications: with " + reps
                        + ", a share's 95 % lower bound reaches at most " + String.format(java.util.Locale.ROOT, "%.1f %%", 100 * Stats.wilson(reps, reps).low())
                        + ", short of --confidence " + confidence + "; give --replications " + need + " or more");
            }
            for (int r = 1; r < reps; r++) more.add(k + r);
        }
        RunPool.run(more.stream().mapToLong(Long::longValue).toArray(), options.jobs(), exp::run, o -> got.put(o.getRow().run(), o));
        Map<Planner.Probe, Planner.Outcome> out = new HashMap<>();
        for (Planner.Probe p : probes) {
            long k = spec.run(p.value(), p.policy(), 0);
            boolean random = got.get(k).getRandom();
            int n = random ? reps : 1;
            long hits = 0;
            double setAside = 0;
            for (int r = 0; r < n; r++) {
                Experiment.Outcome o = got.get(k + r);
                if (Boolean.TRUE.equals(o.getRow().goalMet())) hits++;
                setAside += o.getRow().get(Metric.peakReserved);
            }
            out.put(p, new Planner.Outcome(Stats.wilson(hits, n), !random, setAside / n));
        }
        return out;
    }
}
