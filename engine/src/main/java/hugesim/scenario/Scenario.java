package hugesim.scenario;

import hugesim.kernel.MachineConfig;
import hugesim.policy.Policy;

import java.util.List;

/**
 * Everything a scenario script describes: the machine, the policies to compare, the processes, and
 * how long to run and how often to sample.
 */
public record Scenario(String name, String description, MachineConfig machine, List<Policy> policies,
                       List<ProcessSpec> processes, long until, long sample, long seed) {
    public Scenario {
        if (until <= 0) throw new IllegalArgumentException("run(until:) must be positive");
        if (sample <= 0) throw new IllegalArgumentException("run(sample:) must be positive");
        if (until / sample > 50_000_000L) throw new IllegalArgumentException("run(until:, sample:) would take more than 50 million samples");
        policies = List.copyOf(policies);
        processes = List.copyOf(processes);
    }

    public Scenario withPolicies(List<Policy> p) {
        return new Scenario(name, description, machine, p, processes, until, sample, seed);
    }

    public Scenario withSeed(long s) {
        return new Scenario(name, description, machine, policies, processes, until, sample, s);
    }
}
