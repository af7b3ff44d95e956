package hugesim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hugesim.dsl.Literal;
import hugesim.dsl.ScenarioException;
import hugesim.dsl.ScenarioFile;
import hugesim.dsl.ScenarioLoader;
import hugesim.dsl.ScriptSource;
import hugesim.dsl.Settings;
import hugesim.record.OutputFormat;
import hugesim.record.ResultJson;
import hugesim.record.ResultWriter;
import hugesim.record.RunResult;
import hugesim.record.ScenarioRun;
import hugesim.record.SeriesCsv;
import hugesim.record.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code hugesim replay DIR/<scenario>/<policy>/result.json}: runs that run again from what result.json recorded (the
 * script's text, its parameters, the seed, the replication and the policy) and compares the new result.json and
 * series.csv with those beside it, byte for byte.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Re-runs a recorded run and compares its files byte for byte.",
                "Runs exactly what a result.json records (script text, parameters, seed, replication, policy) and "
                        + "compares the new result.json and series.csv with the files beside it.",
                "Exit 0 when they are the same, 1 when something differs (the first difference is printed), "
                        + "2 on bad input."})
final class ReplayCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RESULT", description = "a result.json written by hugesim run")
    Path file;

    @Override
    public Integer call() throws IOException {
        PrintStream err = System.err;
        JsonNode r;
        try {
            if (!Files.isRegularFile(file)) throw new ScenarioException(file.toString(), -1, "no such file");
            try {
                r = new ObjectMapper().readTree(file.toFile());
            } catch (IOException e) {
                throw new ScenarioException(file.toString(), -1, "is not a result.json: " + e.getMessage().lines().findFirst().orElse(""));
            }
            if (r.path("format").asInt(0) != ResultWriter.FORMAT || !r.path("script").has("text")) {
                throw new ScenarioException(file.toString(), -1, "is not a result.json of format " + ResultWriter.FORMAT
                        + " with its script (written by hugesim " + Version.get() + " run)");
            }
        } catch (ScenarioException e) {
            err.println(e.getMessage());
            return Main.BAD_INPUT;
        }
        RunResult again;
        ScenarioFile scenario;
        try {
            Map<String, Object> sets = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = r.path("parameters").fields(); it.hasNext(); ) {
                var e = it.next();
                sets.put(e.getKey(), Literal.parse(e.getValue().asText()));
            }
            ScriptSource src = ScriptSource.of(r.path("script").path("path").asText(), r.path("script").path("text").asText(),
                    10_000L);
            scenario = src.load(new Settings(sets, r.path("seed").asLong(), r.path("replication").asInt()))
                    .withPolicies(List.of(ScenarioLoader.policy(r.path("policy").path("expression").asText())));
            again = scenario.run(scenario.getScenario().policies().get(0));
        } catch (ScenarioException e) {
            err.println(e.getMessage());
            return Main.BAD_INPUT;
        } catch (IllegalArgumentException e) {
            err.println(file + ": " + e.getMessage());
            return Main.BAD_INPUT;
        }
        ScenarioRun run = RunCommand.scenarioRun(scenario, List.of(again));
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempDirectory("hugesim-replay-");
        try {
            for (OutputFormat f : List.of(new ResultJson(), new SeriesCsv())) f.write(run, tmp);
            Path now = tmp.resolve(again.policyKey());
            String version = r.path("hugesim").asText();
            if (!version.equals(Version.get())) System.out.println("recorded by hugesim " + version + ", replayed by " + Version.get());
            boolean same = true;
            for (String name : List.of(ResultJson.FILE, SeriesCsv.FILE)) {
                Path before = name.equals(ResultJson.FILE) ? file : dir.resolve(name);
                if (!Files.exists(before)) {
                    System.out.println(name + ": not beside " + file.getFileName() + ", not compared");
                    continue;
                }
                String diff = firstDifference(Files.readAllLines(before), Files.readAllLines(now.resolve(name)));
                if (diff == null && !java.util.Arrays.equals(Files.readAllBytes(before), Files.readAllBytes(now.resolve(name)))) {
                    diff = "the same lines, other bytes (line endings or a final newline)";
                }
                if (diff == null) System.out.println(name + ": reproduced byte for byte");
                else {
                    System.out.println(name + ": differs: " + diff);
                    same = false;
                }
            }
            return same ? Main.OK : Main.ASSERT_FAILED;
        } finally {
            OutputDir.delete(tmp);
        }
    }

    /** "line 12: recorded '…', replayed '…'", or null when the lines are the same. */
    static String firstDifference(List<String> before, List<String> now) {
        for (int i = 0; i < Math.max(before.size(), now.size()); i++) {
            String a = i < before.size() ? before.get(i) : null, b = i < now.size() ? now.get(i) : null;
            if (a == null || !a.equals(b)) {
                return "line " + (i + 1) + ": recorded " + (a == null ? "nothing" : "'" + clip(a.strip()) + "'")
                        + ", replayed " + (b == null ? "nothing" : "'" + clip(b.strip()) + "'");
            }
        }
        return null;
    }

    private static String clip(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }
}
