package hugesim.cli;

import hugesim.cli.report.Sizes;
import hugesim.record.Check;
import hugesim.record.Event;
import hugesim.record.EventData;
import hugesim.record.OutputFormat;
import hugesim.record.RunResult;
import hugesim.record.ScenarioRun;
import hugesim.record.Summary;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The table {@code hugesim run} prints: one row per policy, the numbers a planner reads first, its verdict and,
 * when the script declares expectations, those it did not meet. When THP faults entered direct compaction
 * under some policy, a column gives their time in it: count, p50, p99 and max.
 */
final class SummaryTable implements OutputFormat {
    private static final String[] HEAD = {"policy", "peak used", "peak resident", "peak swap used", "swapped out",
            "stalls / OOM kills", "failed calls", "last touch done", "verdict"};
    private final PrintStream out;

    SummaryTable(PrintStream out) {
        this.out = out;
    }

    @Override
    public void write(ScenarioRun run, Path dir) {
        out.print(render(run.scenario(), run.results()));
    }

    static String render(String scenario, List<RunResult> results) {
        boolean expectations = results.stream().anyMatch(r -> !r.checks().isEmpty());
        boolean compaction = results.stream().anyMatch(r -> r.summary().compactionStalls().count() > 0);
        String[] head = compaction ? beforeVerdict(HEAD, "direct compaction") : HEAD;
        List<String[]> rows = new ArrayList<>();
        rows.add(expectations ? append(head, "expectations") : head);
        for (RunResult r : results) {
            Summary s = r.summary();
            String[] row = {
                    r.policy(),
                    size(s.peakUsedBytes()),
                    size(s.peakResidentBytes()),
                    size(s.peakSwapUsedBytes()),
                    size(s.swappedOutBytes()) + (s.thpSwpout() + s.thpSwpoutFallback() > 0
                            ? String.format(Locale.ROOT, " (%d whole, %d split)", s.thpSwpout(), s.thpSwpoutFallback()) : ""),
                    s.stalls() == 0 ? s.oomKills() == 0 ? "0 / 0" : "0 / " + s.oomKills()
                            : String.format(Locale.ROOT, "%d (%.1f s) / %d", s.stalls(), s.stallSeconds(), s.oomKills()),
                    failures(r),
                    lastTouch(s.lastTouchDone()),
                    s.verdict(),
            };
            if (compaction) row = beforeVerdict(row, compaction(s.compactionStalls()));
            rows.add(expectations ? append(row, expectations(r)) : row);
        }
        int[] w = new int[rows.get(0).length];
        for (String[] row : rows) for (int i = 0; i < w.length; i++) w[i] = Math.max(w[i], row[i].length());
        StringBuilder b = new StringBuilder("scenario ").append(scenario).append('\n');
        for (int n = 0; n < rows.size(); n++) {
            String[] row = rows.get(n);
            int last = w.length - 1;
            for (int i = 0; i < w.length; i++) {
                if (i > 0) b.append("  ");
                // the verdict and expectations are words: left-aligned, and the line ends with them
                boolean words = i == 0 || i >= head.length - 1;
                b.append(words ? (i == last ? row[i] : pad(row[i], w[i])) : lpad(row[i], w[i]));
            }
            b.append('\n');
            if (n == 0) {
                for (int i = 0; i < w.length; i++) b.append(i > 0 ? "  " : "").append("-".repeat(w[i]));
                b.append('\n');
            }
        }
        for (RunResult r : results) {
            for (Check c : r.failedChecks()) {
                b.append("FAILED ").append(r.policy()).append(": expect { ").append(c.text()).append(" } (").append(c.where()).append(")\n");
            }
        }
        return b.toString();
    }

    /** "ok (2)", or the expectations not met: "✗ clean; ✗ stallSeconds <= 5". */
    private static String expectations(RunResult r) {
        if (r.checks().isEmpty()) return "-";
        List<Check> failed = r.failedChecks();
        if (failed.isEmpty()) return "met (" + r.checks().size() + ")";
        return String.join("; ", failed.stream().map(c -> "\u2717 " + c.text()).toList());
    }

    private static String lastTouch(double t) {
        if (Double.isNaN(t)) return "-";
        if (t == Double.POSITIVE_INFINITY) return "never";
        return String.format(Locale.ROOT, "%.1f s", t);
    }

    private static String failures(RunResult r) {
        long n = r.summary().failedCalls() + r.summary().sigbus();
        if (n == 0) return "0";
        List<String> what = new ArrayList<>();
        for (Event e : r.events()) {
            if (e.data() instanceof EventData.CallFailed c) what.add(e.process() + " " + c.errno());
            else if (e.data() instanceof EventData.Killed k && k.signal().equals("SIGBUS")) what.add(e.process() + " sigbus");
        }
        return n + " (" + String.join(", ", what) + ")";
    }

    /** "32: 4.1 / 9.8 / 10.2 ms" (faults, then p50 / p99 / max), or "0". */
    private static String compaction(hugesim.record.CompactionStalls c) {
        if (c.count() == 0) return "0";
        return String.format(Locale.ROOT, "%d: %.1f / %.1f / %.1f ms", c.count(), c.p50() * 1e3, c.p99() * 1e3, c.max() * 1e3);
    }

    /** {@code row} with {@code cell} inserted before its last cell (the verdict). */
    private static String[] beforeVerdict(String[] row, String cell) {
        String[] out = java.util.Arrays.copyOf(row, row.length + 1);
        out[row.length - 1] = cell;
        out[row.length] = row[row.length - 1];
        return out;
    }

    private static String[] append(String[] row, String cell) {
        String[] out = java.util.Arrays.copyOf(row, row.length + 1);
        out[row.length] = cell;
        return out;
    }

    private static String size(long bytes) {
        return Sizes.of(bytes);
    }

    private static String pad(String s, int w) { return s + " ".repeat(w - s.length()); }

    private static String lpad(String s, int w) { return " ".repeat(w - s.length()) + s; }
}
