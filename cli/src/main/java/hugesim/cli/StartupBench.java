package hugesim.cli;

import org.apache.commons.statistics.descriptive.Median;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code hugesim bench --startup}: times {@code hugesim run FILE} end to end in fresh JVMs started as the
 * launcher starts them, split into the phases the command marks ({@link Phases}): JVM start to main,
 * option parsing, script load, engine, result files (JSON, CSV, summaries, charts and report, written in
 * parallel), the printed table, and exit. Also times {@code hugesim --help}, and the run as the background
 * JVM serves it.
 */
final class StartupBench {
    /** The marks a run makes, in order; each ends the phase of its name. */
    private static final String[] MARKS = {"jvm to main", "options", "script load", "engine", "files", "table"};

    private StartupBench() {}

    static void run(Path file, int iterations) throws IOException, InterruptedException {
        List<String> jvm = jvmCommand();
        double[] help = new double[iterations];
        double[] total = new double[iterations];
        double[][] phase = new double[MARKS.length + 1][iterations];
        for (int i = 0; i < iterations; i++) {
            Path out = Files.createTempDirectory("hugesim-startup-");
            Path marks = out.resolve("phases.txt");
            try {
                List<String> cmd = new ArrayList<>(jvm);
                cmd.add("-Dhugesim.phases=" + marks);
                cmd.addAll(List.of("hugesim.cli.Main", "run", file.toString(), "--out", out.resolve("out").toString()));
                total[i] = time(cmd);
                double[] at = marks(marks);
                for (int p = 0; p < MARKS.length; p++) phase[p][i] = at[p + 1] - at[p];
                phase[MARKS.length][i] = total[i] - at[MARKS.length];
                List<String> h = new ArrayList<>(jvm);
                h.addAll(List.of("hugesim.cli.Main", "--help"));
                help[i] = time(h);
            } finally {
                OutputDir.delete(out);
            }
        }
        Median median = Median.withDefaults();
        System.out.printf(Locale.ROOT, "hugesim run %s, fresh JVMs as the launcher starts them, median of %d:%n", file, iterations);
        for (int p = 0; p < MARKS.length; p++) System.out.printf(Locale.ROOT, "  %-14s %7.3f s%n", MARKS[p], median.evaluate(phase[p]));
        System.out.printf(Locale.ROOT, "  %-14s %7.3f s%n", "exit", median.evaluate(phase[MARKS.length]));
        System.out.printf(Locale.ROOT, "  %-14s %7.3f s%n", "total", median.evaluate(total));
        System.out.printf(Locale.ROOT, "hugesim --help: %.3f s%n", median.evaluate(help));
        served(jvm, file, iterations, median);
    }

    /**
     * The same run handed to a background JVM ({@link Daemon}) as the launcher hands it: a first run that
     * starts the daemon, which warms up on the same script; its first served run, then the median of
     * {@code iterations} more. The daemon serves a socket folder of its own and is stopped after.
     */
    private static void served(List<String> jvm, Path file, int iterations, Median median) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("hugesim-daemon-");
        try {
            List<String> client = new ArrayList<>(jvm);
            client.add("-D" + DaemonWire.DIR + "=" + dir);
            client.add("-D" + Daemon.WARM_UP + "=" + file.toAbsolutePath());
            client.addAll(List.of("hugesim.cli.Main", "run", file.toString(), "--out"));
            time(with(client, dir.resolve("out")));
            long end = System.nanoTime() + 60_000_000_000L;
            while (!warm(dir)) {
                if (System.nanoTime() > end) throw new IOException("no background JVM answered in " + dir);
                Thread.sleep(100);
            }
            double first = time(with(client, dir.resolve("out")));
            double[] warm = new double[iterations];
            for (int i = 0; i < iterations; i++) warm[i] = time(with(client, dir.resolve("out")));
            System.out.printf(Locale.ROOT, "hugesim run %s served by the background JVM: first %.3f s, then median of %d %.3f s%n",
                    file, first, iterations, median.evaluate(warm));
        } finally {
            OutputDir.delete(dir);
        }
    }

    private static List<String> with(List<String> cmd, Path last) {
        List<String> c = new ArrayList<>(cmd);
        c.add(last.toString());
        return c;
    }

    /** Whether the daemon serving {@code dir} has run its warm-up and takes runs. */
    private static boolean warm(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            for (Path p : s.filter(DaemonWire::isSocket).toList()) {
                Path log = DaemonWire.log(p);
                if (Files.exists(log) && Files.readString(log).contains("hugesim daemon: warmed up")) return true;
            }
        }
        return false;
    }
    /** The java command of this JVM, with the options the launcher gives {@code run} (the quick C1 compiler only). */
    private static List<String> jvmCommand() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-XX:StartFlightRecording") && !a.startsWith("-agentlib") && !a.startsWith("-Dhugesim.phases")) cmd.add(a);
        }
        if (!cmd.contains("-XX:TieredStopAtLevel=1")) cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        return cmd;
    }

    private static double time(List<String> cmd) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        int rc = p.waitFor();
        double s = (System.nanoTime() - t0) / 1e9;
        if (rc != 0) throw new IOException("exit " + rc + " from " + String.join(" ", cmd));
        return s;
    }

    /** Seconds of JVM uptime at each mark; index 0 is the JVM's start. */
    private static double[] marks(Path file) throws IOException {
        double[] at = new double[MARKS.length + 1];
        boolean[] seen = new boolean[MARKS.length];
        for (String line : Files.readAllLines(file)) {
            int sp = line.lastIndexOf(' ');
            for (int p = 0; p < MARKS.length; p++) {
                if (line.substring(0, sp).equals(MARKS[p])) {
                    at[p + 1] = Double.parseDouble(line.substring(sp + 1));
                    seen[p] = true;
                }
            }
        }
        for (int p = 0; p < MARKS.length; p++) if (!seen[p]) throw new IOException("the run made no '" + MARKS[p] + "' mark");
        return at;
    }
}
