package hugesim.cli.report;

import hugesim.record.Event;
import hugesim.record.RunResult;
import j2html.tags.DomContent;
import j2html.tags.specialized.LiTag;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static j2html.TagCreator.*;

/**
 * What happened to each process, in time order, per policy: its start, its mapHuge calls, failed calls,
 * stalls with their length, kills, idle and exit; the kernel's own lines (boot log, warnings) in a row
 * of their own. The first policy's timeline is open; the others unfold on a click.
 */
final class Timeline {
    /** A row lists this many events; the rest are counted (result.json has them all). */
    static final int MAX_PER_PROCESS = 60;
    private static final Pattern ERRNO = Pattern.compile("\\bE[A-Z0-9]{2,}\\b");
    private static final Pattern STALLED = Pattern.compile("stalled ([0-9.]+) s");

    private Timeline() {}

    static DomContent of(List<RunResult> results) {
        List<DomContent> parts = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            RunResult r = results.get(i);
            var d = details(summary(r.policy()), table(tbody(each(byProcess(r).entrySet(), e ->
                    tr(th(e.getKey()).withClass("text"), td(events(e.getValue())).withClass("text"))))));
            if (i == 0) d.attr("open");
            parts.add(d.withData("policy", r.policy()));
        }
        return div(parts.toArray(DomContent[]::new));
    }

    /** Processes in the order they first appear; the kernel's lines last. */
    private static Map<String, List<Event>> byProcess(RunResult r) {
        Map<String, List<Event>> m = new LinkedHashMap<>();
        List<Event> kernel = new ArrayList<>();
        if (r.events() != null) {
            for (Event e : r.events()) {
                if ("kernel".equals(e.process())) kernel.add(e);
                else m.computeIfAbsent(e.process(), k -> new ArrayList<>()).add(e);
            }
        }
        if (!kernel.isEmpty()) m.put("kernel", kernel);
        return m;
    }

    private static DomContent events(List<Event> events) {
        List<DomContent> items = new ArrayList<>();
        for (int i = 0; i < Math.min(events.size(), MAX_PER_PROCESS); i++) items.add(item(events.get(i)));
        if (events.size() > MAX_PER_PROCESS) {
            items.add(li((events.size() - MAX_PER_PROCESS) + " more in result.json").withClass("more"));
        }
        return ol(items.toArray(DomContent[]::new)).withClass("events");
    }

    private static LiTag item(Event e) {
        String cls = e.kind().equals("fault_stall") ? "stall" : e.isFailure() ? "failure"
                : switch (e.kind()) {
                    case "process_start", "process_exit", "idle", "map_huge" -> "moment";
                    default -> "note";
                };
        return li(time(seconds(e.time())).attr("datetime", "PT" + e.time() + "S"), text(words(e)))
                .withClasses(cls, "ev-" + e.kind())
                .withTitle(e.detail() == null ? e.kind() : e.detail());
    }

    /** A few words per event; the detail line is the item's tooltip. */
    static String words(Event e) {
        String d = e.detail() == null ? "" : e.detail();
        return switch (e.kind()) {
            case "process_start" -> "start (" + d + ")";
            case "process_exit" -> "exit";
            case "map_huge" -> "mapHuge " + d;
            case "idle" -> "idle " + d;
            case "mmap_failed", "madvise_failed", "syscall_failed" -> {
                Matcher m = ERRNO.matcher(d);
                // another call than mmap or madvise (ftruncate of a pool file): named by the detail, "ftruncate(16G) = -ENOSPC"
                String call = e.kind().equals("syscall_failed") && d.indexOf('(') > 0 ? d.substring(0, d.indexOf('(')) + " failed" : e.kind().replace('_', ' ');
                yield call + (m.find() ? ": " + m.group() : "");
            }
            case "fault_stall" -> {
                Matcher m = STALLED.matcher(d);
                String len = m.find() ? String.format(Locale.ROOT, " %.3f s", Double.parseDouble(m.group(1))) : "";
                yield "stall" + len + (d.contains("still stalled") ? " (still stalled at the end)" : "");
            }
            case "sigbus" -> "killed: SIGBUS";
            case "sigsegv" -> "killed: SIGSEGV";
            case "oom_kill" -> "killed: OOM";
            default -> e.kind().replace('_', ' ') + (d.isEmpty() ? "" : ": " + d);
        };
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.3f s", s).replaceAll("\\.?0+ s$", " s");
    }
}
