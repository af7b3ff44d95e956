package hugesim.cli.report;

import hugesim.charts.Verdict;
import hugesim.record.RunResult;
import hugesim.record.Summary;
import j2html.tags.specialized.TableTag;
import j2html.tags.specialized.TrTag;

import java.util.List;
import java.util.Locale;

import static j2html.TagCreator.*;

/** The summary as a table: one row per policy, every field of the summary, in the README's units. */
final class SummaryRows {
    private static final String[] HEAD = {"policy", "verdict", "peak reserved", "peak used", "peak resident",
            "swapped out", "THPs swapped out whole / split", "stalls", "stall time", "OOM kills", "SIGBUS",
            "failed calls", "last touch done", "thp_fault_alloc", "thp_fault_fallback"};

    private SummaryRows() {}

    static TableTag build(List<RunResult> results) {
        return table(
                thead(tr(each(List.of(HEAD), h -> th(h)))),
                tbody(each(results, SummaryRows::row)));
    }

    private static TrTag row(RunResult r) {
        Summary s = r.summary();
        boolean clean = s == null || s.clean();
        if (s == null) return tr(td(r.policy()), td(Verdict.of(null)));
        return tr(
                td(r.policy()),
                td(Verdict.of(s)).withClass(clean ? "clean" : "failed"),
                td(size(s.peakReservedBytes())),
                td(size(s.peakUsedBytes())),
                td(size(s.peakResidentBytes())),
                td(size(s.swappedOutBytes())),
                td(s.thpSwpout() + " / " + s.thpSwpoutFallback()),
                td(String.valueOf(s.stalls())),
                td(seconds(s.stallSeconds())),
                td(String.valueOf(s.oomKills())),
                td(String.valueOf(s.sigbus())),
                td(String.valueOf(s.failedCalls())),
                td(lastTouch(s.lastTouchDone())),
                td(String.valueOf(s.thpFaultAlloc())),
                td(String.valueOf(s.thpFaultFallback())));
    }

    static String size(long bytes) {
        return Sizes.of(bytes);
    }

    /** As the printed table says it: "-" when nothing was touched, "never" when a touch did not finish. */
    static String lastTouch(double t) {
        if (Double.isNaN(t)) return "-";
        return t == Double.POSITIVE_INFINITY ? "never" : seconds(t);
    }

    static String seconds(double s) {
        return String.format(Locale.ROOT, "%.1f s", s);
    }
}
