package hugesim.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The smallest value of a parameter at which a goal holds, per policy: bisection over the parameter's
 * values, all policies in lockstep so that each round's runs can go to every core at once. A value
 * holds when every run met the goal and the outcome is certain (nothing random was drawn), or when the
 * lower end of the 95 % Wilson interval of the share of replications meeting it reaches the confidence.
 * Bisection assumes the goal is monotone in the parameter; the planner checks that on every value it
 * evaluated and one step above its answer, and scans every value when the check fails.
 */
public final class Planner {
    /** One value of one policy to evaluate. */
    public record Probe(int policy, int value) {}

    /** What the runs at a probe gave. */
    public record Outcome(Stats.Share share, boolean certain, double setAsideBytes) {}

    /** Runs the replications of each probe (in parallel, as it likes) and says what they gave. */
    public interface Evaluator {
        Map<Probe, Outcome> evaluate(List<Probe> probes);
    }

    /**
     * The plan of one policy.
     *
     * @param answer    the index of the smallest value from which the goal holds, or -1 when none does
     * @param monotone  whether every evaluated value agreed with a monotone goal
     * @param evaluated every value evaluated, by index
     * @param breaks    for a goal found not monotone: the indices at which holding changes
     */
    public record Result(int policy, int answer, boolean monotone, TreeMap<Integer, Outcome> evaluated, List<Integer> breaks) {}

    private final int values;
    private final double confidence;

    public Planner(int values, double confidence) {
        if (values < 1) throw new IllegalArgumentException("nothing to plan over: the parameter has no values");
        if (!(confidence > 0 && confidence <= 1)) throw new IllegalArgumentException("--confidence must be above 0 and at most 1, got " + confidence);
        this.values = values;
        this.confidence = confidence;
    }

    public boolean holds(Outcome o) {
        if (o.certain()) return o.share().hits() == o.share().n();
        return o.share().low() >= confidence;
    }

    public List<Result> plan(int policies, Evaluator ev) {
        List<Search> searches = new ArrayList<>();
        for (int p = 0; p < policies; p++) searches.add(new Search(p));
        while (true) {
            List<Probe> probes = new ArrayList<>();
            for (Search s : searches) for (int v : s.next()) probes.add(new Probe(s.policy, v));
            if (probes.isEmpty()) break;
            Map<Probe, Outcome> got = ev.evaluate(probes);
            for (Probe pr : probes) {
                Outcome o = got.get(pr);
                if (o == null) throw new IllegalStateException("no outcome for " + pr);
                searches.get(pr.policy()).seen.put(pr.value(), o);
            }
        }
        return searches.stream().map(Search::result).toList();
    }

    /** The search for one policy: bisect, then check one step above, then a full scan if the goal was not monotone. */
    private final class Search {
        final int policy;
        final TreeMap<Integer, Outcome> seen = new TreeMap<>();
        boolean scanning;

        Search(int policy) { this.policy = policy; }

        /** The values to evaluate next; empty when done. */
        List<Integer> next() {
            if (!scanning && !monotone()) scanning = true;
            if (scanning) {
                List<Integer> rest = new ArrayList<>();
                for (int v = 0; v < values; v++) if (!seen.containsKey(v)) rest.add(v);
                return rest;
            }
            int top = values - 1;
            if (seen.isEmpty()) return top == 0 ? List.of(0) : List.of(0, top);
            if (!holds(seen.get(top))) return List.of();
            if (holds(seen.get(0))) return List.of();
            int lo = 0, hi = top;
            for (var e : seen.entrySet()) {
                if (holds(e.getValue())) { hi = e.getKey(); break; }
                lo = e.getKey();
            }
            if (hi - lo > 1) return List.of((lo + hi) >>> 1);
            if (hi < top && !seen.containsKey(hi + 1)) return List.of(hi + 1);
            return List.of();
        }

        /** Holding never goes from true to false as the value grows, and no share drops significantly. */
        boolean monotone() {
            boolean held = false;
            Outcome prev = null;
            for (Outcome o : seen.values()) {
                boolean h = holds(o);
                if (held && !h) return false;
                if (prev != null && prev.share().low() > o.share().high()) return false;
                held |= h;
                prev = o;
            }
            return true;
        }

        Result result() {
            int answer = -1;
            if (scanning) {
                for (int v = values - 1; v >= 0 && holds(seen.get(v)); v--) answer = v;
            } else if (holds(seen.get(values - 1))) {
                answer = seen.entrySet().stream().filter(e -> holds(e.getValue())).findFirst().orElseThrow().getKey();
            }
            List<Integer> breaks = new ArrayList<>();
            if (scanning) {
                Boolean prev = null;
                for (var e : seen.entrySet()) {
                    boolean h = holds(e.getValue());
                    if (prev != null && h != prev) breaks.add(e.getKey());
                    prev = h;
                }
            }
            return new Result(policy, answer, !scanning, seen, breaks);
        }
    }
}
