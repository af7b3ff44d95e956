package hugesim.policy;

import hugesim.kernel.Kernel;
import hugesim.kernel.Task;
import hugesim.units.Size;

import java.util.Map;
import java.util.StringJoiner;

/**
 * One way to back huge memory: the kernel parameters it boots with and what {@code mapHuge} does.
 * Runs of the same scenario under several policies compare designs on the same workload.
 */
public interface Policy {
    /** The DSL name: {@code hugetlb}, {@code hugetlbCma}, {@code thp}, {@code reservedThp}. */
    String name();

    /** Parameters in the order the DSL writes them; sizes in bytes. */
    Map<String, Object> params();

    /** Kernel command-line parameters this policy boots with, on a machine of this geometry. */
    String cmdline(hugesim.mm.Geometry g);

    /**
     * Whether the policy fits a machine of this geometry and node count, checked when the script names it (so
     * the error names its line): its boot parameters are computed, which checks its sizes. Throws when not.
     */
    default void check(hugesim.mm.Geometry g, int nodes) { cmdline(g); }

    /** Settings made once the kernel is up. */
    default void configure(Kernel k) {}

    /** Maps {@code size} bytes of huge memory for {@code t}; throws {@link Task.CallFailed} on an errno. */
    long mapHuge(Task t, long size);

    /** After a process exited (an administrator's follow-up, e.g. shrinking a pool). */
    default void afterExit(Kernel k) {}

    /** {@code reservedThp(reserve: 22G, overcommit: true)} */
    default String label() {
        StringJoiner j = new StringJoiner(", ", name() + "(", ")");
        params().forEach((k, v) -> j.add(k + ": " + show(v)));
        return j.toString();
    }

    /** {@code reservedThp(reserve: 22.GB, overcommit: true)}: the policy as a script writes it, to build it again. */
    default String expression() {
        StringJoiner j = new StringJoiner(", ", name() + "(", ")");
        params().forEach((k, v) -> j.add(k + ": " + literal(v)));
        return j.toString();
    }

    /** A parameter as a DSL literal: sizes in the largest unit that divides them, strings quoted. */
    private static String literal(Object v) {
        if (v instanceof Long bytes) {
            String[] units = {"TB", "GB", "MB", "KB"};
            for (int i = 0; i < units.length; i++) {
                long unit = 1L << (10 * (4 - i));
                if (bytes % unit == 0) return bytes / unit + "." + units[i];
            }
            return Long.toString(bytes);
        }
        if (v instanceof String s) return "'" + s + "'";
        if (v instanceof java.util.List<?> list) return listOf(list, Policy::literal);
        return String.valueOf(v);
    }

    /** {@code reservedThp-reserve-22G-overcommit}: a directory name. */
    default String key() {
        StringBuilder b = new StringBuilder(name());
        params().forEach((k, v) -> {
            if (v instanceof Boolean bool) { if (bool) b.append('-').append(k); }
            else if (v instanceof java.util.List<?> list) { b.append('-').append(k); list.forEach(e -> b.append('-').append(show(e))); }
            else b.append('-').append(k).append('-').append(show(v));
        });
        return b.toString();
    }

    private static String show(Object v) {
        if (v instanceof java.util.List<?> list) return listOf(list, Policy::show);
        return v instanceof Long l ? Size.format(l) : String.valueOf(v);
    }

    /** {@code [a, b]}, each element written by {@code each}. */
    private static String listOf(java.util.List<?> list, java.util.function.Function<Object, String> each) {
        StringJoiner j = new StringJoiner(", ", "[", "]");
        list.forEach(e -> j.add(each.apply(e)));
        return j.toString();
    }

    /** A size parameter must be a positive whole number of {@code unit}. */
    static long checkSize(String policy, String param, long bytes, long unit) {
        if (bytes <= 0) throw new IllegalArgumentException(policy + "(" + param + ":) must be positive, got " + bytes + " bytes");
        if (bytes % unit != 0) {
            throw new IllegalArgumentException(policy + "(" + param + ": " + Size.format(bytes) + ") is not a multiple of " + Size.format(unit));
        }
        return bytes;
    }
}
