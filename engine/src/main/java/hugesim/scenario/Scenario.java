package hugesim.scenario;

import hugesim.kernel.MachineConfig;
import hugesim.policy.Policy;

import java.util.List;
import java.util.Map;

/**
 * Everything a scenario script describes: the machine, the policies to compare, the processes, and
 * how long to run and how often to sample; with the seed, the replication and the values of the script's
 * parameters it was built with.
 *
 * @param parameters each declared parameter's value as a DSL literal ({@code 22.GB}), in declaration order
 */
public record Scenario(String name, String description, MachineConfig machine, List<Policy> policies,
                       List<ProcessSpec> processes, long until, long sample, long seed, int replication,
                       Map<String, String> parameters) {
    public Scenario(String name, String description, MachineConfig machine, List<Policy> policies,
                    List<ProcessSpec> processes, long until, long sample, long seed) {
        this(name, description, machine, policies, processes, until, sample, seed, 0, Map.of());
    }

    public Scenario {
        if (until <= 0) throw new IllegalArgumentException("run(until:) must be positive");
        if (sample <= 0) throw new IllegalArgumentException("run(sample:) must be positive");
        samples(until, sample);
        policies = List.copyOf(policies);
        processes = List.copyOf(processes);
        if (replication < 0) throw new IllegalArgumentException("replication must not be negative, got " + replication);
        parameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
    }

    /** Bytes a run's series takes per sample: the time and every metric, 8 bytes each. */
    public static final long BYTES_PER_SAMPLE = 8L * (hugesim.record.Metrics.ALL.size() + 1);

    /** How many samples a run takes (at 0, sample, 2 sample, … until); a series is indexed by int. */
    public static int samples(long until, long sample) {
        long n = until / sample + 1;
        if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("run(until:, sample:) would take " + n + " samples, more than 2^31 - 9");
        return (int) n;
    }

    public Scenario withPolicies(List<Policy> p) {
        return new Scenario(name, description, machine, p, processes, until, sample, seed, replication, parameters);
    }

    /** The same scenario as replication {@code r}: only its random streams differ. */
    public Scenario withReplication(int r) {
        return new Scenario(name, description, machine, policies, processes, until, sample, seed, r, parameters);
    }

    /** The random streams of a run of this scenario. */
    public hugesim.sim.RandomStreams randomStreams() {
        return new hugesim.sim.RandomStreams(seed, replication);
    }
}
