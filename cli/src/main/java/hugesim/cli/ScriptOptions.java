package hugesim.cli;

import hugesim.dsl.Literal;
import hugesim.dsl.ScenarioException;
import hugesim.dsl.ScenarioLoader;
import hugesim.policy.Policy;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The options every command that loads a script takes: parameter values, the seed, and policies. */
final class ScriptOptions {
    @Option(names = "--set", paramLabel = "NAME=VALUE",
            description = "give a parameter the script declares with param() this value, written as in a script: --set reserve=24.GB; repeatable")
    List<String> sets = new ArrayList<>();

    @Option(names = "--seed", paramLabel = "N", description = "seed for every random stream of the run (default: the script's seed, else 1)")
    Long seed;

    @Option(names = "--policy", paramLabel = "EXPR",
            description = "run under this policy instead of the script's, e.g. 'reservedThp(reserve: 22.GB, overcommit: true)'; repeatable")
    List<String> policies = new ArrayList<>();

    /** The {@code --set} values, parsed with the DSL's unit literals. */
    Map<String, Object> parsedSets() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String s : sets) {
            int eq = s.indexOf('=');
            if (eq <= 0) throw new ScenarioException("--set", -1, "'" + s + "': write NAME=VALUE, e.g. --set reserve=24.GB");
            String name = s.substring(0, eq).trim();
            if (out.containsKey(name)) throw new ScenarioException("--set", -1, name + " is set twice");
            try {
                out.put(name, Literal.parse(s.substring(eq + 1)));
            } catch (IllegalArgumentException e) {
                throw new ScenarioException("--set", -1, name + ": " + e.getMessage());
            }
        }
        return out;
    }

    List<Policy> parsedPolicies() {
        List<Policy> out = new ArrayList<>();
        for (String expr : policies) out.add(ScenarioLoader.policy(expr));
        return out;
    }
}
