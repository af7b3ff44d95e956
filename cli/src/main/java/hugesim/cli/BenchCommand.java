package hugesim.cli;

import hugesim.dsl.ScenarioException;
import hugesim.dsl.ScenarioFile;
import hugesim.dsl.ScenarioLoader;
import hugesim.policy.Policy;
import org.apache.commons.statistics.descriptive.DoubleStatistics;
import org.apache.commons.statistics.descriptive.Statistic;
import picocli.CommandLine.Command;
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
        description = {"Times engine runs of scenarios (no JVM start, no charts, no output files)",
                "and reports the peak heap of each run. Run it with the heap limit you want to check,",
                "e.g. HUGESIM_JAVA_OPTS=-Xmx1g ./hugesim bench"})
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

    @Override
    public Integer call() {
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
        System.out.printf(Locale.ROOT, "%-58s %9s %9s %9s %12s%n", "scenario / policy", "median", "min", "max", "peak heap");
        try {
            for (Path f : files) {
                ScenarioFile s = ScenarioLoader.load(f);
                for (Policy p : s.getScenario().policies()) bench(s, p);
            }
        } catch (ScenarioException e) {
            System.err.println(e.getMessage());
            return e.getAssertion() ? Main.ASSERT_FAILED : Main.BAD_INPUT;
        }
        return Main.OK;
    }

    private void bench(ScenarioFile s, Policy p) {
        s.run(p);   // warm-up: class loading and JIT
        double[] ms = new double[iterations];
        long peak = 0;
        for (int i = 0; i < iterations; i++) {
            System.gc();
            resetPeaks();
            long t0 = System.nanoTime();
            s.run(p);
            ms[i] = (System.nanoTime() - t0) / 1e6;
            peak = Math.max(peak, heapPeak());
        }
        DoubleStatistics st = DoubleStatistics.of(java.util.EnumSet.of(Statistic.MIN, Statistic.MAX), ms);
        double median = org.apache.commons.statistics.descriptive.Median.withDefaults().evaluate(ms);
        System.out.printf(Locale.ROOT, "%-58s %7.1fms %7.1fms %7.1fms %9.1f MiB%n",
                s.getScenario().name() + " / " + p.label(), median, st.getAsDouble(Statistic.MIN),
                st.getAsDouble(Statistic.MAX), peak / 1048576.0);
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
