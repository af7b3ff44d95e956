package hugesim.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import hugesim.experiment.Planner;
import hugesim.experiment.SweepSpec;
import hugesim.record.ResultWriter;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A plan as a planner reads it: the table {@code hugesim plan} prints, and {@code plan.json}. */
final class PlanReport {
    private final SweepSpec spec;
    private final double confidence;
    private final Planner planner;
    private final List<Planner.Result> results;
    private final String parameter;
    private final List<String> values;

    PlanReport(SweepSpec spec, double confidence, Planner planner, List<Planner.Result> results) {
        this.spec = spec;
        this.confidence = confidence;
        this.planner = planner;
        this.results = results;
        this.parameter = spec.swept().get(0).name();
        this.values = spec.swept().get(0).values();
    }

    String table() {
        List<String[]> rows = new ArrayList<>();
        Planner.Result first = results.get(0);
        String firstName = spec.policies().get(0).name();
        rows.add(new String[] {"policy", "smallest " + parameter, "goal met there", "one step below", "set aside", "vs " + firstName});
        for (Planner.Result r : results) {
            SweepSpec.PolicySlot slot = spec.policies().get(r.policy());
            String answer = r.answer() < 0 ? "none in range" : slot.constant() && r.answer() == 0 ? "any (not used)" : values.get(r.answer());
            String there = r.answer() < 0 ? share(r.evaluated().get(values.size() - 1)) + " at " + values.get(values.size() - 1) : share(r.evaluated().get(r.answer()));
            String below = r.answer() > 0 && r.evaluated().containsKey(r.answer() - 1)
                    ? share(r.evaluated().get(r.answer() - 1)) + " at " + values.get(r.answer() - 1) : "-";
            String aside = r.answer() < 0 ? "-" : gib(setAside(r));
            String vs = r == first || r.answer() < 0 || first.answer() < 0 ? "-" : saved(setAside(first) - setAside(r));
            rows.add(new String[] {slot.name(), answer, there, below, aside, vs});
        }
        int[] w = new int[rows.get(0).length];
        for (String[] row : rows) for (int i = 0; i < w.length; i++) w[i] = Math.max(w[i], row[i].length());
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "plan %s: the smallest %s in %s..%s at which %s holds in at least %s of runs%n",
                spec.scenario(), parameter, values.get(0), values.get(values.size() - 1), spec.goal(), pct(confidence)));
        for (int n = 0; n < rows.size(); n++) {
            for (int i = 0; i < w.length; i++) {
                String v = rows.get(n)[i];
                b.append(i > 0 ? "  " : "").append(i == 0 ? v + " ".repeat(w[i] - v.length()) : " ".repeat(w[i] - v.length()) + v);
            }
            b.append('\n');
            if (n == 0) {
                for (int i = 0; i < w.length; i++) b.append(i > 0 ? "  " : "").append("-".repeat(w[i]));
                b.append('\n');
            }
        }
        for (Planner.Result r : results) {
            if (!r.monotone()) {
                List<String> at = r.breaks().stream().map(values::get).toList();
                b.append(spec.policies().get(r.policy()).name()).append(": the goal is not monotone in ").append(parameter)
                        .append(" (it changes at ").append(String.join(", ", at)).append("); every value was run, and the answer is the smallest from which it holds up to ")
                        .append(values.get(values.size() - 1)).append('\n');
            }
        }
        b.append("set aside: the mean peak of memory held for huge pages (pool, reserve or CMA area) at the answer\n");
        return b.toString();
    }

    private double setAside(Planner.Result r) { return r.evaluated().get(r.answer()).setAsideBytes(); }

    private String share(Planner.Outcome o) {
        boolean holds = planner.holds(o);
        if (o.certain()) return (holds ? "yes" : "no") + " (certain)";
        return String.format(Locale.ROOT, "%s %s (≥ %s)", holds ? "yes" : "no", pct(o.share().share()), pct(o.share().low()));
    }

    private static String pct(double v) {
        String s = String.format(Locale.ROOT, "%.1f", 100 * v);
        return (s.endsWith(".0") ? s.substring(0, s.length() - 2) : s) + " %";
    }

    private static String gib(double bytes) { return String.format(Locale.ROOT, "%.1f GiB", bytes / (1L << 30)); }

    private static String saved(double bytes) {
        return bytes >= 0 ? gib(bytes) + " saved" : gib(-bytes) + " more";
    }

    void writeJson(Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8); JsonGenerator g = ResultWriter.generator(w)) {
            g.writeStartObject();
            g.writeNumberField("format", 1);
            g.writeStringField("scenario", spec.scenario());
            g.writeStringField("script_sha256", spec.scriptSha256());
            g.writeNumberField("seed", spec.seed());
            g.writeStringField("parameter", parameter);
            g.writeArrayFieldStart("values");
            for (String v : values) g.writeString(v);
            g.writeEndArray();
            g.writeObjectFieldStart("parameters");
            for (var e : spec.parameters().entrySet()) if (!e.getKey().equals(parameter)) g.writeStringField(e.getKey(), e.getValue());
            g.writeEndObject();
            g.writeStringField("goal", spec.goal());
            g.writeNumberField("confidence", confidence);
            g.writeNumberField("replications", spec.replications());
            g.writeArrayFieldStart("policies");
            Planner.Result first = results.get(0);
            for (Planner.Result r : results) {
                SweepSpec.PolicySlot slot = spec.policies().get(r.policy());
                g.writeStartObject();
                g.writeStringField("policy", slot.name());
                g.writeBooleanField("uses_parameter", !slot.constant());
                if (r.answer() < 0) g.writeNullField("answer");
                else g.writeStringField("answer", values.get(r.answer()));
                g.writeBooleanField("monotone", r.monotone());
                g.writeArrayFieldStart("breaks");
                for (int i : r.breaks()) g.writeString(values.get(i));
                g.writeEndArray();
                if (r.answer() < 0) g.writeNullField("set_aside_bytes");
                else g.writeNumberField("set_aside_bytes", (long) setAside(r));
                if (r.answer() < 0 || first.answer() < 0) g.writeNullField("saved_bytes_vs_first");
                else g.writeNumberField("saved_bytes_vs_first", (long) (setAside(first) - setAside(r)));
                g.writeArrayFieldStart("evaluated");
                for (var e : r.evaluated().entrySet()) {
                    Planner.Outcome o = e.getValue();
                    g.writeStartObject();
                    g.writeStringField("value", values.get(e.getKey()));
                    g.writeNumberField("runs", o.share().n());
                    g.writeNumberField("met", o.share().hits());
                    g.writeNumberField("share", o.share().share());
                    g.writeNumberField("low", o.share().low());
                    g.writeNumberField("high", o.share().high());
                    g.writeBooleanField("certain", o.certain());
                    g.writeBooleanField("holds", planner.holds(o));
                    g.writeNumberField("set_aside_bytes", (long) o.setAsideBytes());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.flush();
            w.write('\n');
        }
    }
}
