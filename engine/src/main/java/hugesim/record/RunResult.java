package hugesim.record;

import java.util.List;
import java.util.Map;

/**
 * Everything one policy's run of a scenario produced.
 *
 * @param scenario    the scenario's name
 * @param description what the scenario is about
 * @param policy      the policy's label, e.g. {@code reservedThp(reserve: 22G, overcommit: true)}
 * @param policyKey   the policy as a directory name, e.g. {@code reservedThp-reserve-22G-overcommit}
 * @param policyParams the policy's parameters, in bytes and booleans
 * @param machine     the machine as booted: memory, swap, command line, geometry
 * @param seed        the seed the run used
 * @param replication which replication of the scenario this run is (its random streams derive from it)
 * @param parameters  the script's parameters as DSL literals, in declaration order
 * @param randomDraws how many random numbers the run drew at run time (0: the seed could not matter)
 * @param summary     peaks and failures
 * @param series      metrics over time
 * @param events      what happened, in time order
 * @param policyExpression the policy as the DSL writes it, e.g. {@code reservedThp(reserve: 22.GB, overcommit: true)}
 * @param checks      the script's expectations that apply to this policy, checked against this run
 * @param blockMap    physical memory's pageblocks over time, or null
 */
public record RunResult(String scenario, String description, String policy, String policyKey,
                        Map<String, Object> policyParams, Map<String, Object> machine, long seed,
                        int replication, Map<String, String> parameters, long randomDraws,
                        Summary summary, Series series, List<Event> events, String policyExpression, List<Check> checks,
                        BlockMap blockMap) {

    public RunResult {
        checks = List.copyOf(checks);
    }

    public RunResult(String scenario, String description, String policy, String policyKey,
                     Map<String, Object> policyParams, Map<String, Object> machine, long seed,
                     int replication, Map<String, String> parameters, long randomDraws,
                     Summary summary, Series series, List<Event> events, String policyExpression, List<Check> checks) {
        this(scenario, description, policy, policyKey, policyParams, machine, seed, replication, parameters, randomDraws,
                summary, series, events, policyExpression, checks, null);
    }

    public RunResult(String scenario, String description, String policy, String policyKey,
                     Map<String, Object> policyParams, Map<String, Object> machine, long seed,
                     int replication, Map<String, String> parameters, long randomDraws,
                     Summary summary, Series series, List<Event> events) {
        this(scenario, description, policy, policyKey, policyParams, machine, seed, replication, parameters, randomDraws,
                summary, series, events, policy, List.of());
    }

    public RunResult(String scenario, String description, String policy, String policyKey,
                     Map<String, Object> policyParams, Map<String, Object> machine, long seed,
                     Summary summary, Series series, List<Event> events) {
        this(scenario, description, policy, policyKey, policyParams, machine, seed, 0, Map.of(), 0, summary, series, events);
    }

    public List<Event> events(String kind) {
        return events.stream().filter(e -> e.kind().equals(kind)).toList();
    }

    /** The same run with the script's expectations checked against it. */
    public RunResult withChecks(List<Check> checks) {
        return new RunResult(scenario, description, policy, policyKey, policyParams, machine, seed, replication, parameters,
                randomDraws, summary, series, events, policyExpression, checks, blockMap);
    }

    /** The expectations this run did not meet. */
    public List<Check> failedChecks() {
        return checks.stream().filter(c -> !c.met()).toList();
    }
}
