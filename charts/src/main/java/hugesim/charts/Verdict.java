package hugesim.charts;

import hugesim.record.Summary;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A few words on how a run went, for a panel title or a report: "clean" or what failed. */
public final class Verdict {
    private Verdict() {}

    public static String of(Summary s) {
        if (s == null) return "";
        if (s.clean()) return "clean";
        List<String> parts = new ArrayList<>();
        parts.add(count(s.failedCalls(), "failed call", "failed calls"));
        String stalls = count(s.stalls(), "stall", "stalls");
        if (s.stalls() > 0 && s.stallSeconds() > 0) stalls += " (" + seconds(s.stallSeconds()) + ")";
        parts.add(stalls);
        // SIGBUS is rare; naming it only when it happened keeps the title short.
        if (s.sigbus() > 0) parts.add(s.sigbus() + " SIGBUS");
        parts.add(count(s.oomKills(), "OOM kill", "OOM kills"));
        return String.join(", ", parts);
    }

    private static String count(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    private static String seconds(double s) {
        return s < 10 ? String.format(Locale.ROOT, "%.1f s", s) : String.format(Locale.ROOT, "%,.0f s", s);
    }
}
