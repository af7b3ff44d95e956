package hugesim.cli;

import hugesim.dsl.Experiment;
import hugesim.dsl.ScriptSource;
import hugesim.experiment.SweepSpec;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code hugesim bench --sweep}: a script's sweep timed three ways in one JVM, after a warm-up pass: the
 * engine alone (each run's {@code Runner} call, one core), the sweep on one core (script evaluation, goal,
 * metrics and the journal included) and on every core; the overhead of the sweep over the engine, the
 * speed-up, and the heap left after a full collection, which should not grow with the number of runs.
 */
final class SweepBench {
    private SweepBench() {}

    static void run(Path file, Integer replications, int jobs) throws IOException {
        Experiment exp = new Experiment(ScriptSource.read(file), Map.of(), null, Map.of(), replications, null, List.of(), null, null);
        SweepSpec spec = exp.getSpec();
        long[] all = java.util.stream.LongStream.range(0, spec.runs()).toArray();
        // warm-up: class loading and the JIT, over one replication of every point and policy
        long[] warm = java.util.stream.LongStream.range(0, spec.runs()).filter(k -> spec.replicationOf(k) == 0).toArray();
        RunPool.run(warm, 1, exp::run, o -> { });
        long retainedBefore = retained();
        long t0 = System.nanoTime();
        for (long k : all) {
            int p = spec.pointOf(k);
            var f = exp.point(p).withReplication(spec.replicationOf(k));
            f.run(f.getScenario().policies().get(spec.policyOf(k)));
        }
        double engine = (System.nanoTime() - t0) / 1e9;
        double one = timed(exp, spec, all, 1);
        double many = timed(exp, spec, all, jobs);
        long retainedAfter = retained();
        System.out.printf(Locale.ROOT, "%s: %d runs (%d points x %d policies x %d replications)%n", spec.scenario(), spec.runs(),
                spec.points(), spec.policies().size(), spec.replications());
        System.out.printf(Locale.ROOT, "  engine alone, 1 core   %8.2f s  %7.2f ms/run%n", engine, 1000 * engine / all.length);
        System.out.printf(Locale.ROOT, "  sweep, 1 core          %8.2f s  %7.2f ms/run  overhead %+.1f %% over the engine%n", one,
                1000 * one / all.length, 100 * (one / engine - 1));
        System.out.printf(Locale.ROOT, "  sweep, %d cores         %8.2f s  %7.2f ms/run  %.2fx one core%n", jobs, many, 1000 * many / all.length, one / many);
        System.out.printf(Locale.ROOT, "  heap after full GC     %8.1f MiB before, %.1f MiB after (rows kept: %d)%n",
                retainedBefore / 1048576.0, retainedAfter / 1048576.0, all.length);
    }

    /** A sweep as {@code hugesim sweep} runs it: rows kept, each appended to a journal as it finishes. */
    private static double timed(Experiment exp, SweepSpec spec, long[] runs, int jobs) throws IOException {
        Path dir = Files.createTempDirectory("hugesim-bench-");
        List<Object> rows = new ArrayList<>();
        try (Journal journal = Journal.open(dir.resolve("journal"), spec, false, List.of())) {
            long t0 = System.nanoTime();
            RunPool.run(runs, jobs, exp::run, o -> {
                rows.add(o.getRow());
                try {
                    journal.append(o.getRow());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            return (System.nanoTime() - t0) / 1e9;
        } finally {
            OutputDir.delete(dir);
        }
    }

    private static long retained() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
