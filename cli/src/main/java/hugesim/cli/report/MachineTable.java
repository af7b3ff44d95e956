package hugesim.cli.report;

import hugesim.record.RunResult;
import j2html.tags.DomContent;
import j2html.tags.specialized.TableTag;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static j2html.TagCreator.*;

/**
 * The machine as each policy booted it, one column per policy: a value the same under every policy
 * spans all columns, so what a policy changes (its command line, above all) stands out.
 */
final class MachineTable {
    private MachineTable() {}

    static TableTag build(List<RunResult> results) {
        Set<String> keys = new LinkedHashSet<>();
        for (RunResult r : results) if (r.machine() != null) keys.addAll(r.machine().keySet());
        List<DomContent> rows = new ArrayList<>();
        for (String key : keys) {
            List<String> values = results.stream().map(r -> format(key, r.machine() == null ? null : r.machine().get(key))).toList();
            List<DomContent> cells = new ArrayList<>();
            cells.add(th(key).withClass("text"));
            if (values.stream().distinct().count() == 1) {
                cells.add(td(cell(key, values.get(0))).withClass("text").attr("colspan", results.size()));
            } else {
                for (String v : values) cells.add(td(cell(key, v)).withClass("text"));
            }
            rows.add(tr(cells.toArray(DomContent[]::new)));
        }
        return table(
                thead(tr(th(""), each(results, r -> th(r.policy()).withClass("text")))),
                tbody(rows.toArray(DomContent[]::new)));
    }

    private static DomContent cell(String key, String value) {
        return key.equals("cmdline") ? code(value.isEmpty() ? "(empty)" : value) : text(value);
    }

    /** Bytes and rates in binary units, as the README's literals write them; the rest as recorded. */
    static String format(String key, Object v) {
        if (v == null) return "-";
        if (v instanceof Number n && (key.endsWith("_bytes") || key.endsWith("_size"))) return size(n.longValue());
        if (v instanceof Number n && key.endsWith("_Bps")) return size(n.longValue()) + "/s";
        return Objects.toString(v);
    }

    private static String size(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%d %s", (long) v, units[u])
                : String.format(Locale.ROOT, "%.2f %s", v, units[u]);
    }
}
