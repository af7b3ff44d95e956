package hugesim.cli;

import hugesim.charts.ReservedVsUsedChart;
import hugesim.cli.report.HtmlReport;
import hugesim.dsl.ScenarioException;
import hugesim.dsl.ScenarioFile;
import hugesim.dsl.ScriptSource;
import hugesim.dsl.Settings;
import hugesim.policy.Policy;
import hugesim.record.ResultWriter;
import hugesim.record.RunResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
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
                "Writes DIR/<scenario>/<policy>/result.json and series.csv, the charts",
                "DIR/<scenario>/reserved-vs-used.png and .svg, and the self-contained page",
                "DIR/<scenario>/report.html; prints a summary table.",
                "Exit 0 on success, 1 when the scenario's own asserts fail, 2 on bad input."})
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

    @Override
    public Integer call() {
        PrintStream err = System.err;
        ScenarioFile scenario;
        List<RunResult> results = new ArrayList<>();
        try {
            if (replication < 0) throw new ScenarioException("--replication", -1, "must not be negative, got " + replication);
            WarmUp.awaitScripts();
            scenario = ScriptSource.read(file).load(new Settings(script.parsedSets(), script.seed, replication));
            List<Policy> ps = script.parsedPolicies();
            if (!ps.isEmpty()) scenario = scenario.withPolicies(ps);
            results.addAll(Parallel.map(scenario.getScenario().policies(), scenario::run));
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
            Path dir = OutputDir.replace(OutputDir.scenarioDir(out, name), tmp -> {
                for (RunResult r : results) {
                    Path d = Files.createDirectories(OutputDir.child(tmp, "policy folder", r.policyKey()));
                    ResultWriter.writeJson(r, d.resolve("result.json"));
                    ResultWriter.writeCsv(r, d.resolve("series.csv"));
                }
                // the chart toolkit is initialised by the warm-up thread; the page and the charts both use it
                if (!noCharts || !noReport) WarmUp.awaitCharts();
                // the page renders beside the charts: on a machine with a core to spare it costs no wall time
                CompletableFuture<Void> report = noReport ? null : CompletableFuture.runAsync(() -> {
                    try {
                        HtmlReport.write(Main.version(), results, tmp);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                try {
                    if (!noCharts) ReservedVsUsedChart.write(name, results, tmp);
                } finally {
                    // never leave the page writing into a folder that is being cleaned up
                    if (report != null) await(report);
                }
            }, SweepOutput::isSweepEntry);
            System.out.print(SummaryTable.render(name, results));
            System.out.println();
            System.out.println("results: " + dir + "/<policy>/result.json, series.csv" + (noCharts ? "" : "; charts: " + dir.resolve(ReservedVsUsedChart.PNG_FILE) + " and .svg")
                    + (noReport ? "" : "; report: " + dir.resolve(HtmlReport.FILE)));
        } catch (IOException e) {
            err.println("hugesim: cannot write results under " + out + ": " + e.getMessage());
            return Main.BAD_INPUT;
        } catch (OutOfMemoryError e) {
            // the scratch directory is already gone (OutputDir); say what to do in one line
            err.println("hugesim: out of memory while writing results under " + out + ": " + Main.OUT_OF_MEMORY_HINT);
            return Main.BAD_INPUT;
        }
        return Main.OK;
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
