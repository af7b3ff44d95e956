package hugesim.record;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes {@code result.json} and {@code series.csv}. Numbers that are whole are written as integers
 * and the key order is fixed, so the same run gives byte-identical files. {@code docs/result.schema.json}
 * describes result.json; {@link #FORMAT} changes whenever a field changes meaning or goes away.
 */
public final class ResultWriter {
    /** The version of result.json's layout (2: the series live in series.csv alone). */
    public static final int FORMAT = 2;
    /** The file beside result.json that holds the run's series. */
    public static final String SERIES_FILE = "series.csv";
    /** series.csv's first column: the sample's time in seconds. */
    public static final String TIME_COLUMN = "time_s";
    private static final JsonFactory JSON = new JsonFactory();

    private ResultWriter() {}

    public static void writeJson(ScenarioRun run, RunResult r, Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8); JsonGenerator g = generator(w)) {
            g.writeStartObject();
            g.writeNumberField("format", FORMAT);
            g.writeStringField("hugesim", run.version());
            g.writeStringField("scenario", r.scenario());
            g.writeStringField("description", r.description());
            if (run.script() != null) {
                g.writeObjectFieldStart("script");
                g.writeStringField("path", run.script().path());
                g.writeStringField("sha256", run.script().sha256());
                g.writeStringField("text", run.script().text());
                g.writeEndObject();
            }
            g.writeNumberField("seed", r.seed());
            g.writeNumberField("replication", r.replication());
            g.writeObjectFieldStart("parameters");
            for (var e : r.parameters().entrySet()) g.writeStringField(e.getKey(), e.getValue());
            g.writeEndObject();
            g.writeObjectFieldStart("policy");
            g.writeStringField("name", r.policy());
            g.writeStringField("key", r.policyKey());
            g.writeStringField("expression", r.policyExpression());
            writeMap(g, "params", r.policyParams());
            g.writeEndObject();
            writeMap(g, "machine", r.machine());
            writeSummary(g, r.summary());
            g.writeArrayFieldStart("expectations");
            for (Check c : r.checks()) {
                g.writeStartObject();
                g.writeStringField("expect", c.text());
                g.writeStringField("where", c.where());
                g.writeBooleanField("met", c.met());
                g.writeEndObject();
            }
            g.writeEndArray();
            // the values are in series.csv, once: a day sampled every second would otherwise be written twice
            g.writeObjectFieldStart("series");
            g.writeStringField("file", SERIES_FILE);
            g.writeStringField("time_unit", "s");
            g.writeNumberField("rows", r.series().size());
            g.writeArrayFieldStart("columns");
            g.writeString(TIME_COLUMN);
            for (String name : r.series().names()) g.writeString(name);
            g.writeEndArray();
            g.writeEndObject();
            g.writeArrayFieldStart("events");
            for (Event e : r.events()) writeEvent(g, e);
            g.writeEndArray();
            g.writeEndObject();
            g.flush();
            w.write('\n');
        }
    }

    private static void writeEvent(JsonGenerator g, Event e) throws IOException {
        g.writeStartObject();
        writeNumber(g, "time", e.time());
        g.writeStringField("kind", e.kind());
        g.writeStringField("process", e.process());
        g.writeStringField("detail", e.detail());
        EventData d = e.data();
        if (d instanceof EventData.CallFailed c) {
            g.writeStringField("call", c.call());
            g.writeStringField("errno", c.errno());
        } else if (d instanceof EventData.Killed k) {
            g.writeStringField("signal", k.signal());
            g.writeNumberField("address", k.address());
        } else if (d instanceof EventData.OomKilled o) {
            g.writeNumberField("pid", o.pid());
            g.writeNumberField("badness_kB", o.badnessKb());
        } else if (d instanceof EventData.Stalled s) {
            g.writeNumberField("address", s.address());
            writeNumber(g, "seconds", s.seconds());
            g.writeBooleanField("at_end", s.atEnd());
        } else if (d instanceof EventData.Started s) {
            g.writeNumberField("pid", s.pid());
            if (s.parentPid() != 0) g.writeNumberField("parent_pid", s.parentPid());
        } else if (d instanceof EventData.AssertFailed a) {
            g.writeStringField("file", a.file());
            g.writeNumberField("line", a.line());
            g.writeStringField("message", a.message());
        }
        g.writeEndObject();
    }

    /** A JSON generator in the house style: two-space indent, one field per line, fixed order by the caller. */
    public static JsonGenerator generator(Writer w) throws IOException {
        JsonGenerator g = JSON.createGenerator(w);
        g.setPrettyPrinter(new DefaultPrettyPrinter().withObjectIndenter(new com.fasterxml.jackson.core.util.DefaultIndenter("  ", "\n")));
        return g;
    }

    /** Row by row straight from the series: writing needs no second copy of it in memory. */
    public static void writeCsv(RunResult r, Path file) throws IOException {
        Series s = r.series();
        int columns = s.names().size();
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(TIME_COLUMN);
            for (String n : s.names()) w.write("," + n);
            w.write('\n');
            StringBuilder line = new StringBuilder(256);
            for (int row = 0; row < s.size(); row++) {
                line.setLength(0);
                line.append(number(s.timeAt(row)));
                for (int c = 0; c < columns; c++) line.append(',').append(number(s.get(c, row)));
                line.append('\n');
                w.write(line.toString());
            }
        }
    }

    /** Whole numbers without a fraction; others in Java's shortest round-trip form. */
    public static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 9.0e15) return Long.toString((long) v);
        return Double.toString(v);
    }

    /** A summary's fields, in the order result.json and summary.json write them. */
    static void writeSummaryFields(JsonGenerator g, Summary s) throws IOException {
        g.writeNumberField("peak_reserved_bytes", s.peakReservedBytes());
        g.writeNumberField("peak_used_bytes", s.peakUsedBytes());
        g.writeNumberField("peak_resident_bytes", s.peakResidentBytes());
        g.writeNumberField("peak_swap_used_bytes", s.peakSwapUsedBytes());
        g.writeNumberField("mean_idle_reserved_bytes", s.meanIdleReservedBytes());
        g.writeNumberField("swapped_out_bytes", s.swappedOutBytes());
        g.writeNumberField("thp_swpout", s.thpSwpout());
        g.writeNumberField("thp_swpout_fallback", s.thpSwpoutFallback());
        g.writeNumberField("stalls", s.stalls());
        writeNumber(g, "stall_seconds", s.stallSeconds());
        g.writeNumberField("oom_kills", s.oomKills());
        g.writeNumberField("sigbus", s.sigbus());
        g.writeNumberField("sigsegv", s.sigsegv());
        g.writeNumberField("failed_calls", s.failedCalls());
        g.writeNumberField("kernel_warnings", s.kernelWarnings());
        g.writeNumberField("asserts_failed", s.assertsFailed());
        g.writeNumberField("script_warnings", s.scriptWarnings());
        g.writeNumberField("thp_fault_alloc", s.thpFaultAlloc());
        g.writeNumberField("thp_fault_fallback", s.thpFaultFallback());
        writeTime(g, "last_touch_done_s", s.lastTouchDone());
        writeCompactionStalls(g, s.compactionStalls());
        g.writeBooleanField("clean", s.clean());
        g.writeStringField("verdict", s.verdict());
    }

    /** {@code "compaction_stalls": {"count": …, "p50_s": …, "p99_s": …, "max_s": …}}, the times null when there were none. */
    static void writeCompactionStalls(JsonGenerator g, CompactionStalls c) throws IOException {
        g.writeObjectFieldStart("compaction_stalls");
        g.writeNumberField("count", c.count());
        writeTime(g, "p50_s", c.p50());
        writeTime(g, "p99_s", c.p99());
        writeTime(g, "max_s", c.max());
        g.writeEndObject();
    }

    private static void writeSummary(JsonGenerator g, Summary s) throws IOException {
        g.writeObjectFieldStart("summary");
        writeSummaryFields(g, s);
        g.writeArrayFieldStart("processes");
        for (ProcessSummary p : s.processes()) {
            g.writeStartObject();
            g.writeStringField("name", p.name());
            g.writeNumberField("pid", p.pid());
            writeTime(g, "started_s", p.started());
            writeTime(g, "exited_s", p.exited());
            if (p.killedBy() == null) g.writeNullField("killed_by");
            else g.writeStringField("killed_by", p.killedBy());
            writeTime(g, "killed_s", p.killedAt());
            g.writeArrayFieldStart("failed_calls");
            for (EventData.CallFailed c : p.failedCalls()) {
                g.writeStartObject();
                g.writeStringField("call", c.call());
                g.writeStringField("errno", c.errno());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeNumberField("stalls", p.stalls());
            writeNumber(g, "stall_seconds", p.stallSeconds());
            g.writeBooleanField("stalled_at_end", p.stalledAtEnd());
            writeTime(g, "last_touch_done_s", p.lastTouchDone());
            writeCompactionStalls(g, p.compactionStalls());
            g.writeBooleanField("clean", p.clean());
            g.writeStringField("verdict", p.verdict());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** A moment: null when it never came (NaN), {@code "never"} for a touch that never finished (+Infinity). */
    static void writeTime(JsonGenerator g, String field, double v) throws IOException {
        if (Double.isNaN(v)) g.writeNullField(field);
        else if (v == Double.POSITIVE_INFINITY) g.writeStringField(field, "never");
        else writeNumber(g, field, v);
    }

    private static void writeMap(JsonGenerator g, String field, Map<String, Object> map) throws IOException {
        g.writeObjectFieldStart(field);
        for (var e : map.entrySet()) {
            Object v = e.getValue();
            if (v instanceof Number n) {
                if (n instanceof Double || n instanceof Float) writeNumber(g, e.getKey(), n.doubleValue());
                else g.writeNumberField(e.getKey(), n.longValue());
            } else if (v instanceof Boolean b) g.writeBooleanField(e.getKey(), b);
            else if (v == null) g.writeNullField(e.getKey());
            else g.writeStringField(e.getKey(), v.toString());
        }
        g.writeEndObject();
    }

    static void writeNumber(JsonGenerator g, String field, double v) throws IOException {
        g.writeFieldName(field);
        if (v == Math.rint(v) && Math.abs(v) < 9.0e15) g.writeNumber((long) v);
        else g.writeNumber(v);
    }
}
