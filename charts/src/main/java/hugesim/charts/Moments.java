package hugesim.charts;

import hugesim.record.Event;
import hugesim.record.RunResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The moments of a run a reader places the lines against: each process's start (a later start is the
 * upgrade), its {@code idle} calls and its exit, marked on the time axis with a short label.
 */
final class Moments {
    /** One tick on the time axis; events closer than a pixel share it and its label. */
    record Moment(double time, String label) {}

    private static final Map<String, String> VERBS = Map.of(
            "process_start", "starts", "idle", "idle", "process_exit", "exits");

    private Moments() {}

    static List<Moment> of(List<RunResult> results, double resolution) {
        // time bucket -> process -> verbs, in the order they happened
        TreeMap<Long, Map<String, List<String>>> buckets = new TreeMap<>();
        TreeMap<Long, Double> firstTime = new TreeMap<>();
        for (RunResult r : results) {
            if (r.events() == null) continue;
            for (Event e : r.events()) {
                String verb = VERBS.get(e.kind());
                if (verb == null) continue;
                long b = resolution > 0 ? Math.round(e.time() / resolution) : 0;
                firstTime.merge(b, e.time(), Math::min);
                List<String> verbs = buckets.computeIfAbsent(b, k -> new LinkedHashMap<>())
                        .computeIfAbsent(e.process(), k -> new ArrayList<>());
                if (!verbs.contains(verb)) verbs.add(verb);
            }
        }
        List<Moment> out = new ArrayList<>();
        buckets.forEach((b, byProcess) -> {
            List<String> parts = new ArrayList<>();
            byProcess.forEach((p, verbs) -> parts.add(p + " " + String.join(", ", verbs)));
            out.add(new Moment(firstTime.get(b), String.join("; ", parts)));
        });
        return out;
    }
}
