package hugesim.cli;

import hugesim.dsl.Experiment;
import hugesim.dsl.Goal;
import hugesim.dsl.ScriptSource;
import hugesim.dsl.SweepText;
import hugesim.experiment.SweepSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@code sweep} and {@code plan} share: the script, its parameters, sweeps, replications, goal and cores. */
final class ExperimentOptions {
    @Parameters(index = "0", paramLabel = "FILE", description = "the scenario script (*.groovy)")
    Path file;

    @Mixin
    ScriptOptions script;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out", description = "where results go (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--sweep", paramLabel = "NAME=VALUES",
            description = "vary a parameter: 'reserve=16.GB..32.GB step 1.GB' or 'coldShare=0.2,0.4,0.6'; replaces the script's sweep of it; repeatable")
    List<String> sweeps = new ArrayList<>();

    @Option(names = "--replications", paramLabel = "N", description = "runs per point and policy (default: the script's, else 1)")
    Integer replications;

    @Option(names = "--goal", paramLabel = "EXPR", description = "a condition over the summary metrics, e.g. 'failedCalls == 0 && stallSeconds <= 1' (default: the script's goal)")
    String goal;

    @Option(names = "--jobs", paramLabel = "N", description = "runs at once (default: the number of cores)")
    Integer jobs;

    /** The experiment the options describe; {@code only} keeps one swept parameter (a plan's). */
    Experiment experiment(SweepSpec.Shard shard, String only) {
        Map<String, SweepText> cli = new LinkedHashMap<>();
        for (String s : sweeps) {
            SweepText t = SweepText.parse(s);
            if (cli.put(t.name(), t) != null) throw new IllegalArgumentException("--sweep " + t.name() + " is given twice");
        }
        if (replications != null && replications < 1) throw new IllegalArgumentException("--replications must be 1 or more, got " + replications);
        jobs();
        Goal g = goal == null ? null : Goal.parse(goal);
        return new Experiment(ScriptSource.read(file), script.parsedSets(), script.seed, cli, replications, g, script.parsedPolicies(), shard, only);
    }

    int jobs() {
        if (jobs != null && jobs < 1) throw new IllegalArgumentException("--jobs must be 1 or more, got " + jobs);
        return jobs != null ? jobs : Runtime.getRuntime().availableProcessors();
    }
}
