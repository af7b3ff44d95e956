package hugesim.experiment;

import java.util.ArrayList;
import java.util.List;

/** Statistics per point and policy across replications. */
public final class SweepSummary {
    /**
     * One point under one policy.
     *
     * @param metrics each metric's mean and interval, in {@link Metric#ALL}'s order
     * @param goal    the share of runs meeting the goal, or null when the sweep has none
     */
    public record Group(int point, int policy, int runs, Stats.Share clean, Stats.Share goal, Stats.Mean[] metrics) {
        public Stats.Mean get(Metric m) { return metrics[m.ordinal()]; }
    }

    private SweepSummary() {}

    /** Groups rows (sorted by run, every run of each group present) into one {@link Group} per point and policy. */
    public static List<Group> of(SweepSpec spec, List<RunRow> rows) {
        int r = spec.replications();
        List<Group> out = new ArrayList<>();
        for (int start = 0; start < rows.size(); start += r) {
            List<RunRow> g = rows.subList(start, Math.min(rows.size(), start + r));
            long run = g.get(0).run();
            if (spec.replicationOf(run) != 0 || g.size() != r || g.get(g.size() - 1).run() != run + r - 1) {
                throw new IllegalStateException("runs " + run + "… do not form a whole point: some runs are missing");
            }
            out.add(group(spec, g));
        }
        return out;
    }

    private static Group group(SweepSpec spec, List<RunRow> g) {
        long run = g.get(0).run();
        Stats.Mean[] means = new Stats.Mean[Metric.ALL.size()];
        double[] values = new double[g.size()];
        for (Metric m : Metric.ALL) {
            for (int i = 0; i < g.size(); i++) values[i] = g.get(i).get(m);
            means[m.ordinal()] = Stats.mean(values);
        }
        long clean = g.stream().filter(x -> x.get(Metric.clean) == 1).count();
        Stats.Share goal = null;
        if (spec.goal() != null) goal = Stats.wilson(g.stream().filter(x -> Boolean.TRUE.equals(x.goalMet())).count(), g.size());
        return new Group(spec.pointOf(run), spec.policyOf(run), g.size(), Stats.wilson(clean, g.size()), goal, means);
    }
}
