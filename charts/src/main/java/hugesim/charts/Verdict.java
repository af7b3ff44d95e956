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
        // SIGBUS, SIGSEGV, failed asserts and warnings are rarer; naming them only when they happened
        // keeps the title short, and a run that is not clean always says why
        if (s.sigbus() > 0) parts.add(s.sigbus() + " SIGBUS");
        if (s.sigsegv() > 0) parts.add(s.sigsegv() + " SIGSEGV");
        parts.add(count(s.oomKills(), "OOM kill", "OOM kills"));
        if (s.assertsFailed() > 0) parts.add(count(s.assertsFailed(), "failed assert", "failed asserts"));
        if (s.kernelWarnings() > 0) parts.add(count(s.kernelWarnings(), "kernel warning", "kernel warnings"));
        if (s.scriptWarnings() > 0) parts.add(count(s.scriptWarnings(), "script warning", "script warnings"));
        return String.join(", ", parts);
    }

    private static String count(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    private static String seconds(double s) {
        return s < 10 ? String.format(Locale.ROOT, "%.1f s", s) : String.format(Locale.ROOT, "%,.0f s", s);
    }
}
