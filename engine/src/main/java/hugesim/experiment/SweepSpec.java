package hugesim.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a sweep runs: every point of its swept parameters (first parameter slowest) under every policy,
 * each replicated. Run {@code k} is {@code (point * policies + policy) * replications + replication};
 * a shard {@code I/N} runs the {@code k} with {@code k mod N == I}, whichever machine runs it.
 *
 * @param scenario     the scenario's name
 * @param scriptSha256 the script's text, hashed: shards of different scripts must not be merged
 * @param seed         the base seed; replication r of a run draws from streams keyed by (seed, r)
 * @param replications runs per point and policy
 * @param parameters   every declared parameter's value as a DSL literal, swept ones at their default
 * @param swept        the swept parameters and their values, as DSL literals
 * @param policies     the script's policies, by position
 * @param goal         the goal's text, or null
 * @param shard        which share of the runs this is, or null for all of them
 */
public record SweepSpec(String scenario, String scriptSha256, long seed, int replications,
                        Map<String, String> parameters, List<Swept> swept, List<PolicySlot> policies,
                        String goal, Shard shard) {
    public static final int FORMAT = 1;

    /** A swept parameter and its values. */
    public record Swept(String name, List<String> values) {
        public Swept {
            if (values.isEmpty()) throw new IllegalArgumentException("sweep of '" + name + "' has no values");
            values = List.copyOf(values);
        }
    }

    /**
     * A policy of the script by position: a name that holds across points (swept values replaced by the
     * parameter's name, e.g. {@code reservedThp(reserve: reserve)}), and its label and directory key at each point.
     */
    public record PolicySlot(String name, List<String> labels, List<String> keys) {
        public PolicySlot {
            labels = List.copyOf(labels);
            keys = List.copyOf(keys);
        }

        /** True when the policy is the same at every point: the swept parameters do not reach it. */
        public boolean constant() { return labels.stream().distinct().count() == 1; }
    }

    /** Shard {@code index} of {@code count}, counted from 0. */
    public record Shard(int index, int count) {
        public Shard {
            if (count < 1) throw new IllegalArgumentException("a shard count must be 1 or more, got " + count);
            if (index < 0 || index >= count) {
                throw new IllegalArgumentException("shard " + index + "/" + count + " does not exist: the index runs from 0 to " + (count - 1));
            }
        }

        @Override
        public String toString() { return index + "/" + count; }
    }

    public SweepSpec {
        if (replications < 1) throw new IllegalArgumentException("replications must be 1 or more, got " + replications);
        if (policies.isEmpty()) throw new IllegalArgumentException("a sweep needs at least one policy");
        parameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
        swept = List.copyOf(swept);
        policies = List.copyOf(policies);
        int points = points(swept);
        for (PolicySlot p : policies) {
            if (p.labels().size() != points) throw new IllegalArgumentException("policy " + p.name() + " has " + p.labels().size() + " labels for " + points + " points");
        }
    }

    public int points() { return points(swept); }

    private static int points(List<Swept> swept) {
        long n = 1;
        for (Swept s : swept) n = Math.multiplyExact(n, s.values().size());
        if (n > 10_000_000) throw new IllegalArgumentException("the sweep has " + n + " points; more than 10 million is not a sweep one can read");
        return (int) n;
    }

    public long runs() { return Math.multiplyExact(Math.multiplyExact((long) points(), policies.size()), replications); }

    public long run(int point, int policy, int replication) {
        return ((long) point * policies.size() + policy) * replications + replication;
    }

    public int pointOf(long run) { return (int) (run / replications / policies.size()); }

    public int policyOf(long run) { return (int) (run / replications % policies.size()); }

    public int replicationOf(long run) { return (int) (run % replications); }

    /** The swept parameters' values at a point, in the order of {@link #swept}. */
    public List<String> pointValues(int point) {
        List<String> out = new ArrayList<>();
        int rest = point;
        for (int i = swept.size() - 1; i >= 0; i--) {
            List<String> v = swept.get(i).values();
            out.add(0, v.get(rest % v.size()));
            rest /= v.size();
        }
        return out;
    }

    /** Every parameter's value at a point: the fixed ones and the point's swept ones. */
    public Map<String, String> parametersAt(int point) {
        Map<String, String> out = new java.util.LinkedHashMap<>(parameters);
        List<String> values = pointValues(point);
        for (int i = 0; i < swept.size(); i++) out.put(swept.get(i).name(), values.get(i));
        return out;
    }

    public boolean inShard(long run) { return shard == null || run % shard.count() == shard.index(); }

    /** How many runs this shard (or the whole sweep) holds. */
    public long runsInShard() {
        if (shard == null) return runs();
        long all = runs();
        return all / shard.count() + (shard.index() < all % shard.count() ? 1 : 0);
    }

    public SweepSpec withShard(Shard s) {
        return new SweepSpec(scenario, scriptSha256, seed, replications, parameters, swept, policies, goal, s);
    }

    /** What differs between two sweeps' definitions (shards aside), or null when they are the same sweep. */
    public String differenceFrom(SweepSpec o) {
        if (!scenario.equals(o.scenario)) return "scenario '" + scenario + "' vs '" + o.scenario + "'";
        if (!scriptSha256.equals(o.scriptSha256)) return "the script's text (SHA-256 " + scriptSha256.substring(0, 12) + "… vs " + o.scriptSha256.substring(0, 12) + "…)";
        if (seed != o.seed) return "seed " + seed + " vs " + o.seed;
        if (replications != o.replications) return "replications " + replications + " vs " + o.replications;
        if (!parameters.equals(o.parameters)) return "parameters " + parameters + " vs " + o.parameters;
        if (!swept.equals(o.swept)) return "swept values " + swept + " vs " + o.swept;
        if (!policies.equals(o.policies)) return "policies";
        if (!Objects.equals(goal, o.goal)) return "goal '" + goal + "' vs '" + o.goal + "'";
        return null;
    }
}
