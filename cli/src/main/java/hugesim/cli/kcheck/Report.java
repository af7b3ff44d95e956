package hugesim.cli.kcheck;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** kernel-check.json and the table: each checkpoint's counters, model against kernel, with their tolerances. */
public final class Report {
    private Report() {}

    public static void writeJson(Comparison c, String scenario, String policy, double seconds, Path file) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("scenario", scenario);
        root.put("policy", policy);
        root.put("kernel", c.kernelVersion);
        root.put("cmdline", c.cmdline);
        root.put("guest_seconds", Math.round(seconds * 10) / 10.0);
        root.put("agrees", c.agrees());
        root.put("divergence", c.divergence == null ? null : step(c.divergence, false));
        Map<String, Object> tol = new LinkedHashMap<>();
        for (Tolerance t : Tolerance.all().values()) tol.put(t.counter(), Map.of("compare", t.describe(), "why", t.why()));
        root.put("tolerances", tol);
        root.put("model_lacks", Map.of("meminfo", c.modelLacksMeminfo, "vmstat", c.modelLacksVmstat));
        root.put("kernel_lacks", List.copyOf(c.kernelLacks));
        List<Object> steps = new ArrayList<>();
        for (Comparison.Step s : c.steps) steps.add(step(s, true));
        root.put("steps", steps);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
    }

    private static Map<String, Object> step(Comparison.Step s, boolean counters) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", s.seq());
        m.put("where", s.where());
        m.put("process", s.process());
        m.put("op", s.op());
        m.put("args", s.args());
        m.put("model", s.model());
        m.put("kernel", s.kernel());
        m.put("equal", s.equal());
        if (counters && !s.counters().isEmpty()) {
            List<Object> rows = new ArrayList<>();
            for (Comparison.Row r : s.counters()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("counter", r.counter());
                row.put("model", r.model());
                row.put("kernel", r.kernel());
                row.put("tolerance", r.tolerance());
                row.put("equal", r.equal());
                rows.add(row);
            }
            m.put("counters", rows);
        }
        return m;
    }

    /**
     * The table: a line per operation; under a checkpoint, the counters that moved since the previous
     * checkpoint on either side or that disagree (the JSON has every counter of every checkpoint).
     */
    public static String table(Comparison c, String scenario, String policy, double seconds) {
        StringBuilder b = new StringBuilder();
        b.append("kernel-check ").append(scenario).append(" under ").append(policy).append('\n');
        b.append("kernel:  ").append(c.kernelVersion).append('\n');
        b.append("cmdline: ").append(c.cmdline).append('\n');
        b.append(String.format(Locale.ROOT, "%-44s %-40s %14s %14s  %s%n", "where", "operation", "model", "kernel", ""));
        Map<String, Comparison.Row> last = new LinkedHashMap<>();
        for (Comparison.Step s : c.steps) {
            if (s.op().equals("start")) continue;
            b.append(String.format(Locale.ROOT, "%-44s %-40s %14s %14s  %s%n", cut(s.where(), 44), cut(s.op() + "(" + s.args() + ")", 40),
                    cut(show(s.model()), 14), cut(show(s.kernel()), 14), s.equal() ? "" : "DIFFERS"));
            for (Comparison.Row r : s.counters()) {
                Comparison.Row prev = last.put(r.counter(), r);
                boolean moved = prev == null ? false : prev.model() != r.model() || prev.kernel() != r.kernel();
                if (!moved && r.equal()) continue;
                b.append(String.format(Locale.ROOT, "%-44s   %-38s %14d %14d  %s%n", "", r.counter() + " (" + r.tolerance() + ")",
                        r.model(), r.kernel(), r.equal() ? "" : "DIFFERS"));
            }
        }
        long ops = c.steps.stream().filter(s -> !s.op().equals("start")).count();
        long opDiff = c.steps.stream().filter(s -> !s.equal()).count();
        b.append(String.format(Locale.ROOT, "%d operations (%d differ), %d counter readings (%d differ); guest %.1f s%n",
                ops, opDiff, c.counterRows(), c.counterDisagreements(), seconds));
        if (c.divergence != null) {
            b.append("first divergence: ").append(c.divergence.where()).append(": ").append(c.divergence.op()).append('(')
                    .append(c.divergence.args()).append(") model ").append(show(c.divergence.model())).append(", kernel ")
                    .append(show(c.divergence.kernel())).append('\n');
        }
        if (!c.kernelLacks.isEmpty()) b.append("the kernel lacks: ").append(String.join(", ", c.kernelLacks)).append('\n');
        b.append("the model lacks ").append(c.modelLacksMeminfo.size()).append(" meminfo fields and ").append(c.modelLacksVmstat.size())
                .append(" vmstat counters (listed in kernel-check.json)\n");
        b.append(c.agrees() ? "AGREE\n" : "DISAGREE\n");
        return b.toString();
    }

    private static String show(Object o) {
        if (o instanceof Long l && Math.abs(l) >= 0x10000000L) return "0x" + Long.toHexString(l);
        if (o instanceof Map<?, ?> m) {
            Object rss = m.get("Rss"), thp = m.get("AnonHugePages"), ht = m.get("Private_Hugetlb");
            return "Rss " + rss + " AHP " + thp + (ht != null && !"0".equals(ht.toString()) ? " HT " + ht : "");
        }
        return String.valueOf(o);
    }

    private static String cut(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }
}
