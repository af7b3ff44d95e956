package hugesim.cli;

import hugesim.charts.ReservedVsUsedChart;
import hugesim.cli.report.HtmlReport;
import hugesim.dsl.ScenarioException;
import hugesim.dsl.ScenarioFile;
import hugesim.dsl.ScriptSource;
import hugesim.dsl.Settings;
import hugesim.policy.Policy;
import hugesim.record.Check;
import hugesim.record.EventData;
import hugesim.record.OutputFormat;
import hugesim.record.SummaryFiles;
import hugesim.record.RunResult;
import hugesim.record.ScenarioRun;
import hugesim.record.ScriptInfo;
import hugesim.record.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** {@code hugesim run FILE}: runs a scenario under each policy and writes results, CSV and charts. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs a scenario script under each of its policies.",
                "Writes under DIR/<scenario>/:",
                "  <policy>/result.json, series.csv, pageblocks.png and pageblocks.svg;",
                "  reserved-vs-used.png and reserved-vs-used.svg (the chart);",
                "  report.html (a self-contained page);",
                "  summary.json and summary.csv (one row per policy);",
                "and prints a summary table. Every policy runs and writes its outputs; files of other runs under "
                        + "DIR/<scenario> stay.",
                "Exit 0 on success, 1 when an assert in a body or an expect { } failed (each named with its policy "
                        + "on stderr), 2 on bad input."})
final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "the scenario script (*.groovy)")
    Path file;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out", description = "where results go (default: ${DEFAULT-VALUE})")
    Path out;

    @Mixin
    ScriptOptions script;

    @Option(names = "--replication", paramLabel = "R", defaultValue = "0",
            description = "run replication R of the scenario (from 0): its random streams derive from (seed, R), as in a sweep")
    int replication;

    @Option(names = "--no-charts", description = "skip the PNG and SVG charts")
    boolean noCharts;

    @Option(names = "--no-report", description = "skip report.html")
    boolean noReport;

    @Option(names = "--junit", paramLabel = "FILE",
            description = "also write JUnit XML for CI: per policy a test case for its asserts and one per expectation")
    Path junit;

    @Override
    public Integer call() {
        Phases.mark("options");
        PrintStream err = System.err;
        ScenarioFile scenario;
        List<RunResult> results = new ArrayList<>();
        try {
            if (replication < 0) throw new ScenarioException("--replication", -1, "must not be negative, got " + replication);
            WarmUp.awaitScripts();
            scenario = ScriptSource.read(file).load(new Settings(script.parsedSets(), script.seed, replication));
            List<Policy> ps = script.parsedPolicies();
            if (!ps.isEmpty()) scenario = scenario.withPolicies(ps);
            Phases.mark("script load");
            results.addAll(Parallel.map(scenario.getScenario().policies(), scenario::run));
            Phases.mark("engine");
            // the script's own warnings are the same under every policy: say them once
            if (!results.isEmpty()) {
                for (var w : results.get(0).events("script_warning")) err.println(scenario.getPath() + ": warning: process '" + w.process() + "' " + w.detail());
            }
        } catch (ScenarioException e) {
            err.println(e.getMessage());
            return e.getAssertion() ? Main.ASSERT_FAILED : Main.BAD_INPUT;
        }
        String name = scenario.getScenario().name();
        try {
            ScenarioRun run = scenarioRun(scenario, results);
            Path dir = OutputDir.update(OutputDir.scenarioDir(out, name), tmp -> {
                // a policy's folder must stay directly under the scenario's
                for (RunResult r : results) OutputDir.child(tmp, "policy folder", r.policyKey());
                // the chart toolkit is initialised by the warm-up thread; the page and the charts both use it
                if (!noCharts || !noReport) WarmUp.awaitCharts();
                writeAll(Formats.files(!noCharts, !noReport), run, tmp);
            });
            Phases.mark("files");
            if (junit != null) JUnitReport.write(run, junit);
            for (OutputFormat f : Formats.printed(System.out)) f.write(run, dir);
            Phases.mark("table");
            System.out.println();
            System.out.println("results: " + dir + "/<policy>/result.json, series.csv; " + SummaryFiles.JSON + ", " + SummaryFiles.CSV
                    + (noCharts ? "" : "; charts: " + dir.resolve(ReservedVsUsedChart.PNG_FILE) + " and .svg, <policy>/"
                            + hugesim.charts.PageblockMapFormat.FILE + " and .svg")
                    + (noReport ? "" : "; report: " + dir.resolve(HtmlReport.FILE))
                    + (junit == null ? "" : "; JUnit: " + junit));
            return failures(run, err) ? Main.ASSERT_FAILED : Main.OK;
        } catch (IOException e) {
            err.println("hugesim: cannot write results under " + out + ": " + e.getMessage());
            return Main.BAD_INPUT;
        } catch (OutOfMemoryError e) {
            // the scratch directory is already gone (OutputDir); say what to do in one line
            err.println("hugesim: out of memory while writing results under " + out + ": " + Main.OUT_OF_MEMORY_HINT);
            return Main.BAD_INPUT;
        }
    }

    /** The typed result of a script's runs, with the script itself, for the output formats. */
    static ScenarioRun scenarioRun(ScenarioFile scenario, List<RunResult> results) {
        ScriptSource src = scenario.getSource();
        return new ScenarioRun(Version.get(), new ScriptInfo(src.getDisplay(), src.getSha256(), src.getText()), results);
    }

    /** Says on stderr, one per line, each failed assert and expectation with its policy; true when there was one. */
    private static boolean failures(ScenarioRun run, PrintStream err) {
        boolean any = false;
        for (RunResult r : run.results()) {
            for (var e : r.events()) {
                if (e.data() instanceof EventData.AssertFailed a) {
                    err.println(a.file() + (a.line() > 0 ? ":" + a.line() : "") + ": assertion failed under " + r.policy()
                            + " (process '" + e.process() + "'): " + a.message());
                    any = true;
                }
            }
            for (Check c : r.failedChecks()) {
                err.println(c.where() + ": expectation not met under " + r.policy() + ": expect { " + c.text() + " } ("
                        + r.summary().verdict() + ")");
                any = true;
            }
        }
        return any;
    }

    /**
     * Writes every format into {@code dir}: the first on this thread, the others beside it (they write files of
     * their own, so on a machine with a core to spare the page and the charts cost no wall time). All are awaited
     * before this returns, so none writes into a folder that is being cleaned up.
     */
    private static void writeAll(List<OutputFormat> formats, ScenarioRun run, Path dir) throws IOException {
        List<CompletableFuture<Void>> others = new ArrayList<>();
        for (OutputFormat f : formats.subList(1, formats.size())) {
            others.add(CompletableFuture.runAsync(() -> {
                try {
                    f.write(run, dir);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
        }
        try {
            formats.get(0).write(run, dir);
        } finally {
            for (CompletableFuture<Void> o : others) await(o);
        }
    }

    private static void await(CompletableFuture<Void> f) throws IOException {
        try {
            f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException u) throw u.getCause();
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw e;
        }
    }
}
