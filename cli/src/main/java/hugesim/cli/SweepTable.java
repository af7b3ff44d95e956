package hugesim.cli;

import hugesim.experiment.Metric;
import hugesim.experiment.Stats;
import hugesim.experiment.SweepSpec;
import hugesim.experiment.SweepSummary;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The table {@code hugesim sweep} prints: per point and policy, the shares and means a planner reads first. */
final class SweepTable {
    private SweepTable() {}

    static String render(SweepSpec spec, List<SweepSummary.Group> groups) {
        List<String> head = new ArrayList<>();
        for (SweepSpec.Swept s : spec.swept()) head.add(s.name());
        head.addAll(List.of("policy", "runs", "clean"));
        if (spec.goal() != null) head.add("goal met");
        head.addAll(List.of("stall s (95 % CI)", "failed calls", "peak used GiB"));
        List<String[]> rows = new ArrayList<>();
        rows.add(head.toArray(String[]::new));
        for (SweepSummary.Group g : groups) {
            List<String> c = new ArrayList<>(spec.pointValues(g.point()));
            c.add(spec.policies().get(g.policy()).name());
            c.add(Integer.toString(g.runs()));
            c.add(share(g.clean()));
            if (g.goal() != null) c.add(share(g.goal()));
            c.add(mean(g.get(Metric.stallSeconds), 1));
            c.add(mean(g.get(Metric.failedCalls), 1));
            c.add(mean(scaled(g.get(Metric.peakUsed), 1L << 30), 1));
            rows.add(c.toArray(String[]::new));
        }
        int[] w = new int[head.size()];
        for (String[] r : rows) for (int i = 0; i < w.length; i++) w[i] = Math.max(w[i], r[i].length());
        StringBuilder b = new StringBuilder("sweep ").append(spec.scenario()).append(": ").append(spec.runs()).append(" runs, ")
                .append(spec.replications()).append(spec.replications() == 1 ? " replication" : " replications").append(" per point and policy, seed ")
                .append(spec.seed()).append(spec.goal() == null ? "" : ", goal " + spec.goal()).append('\n');
        for (int n = 0; n < rows.size(); n++) {
            for (int i = 0; i < w.length; i++) {
                String v = rows.get(n)[i];
                boolean left = i <= spec.swept().size();
                b.append(i > 0 ? "  " : "").append(left ? v + " ".repeat(w[i] - v.length()) : " ".repeat(w[i] - v.length()) + v);
            }
            b.append('\n');
            if (n == 0) {
                for (int i = 0; i < w.length; i++) b.append(i > 0 ? "  " : "").append("-".repeat(w[i]));
                b.append('\n');
            }
        }
        return b.toString();
    }

    static String share(Stats.Share s) {
        if (s.n() == 1) return s.hits() == 1 ? "yes" : "no";
        return String.format(Locale.ROOT, "%.0f %% [%.0f, %.0f]", 100 * s.share(), 100 * s.low(), 100 * s.high());
    }

    static String mean(Stats.Mean m, int decimals) {
        if (m.n() == 0) return "-";
        String f = "%." + decimals + "f";
        if (Double.isNaN(m.low()) || m.low() == m.high()) return String.format(Locale.ROOT, f, m.mean());
        return String.format(Locale.ROOT, f + " [" + f + ", " + f + "]", m.mean(), m.low(), m.high());
    }

    private static Stats.Mean scaled(Stats.Mean m, double unit) {
        return new Stats.Mean(m.n(), m.undefined(), m.mean() / unit, m.sd() / unit, m.low() / unit, m.high() / unit);
    }
}
