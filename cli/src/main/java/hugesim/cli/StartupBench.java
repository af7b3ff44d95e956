package hugesim.cli;

import org.apache.commons.statistics.descriptive.Median;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code hugesim bench --startup}: times {@code hugesim run FILE} end to end in fresh JVMs started as the
 * launcher starts them, and splits each run into phases by when the JVM first loaded a class that marks
 * the phase (-Xlog:class+load with uptime stamps): the phases need no timers in the command itself.
 */
final class StartupBench {
    /** Phase names and the class whose first load starts each one, in order. */
    private static final String[][] PHASES = {
            {"jvm to main", "hugesim.cli.Main"},
            {"options", "hugesim.dsl.ScriptSource"},
            {"script load", "hugesim.scenario.Runner"},
            {"engine", "hugesim.record.ResultWriter"},
            {"json, csv", "hugesim.charts.ReservedVsUsedChart"},
    };
    private static final Pattern LINE = Pattern.compile("^\\[(\\d+\\.\\d+)s\\] (\\S+) ");

    private StartupBench() {}

    static void run(Path file, int iterations) throws IOException, InterruptedException {
        List<String> jvm = jvmCommand();
        double[] help = new double[iterations];
        double[] total = new double[iterations];
        double[][] phase = new double[PHASES.length + 1][iterations];
        for (int i = 0; i < iterations; i++) {
            Path out = Files.createTempDirectory("hugesim-startup-");
            Path log = out.resolve("class-load.log");
            try {
                List<String> cmd = new ArrayList<>(jvm);
                cmd.add("-Xlog:class+load:file=" + log + ":uptime");
                cmd.addAll(List.of("hugesim.cli.Main", "run", file.toString(), "--out", out.resolve("out").toString()));
                total[i] = time(cmd);
                double[] at = marks(log);
                for (int p = 0; p < PHASES.length; p++) phase[p][i] = at[p + 1] - at[p];
                phase[PHASES.length][i] = total[i] - at[PHASES.length];
                List<String> h = new ArrayList<>(jvm);
                h.addAll(List.of("hugesim.cli.Main", "--help"));
                help[i] = time(h);
            } finally {
                deleteTree(out);
            }
        }
        Median median = Median.withDefaults();
        System.out.printf(Locale.ROOT, "hugesim run %s, fresh JVMs as the launcher starts them, median of %d:%n", file, iterations);
        for (int p = 0; p < PHASES.length; p++) System.out.printf(Locale.ROOT, "  %-14s %7.3f s%n", PHASES[p][0], median.evaluate(phase[p]));
        System.out.printf(Locale.ROOT, "  %-14s %7.3f s%n", "charts, exit", median.evaluate(phase[PHASES.length]));
        System.out.printf(Locale.ROOT, "  %-14s %7.3f s%n", "total", median.evaluate(total));
        System.out.printf(Locale.ROOT, "hugesim --help: %.3f s%n", median.evaluate(help));
    }

    /** The java command of this JVM, with the options the launcher gives {@code run} (the quick C1 compiler only). */
    private static List<String> jvmCommand() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-Xlog") && !a.startsWith("-XX:StartFlightRecording") && !a.startsWith("-agentlib")) cmd.add(a);
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

    /** Seconds of JVM uptime at which each phase's marker class was first loaded; index 0 is the JVM's start. */
    private static double[] marks(Path log) throws IOException {
        double[] at = new double[PHASES.length + 1];
        for (String line : Files.readAllLines(log)) {
            Matcher m = LINE.matcher(line);
            if (!m.find()) continue;
            for (int p = 0; p < PHASES.length; p++) {
                if (at[p + 1] == 0 && m.group(2).equals(PHASES[p][1])) at[p + 1] = Double.parseDouble(m.group(1));
            }
        }
        for (int p = 1; p <= PHASES.length; p++) {
            if (at[p] == 0) throw new IOException("the run never loaded " + PHASES[p - 1][1] + " (see " + log + ")");
        }
        return at;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
