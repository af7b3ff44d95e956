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
 * upgrade), its {@code idle} calls and its exit, marked on the time axis with a short label. Drawn for
 * several policies at once, a moment that happened under only some of them says so ("new exits (2 of 8)"); three or
 * more numbered processes of one name that did the same at one moment are named by their first and last
 * ("backend0…backend7 exit").
 */
final class Moments {
    /** One tick on the time axis; events closer than a pixel share it and its label. */
    record Moment(double time, String label) {}

    private static final Map<String, String> VERBS = Map.of(
            "process_start", "starts", "idle", "idle", "process_exit", "exits");

    private Moments() {}

    static List<Moment> of(List<RunResult> results, double resolution) {
        // time bucket -> process -> verb -> under how many of the results, in the order they happened
        TreeMap<Long, Map<String, Map<String, Integer>>> buckets = new TreeMap<>();
        TreeMap<Long, Double> firstTime = new TreeMap<>();
        int runs = 0;
        for (RunResult r : results) {
            if (r.events() == null) continue;
            runs++;
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (Event e : r.events()) {
                String verb = VERBS.get(e.kind());
                if (verb == null) continue;
                long b = resolution > 0 ? Math.round(e.time() / resolution) : 0;
                firstTime.merge(b, e.time(), Math::min);
                Map<String, Integer> verbs = buckets.computeIfAbsent(b, k -> new LinkedHashMap<>())
                        .computeIfAbsent(e.process(), k -> new LinkedHashMap<>());
                if (seen.add(b + " " + e.process() + " " + verb)) verbs.merge(verb, 1, Integer::sum);
            }
        }
        int all = runs;
        List<Moment> out = new ArrayList<>();
        buckets.forEach((b, byProcess) -> {
            // numbered processes of one name (backend0, backend1, …) that did the same at this moment share one phrase
            Map<String, List<String>> groups = new LinkedHashMap<>();
            Map<String, String> phrases = new LinkedHashMap<>();
            byProcess.forEach((p, verbs) -> {
                List<String> said = new ArrayList<>();
                verbs.forEach((verb, n) -> said.add(n == all ? verb : verb + " (" + n + " of " + all + ")"));
                String phrase = String.join(", ", said), key = p.replaceFirst("\\d+$", "") + "\u0000" + phrase;
                groups.computeIfAbsent(key, k -> new ArrayList<>()).add(p);
                phrases.put(key, phrase);
            });
            List<String> parts = new ArrayList<>();
            groups.forEach((key, processes) -> {
                String phrase = phrases.get(key);
                if (processes.size() < GROUP) processes.forEach(p -> parts.add(p + " " + phrase));
                else parts.add(processes.get(0) + "…" + processes.get(processes.size() - 1) + " " + plural(phrase));
            });
            out.add(new Moment(firstTime.get(b), String.join("; ", parts)));
        });
        return out;
    }

    /** So many numbered processes of one name doing the same at one moment are named by their first and last. */
    private static final int GROUP = 3;

    /** "starts, exits (1 of 3)" → "start, exit (1 of 3)": the phrase for several processes. */
    private static String plural(String phrase) {
        return phrase.replace("starts", "start").replace("exits", "exit");
    }
}
