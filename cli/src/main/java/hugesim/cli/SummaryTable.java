package hugesim.cli;

import hugesim.record.RunResult;
import hugesim.record.Summary;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The table {@code hugesim run} prints: one row per policy, the numbers a planner reads first. */
final class SummaryTable {
    private static final String[] HEAD = {"policy", "peak used", "peak resident", "swapped out",
            "stalls / OOM kills", "failed calls", "last touch done"};

    private SummaryTable() {}

    static String render(String scenario, List<RunResult> results) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEAD);
        for (RunResult r : results) {
            Summary s = r.summary();
            rows.add(new String[] {
                    r.policy(),
                    gib(s.peakUsedBytes()),
                    gib(s.peakResidentBytes()),
                    gib(s.swappedOutBytes()) + (s.thpSwpout() + s.thpSwpoutFallback() > 0
                            ? String.format(Locale.ROOT, " (%d whole, %d split)", s.thpSwpout(), s.thpSwpoutFallback()) : ""),
                    s.stalls() == 0 ? s.oomKills() == 0 ? "0 / 0" : "0 / " + s.oomKills()
                            : String.format(Locale.ROOT, "%d (%.1f s) / %d", s.stalls(), s.stallSeconds(), s.oomKills()),
                    failures(r),
                    Double.isNaN(s.lastTouchDone()) ? "-" : String.format(Locale.ROOT, "%.1f s", s.lastTouchDone()),
            });
        }
        int[] w = new int[HEAD.length];
        for (String[] row : rows) for (int i = 0; i < w.length; i++) w[i] = Math.max(w[i], row[i].length());
        StringBuilder b = new StringBuilder("scenario ").append(scenario).append('\n');
        for (int n = 0; n < rows.size(); n++) {
            String[] row = rows.get(n);
            for (int i = 0; i < w.length; i++) {
                if (i > 0) b.append("  ");
                b.append(i == 0 ? pad(row[i], w[i]) : lpad(row[i], w[i]));
            }
            b.append('\n');
            if (n == 0) {
                for (int i = 0; i < w.length; i++) b.append(i > 0 ? "  " : "").append("-".repeat(w[i]));
                b.append('\n');
            }
        }
        return b.toString();
    }

    private static String failures(RunResult r) {
        long n = r.summary().failedCalls() + r.summary().sigbus();
        if (n == 0) return "0";
        List<String> what = new ArrayList<>();
        r.events().stream().filter(e -> e.kind().endsWith("_failed") || e.kind().equals("sigbus")).forEach(e -> {
            String errno = e.detail().contains("= -") ? e.detail().substring(e.detail().lastIndexOf("= -") + 3) : e.kind();
            what.add(e.process() + " " + errno);
        });
        return n + " (" + String.join(", ", what) + ")";
    }

    private static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }

    private static String pad(String s, int w) { return s + " ".repeat(w - s.length()); }

    private static String lpad(String s, int w) { return " ".repeat(w - s.length()) + s; }
}
