package hugesim.cli;

import hugesim.charts.ReservedVsUsedChart;
import hugesim.dsl.ScenarioException;
import hugesim.dsl.ScenarioFile;
import hugesim.dsl.ScenarioLoader;
import hugesim.policy.Policy;
import hugesim.record.ResultWriter;
import hugesim.record.RunResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code hugesim run FILE}: runs a scenario under each policy and writes results, CSV and charts. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs a scenario script under each of its policies.",
                "Writes DIR/<scenario>/<policy>/result.json and series.csv, and the charts",
                "DIR/<scenario>/reserved-vs-used.png and .svg; prints a summary table.",
                "Exit 0 on success, 1 when the scenario's own asserts fail, 2 on bad input."})
final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "the scenario script (*.groovy)")
    Path file;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out", description = "where results go (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--policy", paramLabel = "EXPR",
            description = "run under this policy instead of the script's, e.g. 'reservedThp(reserve: 22.GB, overcommit: true)'; repeatable")
    List<String> policies = new ArrayList<>();

    @Option(names = "--seed", paramLabel = "N", description = "seed for the scenario's random numbers (default: the script's, else 1)")
    Long seed;

    @Option(names = "--no-charts", description = "skip the PNG and SVG charts")
    boolean noCharts;

    @Override
    public Integer call() {
        PrintStream err = System.err;
        ScenarioFile scenario;
        List<RunResult> results = new ArrayList<>();
        try {
            scenario = ScenarioLoader.load(file);
            if (!policies.isEmpty()) {
                List<Policy> ps = new ArrayList<>();
                for (String expr : policies) ps.add(ScenarioLoader.policy(expr));
                scenario = scenario.withPolicies(ps);
            }
            if (seed != null) scenario = scenario.withSeed(seed);
            results.addAll(Parallel.map(scenario.getScenario().policies(), scenario::run));
        } catch (ScenarioException e) {
            err.println(e.getMessage());
            return e.getAssertion() ? Main.ASSERT_FAILED : Main.BAD_INPUT;
        }
        String name = scenario.getScenario().name();
        try {
            Path dir = OutputDir.replace(out.resolve(name), tmp -> {
                for (RunResult r : results) {
                    Path d = Files.createDirectories(tmp.resolve(r.policyKey()));
                    ResultWriter.writeJson(r, d.resolve("result.json"));
                    ResultWriter.writeCsv(r, d.resolve("series.csv"));
                }
                if (!noCharts) ReservedVsUsedChart.write(name, results, tmp);
            });
            System.out.print(SummaryTable.render(name, results));
            System.out.println();
            System.out.println("results: " + dir + "/<policy>/result.json, series.csv" + (noCharts ? "" : "; charts: " + dir.resolve(ReservedVsUsedChart.PNG_FILE) + " and .svg"));
        } catch (IOException e) {
            err.println("hugesim: cannot write results under " + out + ": " + e.getMessage());
            return Main.BAD_INPUT;
        }
        return Main.OK;
    }
}
