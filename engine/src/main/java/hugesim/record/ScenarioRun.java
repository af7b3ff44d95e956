package hugesim.record;

import java.util.List;

/**
 * A scenario run under each of its policies, with what it came from: the typed result every output format
 * writes from.
 *
 * @param version the hugesim version that ran it
 * @param script  the script (null when the scenario was built in code)
 * @param results one run per policy, in the scenario's order
 */
public record ScenarioRun(String version, ScriptInfo script, List<RunResult> results) {
    public ScenarioRun {
        results = List.copyOf(results);
        if (results.isEmpty()) throw new IllegalArgumentException("a scenario run has at least one policy's result");
    }

    public String scenario() { return results.get(0).scenario(); }

    public String description() { return results.get(0).description(); }

    /** True when every policy's run met every expectation. */
    public boolean expectationsMet() {
        return results.stream().allMatch(r -> r.checks().stream().allMatch(Check::met));
    }
}
