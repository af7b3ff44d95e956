package hugesim.charts;

import hugesim.record.Event;
import hugesim.record.Metrics;
import hugesim.record.RunResult;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Groups a run's failure events by kind, with a legend label and a look that is the same in every panel. */
final class FailureMarkers {
    record Style(Color color, Marker marker) {}

    record Group(String kind, String label, double[] times) {}

    private static final List<String> KNOWN = List.of(
            "mmap_failed", "madvise_failed", "syscall_failed", "fault_stall", "sigbus", "sigsegv", "oom_kill");
    private static final Map<String, Style> STYLES = Map.of(
            "mmap_failed", new Style(new Color(0xD55E00), SeriesMarkers.TRIANGLE_DOWN),
            "madvise_failed", new Style(new Color(0x8C510A), SeriesMarkers.TRIANGLE_DOWN),
            "syscall_failed", new Style(new Color(0x7F3B08), SeriesMarkers.SQUARE),
            "fault_stall", new Style(new Color(0x6A3D9A), SeriesMarkers.DIAMOND),
            "sigbus", new Style(new Color(0xB2182B), SeriesMarkers.CROSS),
            "sigsegv", new Style(new Color(0x67001F), SeriesMarkers.CROSS),
            "oom_kill", new Style(Color.BLACK, SeriesMarkers.CROSS));
    private static final Style OTHER = new Style(new Color(0x555555), SeriesMarkers.CIRCLE);

    /** Known kinds in a fixed order (calls, then stalls, then kills), unknown ones after them by name. */
    static final Comparator<String> KIND_ORDER = Comparator
            .comparingInt((String k) -> KNOWN.contains(k) ? KNOWN.indexOf(k) : KNOWN.size())
            .thenComparing(Comparator.naturalOrder());

    private static final Pattern ERRNO = Pattern.compile("\\bE[A-Z0-9]{2,}\\b");
    private static final Pattern STALLED = Pattern.compile("stalled ([0-9.]+) s");
    private static final int SHORT = 20;
    // What fits the legend column with the count after it.
    private static final int MAX_LABEL = 24;

    private FailureMarkers() {}

    static List<Event> failures(RunResult r) {
        return r.events() == null ? List.of() : r.events().stream().filter(Event::isFailure).toList();
    }

    /**
     * Groups by kind. Events closer than {@code resolution} seconds share one marker: they would
     * overlap on screen anyway, and thousands of stalls would otherwise bloat the SVG.
     */
    static List<Group> of(RunResult r, double resolution) {
        Map<String, List<Event>> byKind = new LinkedHashMap<>();
        failures(r).stream().sorted(Comparator.comparing(Event::kind, KIND_ORDER))
                .forEach(e -> byKind.computeIfAbsent(e.kind(), k -> new ArrayList<>()).add(e));
        List<Group> groups = new ArrayList<>();
        byKind.forEach((kind, events) -> groups.add(new Group(kind, label(kind, events),
                distinct(events.stream().mapToDouble(Event::time).sorted().toArray(), resolution))));
        return groups;
    }

    private static double[] distinct(double[] sortedTimes, double resolution) {
        double[] out = new double[sortedTimes.length];
        int k = 0;
        for (double t : sortedTimes) {
            if (k == 0 || t - out[k - 1] >= resolution) out[k++] = t;
        }
        return Arrays.copyOf(out, k);
    }

    /**
     * The chart line a failure is about: a refused call did not get the huge memory it asked to be
     * promised; a stall or a kill concerns the huge pages actually mapped.
     */
    static String concerns(String kind) {
        return switch (kind) {
            case "mmap_failed", "madvise_failed", "syscall_failed" -> Metrics.USED;
            default -> Metrics.RESIDENT;
        };
    }

    /** The words beside one marker: whose it is and what happened, e.g. "new: ENOMEM", "new: stall 5.0 s". */
    static String note(Event e) {
        String what = switch (e.kind()) {
            case "fault_stall" -> {
                Matcher m = STALLED.matcher(e.detail() == null ? "" : e.detail());
                yield m.find() ? String.format(java.util.Locale.ROOT, "stall %.1f s", Double.parseDouble(m.group(1))) : "stall";
            }
            case "sigbus" -> "SIGBUS";
            case "sigsegv" -> "SIGSEGV";
            case "oom_kill" -> "OOM-killed";
            default -> {
                String d = shortDetail(e.detail());
                yield d != null ? d : e.kind();
            }
        };
        return e.process() + ": " + what;
    }

    static Style style(String kind) {
        return STYLES.getOrDefault(kind, OTHER);
    }

    /** "mmap_failed (ENOMEM)", or "fault_stall ×3"; details only when short enough for a legend. */
    static String label(String kind, List<Event> events) {
        Set<String> details = new LinkedHashSet<>();
        boolean allShort = true;
        for (Event e : events) {
            String d = shortDetail(e.detail());
            if (d == null) allShort = false;
            else details.add(d);
        }
        String withDetails = kind + " (" + String.join(", ", details) + ")";
        boolean fits = allShort && !details.isEmpty() && details.size() <= 2 && withDetails.length() <= MAX_LABEL;
        String label = fits ? withDetails : kind;
        return events.size() > 1 ? label + " \u00d7" + events.size() : label;
    }

    /** The errno if the detail names one, else the detail itself if short, else null. */
    private static String shortDetail(String detail) {
        if (detail == null || detail.isBlank()) return null;
        Matcher m = ERRNO.matcher(detail);
        if (m.find()) return m.group();
        String d = detail.strip();
        return d.length() <= SHORT ? d : null;
    }
}
