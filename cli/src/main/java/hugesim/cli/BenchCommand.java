package hugesim.cli;

import hugesim.dsl.ScenarioException;
import hugesim.dsl.ScenarioFile;
import hugesim.dsl.ScriptSource;
import hugesim.dsl.Settings;
import hugesim.policy.Policy;
import hugesim.record.RunResult;
import org.apache.commons.statistics.descriptive.DoubleStatistics;
import org.apache.commons.statistics.descriptive.Statistic;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code hugesim bench}: times the engine alone (scripts loaded once, no JVM start, no charts, no
 * files) and reports the heap it peaked at, per scenario and policy.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Times engine runs of scenarios and the peak heap of each run.",
                "The engine alone (no JVM start, no charts, no output files), against a loop over plain arrays doing "
                        + "the same faults and samples (the floor). Run it with the heap limit you want to check, "
                        + "e.g. HUGESIM_JAVA_OPTS=-Xmx1g ./hugesim bench"})
final class BenchCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", arity = "0..*", description = "scenarios (default: ${DEFAULT-VALUE})",
            defaultValue = "scenarios/hot-upgrade.groovy,scenarios/bench/fleet-1tib.groovy", split = ",")
    List<Path> files;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "5",
            description = "timed runs per policy after one warm-up run (default: ${DEFAULT-VALUE})")
    int iterations;

    @Option(names = "--sweep", description = "time each script's sweep instead: the engine alone, the sweep on one core and on every core, and heap")
    boolean sweep;

    @Option(names = "--replications", paramLabel = "N", description = "with --sweep: replications per point and policy (default: the script's)")
    Integer replications;

    @Option(names = "--startup", description = "time `hugesim run` of the first FILE end to end in fresh JVMs, by phase, and `hugesim --help`; then the run as the background JVM serves it")
    boolean startup;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the figures as JSON, to compare a later run against")
    Path json;

    @Option(names = "--compare", paramLabel = "FILE", description = "a JSON file of an earlier bench: print each figure's change against it")
    Path compare;

    @Mixin
    ScriptOptions script;

    private final List<BenchRow> rows = new java.util.ArrayList<>();

    @Override
    public Integer call() {
        if (startup) {
            try {
                StartupBench.run(files.get(0), iterations);
            } catch (java.io.IOException e) {
                System.err.println("hugesim: " + e.getMessage());
                return Main.BAD_INPUT;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Main.BAD_INPUT;
            }
            return Main.OK;
        }
        if (sweep) {
            try {
                for (Path f : files) SweepBench.run(f, replications, Runtime.getRuntime().availableProcessors());
            } catch (ScenarioException e) {
                System.err.println(e.getMessage());
                return e.getAssertion() ? Main.ASSERT_FAILED : Main.BAD_INPUT;
            } catch (java.io.IOException e) {
                System.err.println("hugesim: " + e.getMessage());
                return Main.BAD_INPUT;
            }
            return Main.OK;
        }
        List<BenchRow> before;
        try {
            before = compare == null ? List.of() : BenchRow.read(compare);
        } catch (java.io.IOException e) {
            System.err.println("hugesim: cannot read " + compare + ": " + e.getMessage());
            return Main.BAD_INPUT;
        }
        try {
            // every script is loaded before any is timed: a bad one stops the bench before it starts
            var settings = new Settings(script.parsedSets(), script.seed, 0);
            List<Policy> policies = script.parsedPolicies();
            List<ScenarioFile> scenarios = new java.util.ArrayList<>();
            for (Path f : files) {
                ScenarioFile s = ScriptSource.read(f).load(settings);
                scenarios.add(policies.isEmpty() ? s : s.withPolicies(policies));
            }
            System.out.printf(Locale.ROOT, "%-58s %9s %9s %9s %9s %9s %7s %12s%n", "scenario / policy", "median", "min", "max",
                    "cpu", "floor", "x floor", "peak heap");
            for (ScenarioFile s : scenarios) for (Policy p : s.getScenario().policies()) bench(s, p, before);
        } catch (ScenarioException e) {
            System.err.println(e.getMessage());
            return e.getAssertion() ? Main.ASSERT_FAILED : Main.BAD_INPUT;
        }
        if (json != null) {
            try {
                BenchRow.write(json, rows);
            } catch (java.io.IOException e) {
                System.err.println("hugesim: cannot write " + json + ": " + e.getMessage());
                return Main.BAD_INPUT;
            }
        }
        return Main.OK;
    }

    private void bench(ScenarioFile s, Policy p, List<BenchRow> before) {
        // warm-up: class loading and JIT. Only the counts the floor needs are kept from it, not its series,
        // so that the peak heap measured below is that of one run
        EngineFloor.Work work = EngineFloor.Work.of(s.run(p));
        var machine = s.getScenario().machine();
        int blocks = (int) Math.min(Integer.MAX_VALUE - 64, machine.memory() / machine.geometry().pmdSize());
        double[] ms = new double[iterations], cpu = new double[iterations], floor = new double[iterations];
        long peak = 0;
        for (int i = 0; i < iterations; i++) {
            System.gc();
            resetPeaks();
            long c0 = cpuNanos(), t0 = System.nanoTime();
            s.run(p);
            ms[i] = (System.nanoTime() - t0) / 1e6;
            cpu[i] = (cpuNanos() - c0) / 1e6;
            peak = Math.max(peak, heapPeak());
            long f = EngineFloor.nanos(work, blocks);
            floor[i] = f < 0 ? -1 : f / 1e6;
        }
        DoubleStatistics st = DoubleStatistics.of(java.util.EnumSet.of(Statistic.MIN, Statistic.MAX), ms);
        var median = org.apache.commons.statistics.descriptive.Median.withDefaults();
        BenchRow row = new BenchRow(s.getScenario().name(), p.label(), median.evaluate(ms), st.getAsDouble(Statistic.MIN),
                st.getAsDouble(Statistic.MAX), median.evaluate(cpu), median.evaluate(floor), peak / 1048576.0);
        rows.add(row);
        boolean hasFloor = row.floorMs() >= 0;
        System.out.printf(Locale.ROOT, "%-58s %7.1fms %7.1fms %7.1fms %7.1fms %9s %7s %8.1f MiB%s%n",
                row.scenario() + " / " + row.policy(), row.medianMs(), row.minMs(), row.maxMs(), row.cpuMs(),
                hasFloor ? String.format(Locale.ROOT, "%.1fms", row.floorMs()) : "-",
                hasFloor ? String.format(Locale.ROOT, "%.1fx", row.medianMs() / row.floorMs()) : "-",
                row.peakHeapMiB(), row.change(before));
    }

    /** CPU time of the whole JVM (engine, bodies, compiler and collector threads). */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean b : ManagementFactory.getMemoryPoolMXBeans()) if (b.getType() == MemoryType.HEAP) b.resetPeakUsage();
    }

    private static long heapPeak() {
        long sum = 0;
        for (MemoryPoolMXBean b : ManagementFactory.getMemoryPoolMXBeans()) {
            if (b.getType() == MemoryType.HEAP) sum += b.getPeakUsage().getUsed();
        }
        return sum;
    }
}
