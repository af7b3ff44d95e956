package hugesim.experiment;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import hugesim.record.ResultWriter;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files of a sweep: {@code sweep.json} (its definition), {@code runs.csv} (one row per run),
 * {@code summary.csv} and {@code summary.json} (one row per point and policy). Fixed column and key order
 * and the number format of {@link ResultWriter} make the same sweep give the same bytes, on one machine or
 * merged from shards.
 */
public final class SweepFiles {
    public static final String SPEC = "sweep.json", RUNS = "runs.csv", SUMMARY_CSV = "summary.csv", SUMMARY_JSON = "summary.json";
    private static final CsvMapper CSV = new CsvMapper();

    private SweepFiles() {}

    // ---- sweep.json

    public static void writeSpec(SweepSpec s, Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8); JsonGenerator g = json(w)) {
            g.writeStartObject();
            g.writeNumberField("format", SweepSpec.FORMAT);
            g.writeStringField("scenario", s.scenario());
            g.writeStringField("script_sha256", s.scriptSha256());
            g.writeNumberField("seed", s.seed());
            g.writeNumberField("replications", s.replications());
            g.writeObjectFieldStart("parameters");
            for (var e : s.parameters().entrySet()) g.writeStringField(e.getKey(), e.getValue());
            g.writeEndObject();
            g.writeArrayFieldStart("swept");
            for (SweepSpec.Swept sw : s.swept()) {
                g.writeStartObject();
                g.writeStringField("name", sw.name());
                strings(g, "values", sw.values());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("policies");
            for (SweepSpec.PolicySlot p : s.policies()) {
                g.writeStartObject();
                g.writeStringField("name", p.name());
                strings(g, "labels", p.labels());
                strings(g, "keys", p.keys());
                g.writeEndObject();
            }
            g.writeEndArray();
            if (s.goal() == null) g.writeNullField("goal");
            else g.writeStringField("goal", s.goal());
            g.writeNumberField("runs", s.runs());
            if (s.shard() != null) {
                g.writeObjectFieldStart("shard");
                g.writeNumberField("index", s.shard().index());
                g.writeNumberField("count", s.shard().count());
                g.writeEndObject();
            }
            g.writeEndObject();
            g.flush();
            w.write('\n');
        }
    }

    public static SweepSpec readSpec(Path file) throws IOException {
        JsonNode n;
        try {
            n = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": not a sweep definition (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (n == null || n.path("format").asInt() != SweepSpec.FORMAT) throw new IOException(file + ": not a sweep definition of format " + SweepSpec.FORMAT);
        Map<String, String> params = new LinkedHashMap<>();
        n.path("parameters").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
        List<SweepSpec.Swept> swept = new ArrayList<>();
        for (JsonNode s : n.path("swept")) swept.add(new SweepSpec.Swept(s.path("name").asText(), texts(s.path("values"))));
        List<SweepSpec.PolicySlot> policies = new ArrayList<>();
        for (JsonNode p : n.path("policies")) policies.add(new SweepSpec.PolicySlot(p.path("name").asText(), texts(p.path("labels")), texts(p.path("keys"))));
        JsonNode shard = n.get("shard");
        return new SweepSpec(n.path("scenario").asText(), n.path("script_sha256").asText(), n.path("seed").asLong(),
                n.path("replications").asInt(), params, swept, policies, n.path("goal").isNull() ? null : n.path("goal").asText(),
                shard == null ? null : new SweepSpec.Shard(shard.path("index").asInt(), shard.path("count").asInt()));
    }

    // ---- runs.csv

    /** The header of {@code runs.csv}. */
    public static List<String> runsHeader(SweepSpec s) {
        List<String> h = new ArrayList<>(List.of("run", "point"));
        for (SweepSpec.Swept sw : s.swept()) h.add(sw.name());
        h.addAll(List.of("policy", "replication", "seed"));
        for (Metric m : Metric.ALL) h.add(m.name());
        h.add("goal_met");
        return h;
    }

    /** One line of {@code runs.csv}, newline included. */
    public static String runLine(SweepSpec s, RunRow r) {
        int point = s.pointOf(r.run());
        List<String> cells = new ArrayList<>(List.of(Long.toString(r.run()), Integer.toString(point)));
        cells.addAll(s.pointValues(point));
        cells.add(s.policies().get(s.policyOf(r.run())).labels().get(point));
        cells.add(Integer.toString(s.replicationOf(r.run())));
        cells.add(Long.toString(s.seed()));
        for (Metric m : Metric.ALL) cells.add(num(r.get(m)));
        cells.add(r.goalMet() == null ? "" : r.goalMet() ? "1" : "0");
        return csvLine(cells);
    }

    public static void writeRuns(SweepSpec s, List<RunRow> rows, Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(csvLine(runsHeader(s)));
            for (RunRow r : rows) w.write(runLine(s, r));
        }
    }

    /**
     * Reads the rows of a {@code runs.csv} (or a journal in the same format) written for {@code s}; a last
     * line cut short by a crash is dropped, any other malformed line is an error.
     */
    public static List<RunRow> readRuns(SweepSpec s, Path file) throws IOException {
        List<RunRow> out = new ArrayList<>();
        List<String> header = runsHeader(s);
        String text = Files.readString(file, StandardCharsets.UTF_8);
        boolean cut = !text.isEmpty() && !text.endsWith("\n");
        try (com.fasterxml.jackson.databind.MappingIterator<String[]> it = CSV.readerFor(String[].class).with(CsvParser.Feature.WRAP_AS_ARRAY).readValues(text)) {
            if (!it.hasNext() || !List.of(it.next()).equals(header)) throw new IOException(file + ": its columns are not those of this sweep");
            int line = 1;
            while (it.hasNext()) {
                String[] c = it.next();
                line++;
                if (c.length != header.size()) {
                    if (cut && !it.hasNext()) break;
                    throw new IOException(file + ":" + line + ": " + c.length + " columns, want " + header.size());
                }
                long run = Long.parseLong(c[0]);
                if (run < 0 || run >= s.runs()) throw new IOException(file + ":" + line + ": run " + run + " is not a run of this sweep");
                double[] m = new double[Metric.ALL.size()];
                int base = 5 + s.swept().size();
                for (int i = 0; i < m.length; i++) m[i] = c[base + i].isEmpty() ? Double.NaN : Double.parseDouble(c[base + i]);
                String goal = c[base + m.length];
                out.add(new RunRow(run, m, goal.isEmpty() ? null : goal.equals("1")));
            }
        } catch (RuntimeException e) {
            throw new IOException(file + ": unreadable (" + e.getMessage() + ")");
        }
        return out;
    }

    // ---- summary.csv, summary.json

    public static void writeSummary(SweepSpec s, List<SweepSummary.Group> groups, Path dir) throws IOException {
        try (Writer w = Files.newBufferedWriter(dir.resolve(SUMMARY_CSV), StandardCharsets.UTF_8)) {
            List<String> h = new ArrayList<>(List.of("point"));
            for (SweepSpec.Swept sw : s.swept()) h.add(sw.name());
            h.addAll(List.of("policy", "label", "runs", "clean_share", "clean_low", "clean_high"));
            if (s.goal() != null) h.addAll(List.of("goal_share", "goal_low", "goal_high"));
            for (Metric m : Metric.ALL) for (String x : new String[] {"mean", "sd", "low", "high"}) h.add(m.name() + "_" + x);
            h.add("lastTouchDone_never");
            w.write(csvLine(h));
            for (SweepSummary.Group g : groups) {
                List<String> c = new ArrayList<>(List.of(Integer.toString(g.point())));
                c.addAll(s.pointValues(g.point()));
                SweepSpec.PolicySlot p = s.policies().get(g.policy());
                c.addAll(List.of(p.name(), p.labels().get(g.point()), Integer.toString(g.runs())));
                share(c, g.clean());
                if (g.goal() != null) share(c, g.goal());
                for (Metric m : Metric.ALL) {
                    Stats.Mean x = g.get(m);
                    c.addAll(List.of(num(x.mean()), num(x.sd()), num(x.low()), num(x.high())));
                }
                c.add(Integer.toString(g.get(Metric.lastTouchDone).undefined()));
                w.write(csvLine(c));
            }
        }
        try (Writer w = Files.newBufferedWriter(dir.resolve(SUMMARY_JSON), StandardCharsets.UTF_8); JsonGenerator g = json(w)) {
            g.writeStartObject();
            g.writeNumberField("format", SweepSpec.FORMAT);
            g.writeStringField("scenario", s.scenario());
            g.writeNumberField("seed", s.seed());
            g.writeNumberField("replications", s.replications());
            if (s.goal() == null) g.writeNullField("goal");
            else g.writeStringField("goal", s.goal());
            g.writeStringField("intervals", "95 %: Student t for means, Wilson score for shares");
            g.writeArrayFieldStart("rows");
            for (SweepSummary.Group x : groups) {
                g.writeStartObject();
                g.writeNumberField("point", x.point());
                g.writeObjectFieldStart("parameters");
                for (var e : s.parametersAt(x.point()).entrySet()) g.writeStringField(e.getKey(), e.getValue());
                g.writeEndObject();
                SweepSpec.PolicySlot p = s.policies().get(x.policy());
                g.writeStringField("policy", p.name());
                g.writeStringField("label", p.labels().get(x.point()));
                g.writeNumberField("runs", x.runs());
                share(g, "clean", x.clean());
                if (x.goal() != null) share(g, "goal", x.goal());
                g.writeObjectFieldStart("metrics");
                for (Metric m : Metric.ALL) {
                    Stats.Mean v = x.get(m);
                    g.writeObjectFieldStart(m.name());
                    g.writeStringField("unit", m.unit);
                    g.writeNumberField("n", v.n());
                    number(g, "mean", v.mean());
                    number(g, "sd", v.sd());
                    number(g, "low", v.low());
                    number(g, "high", v.high());
                    g.writeEndObject();
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.flush();
            w.write('\n');
        }
    }

    // ---- helpers

    static JsonGenerator json(Writer w) throws IOException { return ResultWriter.generator(w); }

    /** A number as {@link ResultWriter} writes it; empty for NaN. */
    public static String num(double v) { return Double.isNaN(v) ? "" : ResultWriter.number(v); }

    static void number(JsonGenerator g, String field, double v) throws IOException {
        g.writeFieldName(field);
        if (Double.isNaN(v)) g.writeNull();
        else if (v == Math.rint(v) && Math.abs(v) < 9.0e15) g.writeNumber((long) v);
        else g.writeNumber(v);
    }

    static void share(JsonGenerator g, String field, Stats.Share s) throws IOException {
        g.writeObjectFieldStart(field);
        g.writeNumberField("hits", s.hits());
        g.writeNumberField("runs", s.n());
        number(g, "share", s.share());
        number(g, "low", s.low());
        number(g, "high", s.high());
        g.writeEndObject();
    }

    private static void share(List<String> c, Stats.Share s) {
        c.addAll(List.of(num(s.share()), num(s.low()), num(s.high())));
    }

    private static void strings(JsonGenerator g, String field, List<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String v : values) g.writeString(v);
        g.writeEndArray();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) out.add(it.next().asText());
        return out;
    }

    /** RFC 4180: a cell with a comma, quote or line break is quoted, quotes doubled. */
    static String csvLine(List<String> cells) {
        return hugesim.record.CsvLine.of(cells);
    }
}
