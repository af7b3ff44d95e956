package hugesim.record;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code summary.json} and {@code summary.csv}: one row per policy, its verdict, summary and failed expectations. */
public final class SummaryFiles implements OutputFormat {
    public static final String JSON = "summary.json", CSV = "summary.csv";
    private static final List<String> HEADER = List.of("policy", "key", "clean", "verdict", "expectations_failed",
            "peak_reserved_bytes", "peak_used_bytes", "peak_resident_bytes", "peak_swap_used_bytes", "mean_idle_reserved_bytes", "swapped_out_bytes",
            "thp_swpout", "thp_swpout_fallback", "stalls", "stall_seconds", "oom_kills", "sigbus", "sigsegv", "failed_calls",
            "kernel_warnings", "asserts_failed", "script_warnings", "thp_fault_alloc", "thp_fault_fallback", "last_touch_done_s",
            "compaction_stalls", "compaction_stall_p50_s", "compaction_stall_p99_s", "compaction_stall_max_s");

    @Override
    public void write(ScenarioRun run, Path dir) throws IOException {
        Files.createDirectories(dir);
        try (Writer w = Files.newBufferedWriter(dir.resolve(JSON), StandardCharsets.UTF_8); JsonGenerator g = ResultWriter.generator(w)) {
            g.writeStartObject();
            g.writeNumberField("format", ResultWriter.FORMAT);
            g.writeStringField("hugesim", run.version());
            g.writeStringField("scenario", run.scenario());
            if (run.script() != null) g.writeStringField("script_sha256", run.script().sha256());
            g.writeArrayFieldStart("policies");
            for (RunResult r : run.results()) {
                g.writeStartObject();
                g.writeStringField("policy", r.policy());
                g.writeStringField("key", r.policyKey());
                g.writeArrayFieldStart("expectations_failed");
                for (Check c : r.failedChecks()) g.writeString(c.text());
                g.writeEndArray();
                ResultWriter.writeSummaryFields(g, r.summary());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.flush();
            w.write('\n');
        }
        try (Writer w = Files.newBufferedWriter(dir.resolve(CSV), StandardCharsets.UTF_8)) {
            w.write(CsvLine.of(HEADER));
            for (RunResult r : run.results()) w.write(CsvLine.of(row(r)));
        }
    }

    private static List<String> row(RunResult r) {
        Summary s = r.summary();
        List<String> c = new ArrayList<>(List.of(r.policy(), r.policyKey(), Boolean.toString(s.clean()), s.verdict(),
                String.join("; ", r.failedChecks().stream().map(Check::text).toList())));
        for (long v : new long[] {s.peakReservedBytes(), s.peakUsedBytes(), s.peakResidentBytes(), s.peakSwapUsedBytes(),
                s.meanIdleReservedBytes(), s.swappedOutBytes(), s.thpSwpout(), s.thpSwpoutFallback(), s.stalls()}) c.add(Long.toString(v));
        c.add(ResultWriter.number(s.stallSeconds()));
        for (long v : new long[] {s.oomKills(), s.sigbus(), s.sigsegv(), s.failedCalls(), s.kernelWarnings(), s.assertsFailed(),
                s.scriptWarnings(), s.thpFaultAlloc(), s.thpFaultFallback()}) c.add(Long.toString(v));
        double t = s.lastTouchDone();
        c.add(Double.isNaN(t) ? "" : t == Double.POSITIVE_INFINITY ? "never" : ResultWriter.number(t));
        CompactionStalls cs = s.compactionStalls();
        c.add(Long.toString(cs.count()));
        for (double v : new double[] {cs.p50(), cs.p99(), cs.max()}) c.add(Double.isNaN(v) ? "" : ResultWriter.number(v));
        return c;
    }
}
