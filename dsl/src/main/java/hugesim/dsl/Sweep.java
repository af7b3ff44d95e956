package hugesim.dsl;

import java.util.ArrayList;
import java.util.List;

/**
 * The values one parameter takes in a sweep: a list, or a range walked at a step
 * ({@code 16.GB..32.GB step 1.GB}); the line that declared it, for errors.
 */
public record Sweep(String name, List<Object> values, int line) {
    /** More values than this in one parameter is a typo, not a sweep. */
    public static final int MAX_VALUES = 100_000;

    public Sweep {
        values = List.copyOf(values);
    }

    /** Values of {@code from..to} (or {@code from..<to}) at {@code step}; an error for an empty, reversed or endless range. */
    public static List<Object> range(String name, Object from, Object to, boolean exclusive, Object step) {
        if (step == null) throw new IllegalArgumentException("sweep " + name + ": a range needs a step, e.g. 16.GB..32.GB step 1.GB");
        if (from.getClass() != step.getClass() && !(from instanceof Number && step instanceof Number && from.getClass() == to.getClass())) {
            throw new IllegalArgumentException("sweep " + name + ": the step " + Literal.format(step) + " is not of the range's kind (" + Literal.format(from) + ")");
        }
        if (!Literal.positive(step)) throw new IllegalArgumentException("sweep " + name + ": the step must be positive, got " + Literal.format(step));
        int c = Literal.compare(from, to);
        if (c > 0) throw new IllegalArgumentException("sweep " + name + ": the range " + Literal.format(from) + ".." + Literal.format(to) + " is reversed; write it from low to high");
        if (c == 0 && exclusive) throw new IllegalArgumentException("sweep " + name + ": the range " + Literal.format(from) + "..<" + Literal.format(to) + " is empty");
        List<Object> out = new ArrayList<>();
        for (long k = 0; ; k++) {
            Object v = Literal.add(from, step, k);
            int cmp = Literal.compare(v, to);
            if (cmp > 0 || exclusive && cmp == 0) break;
            if (out.size() == MAX_VALUES) {
                throw new IllegalArgumentException("sweep " + name + ": " + Literal.format(from) + ".." + Literal.format(to) + " step " + Literal.format(step)
                        + " has more than " + MAX_VALUES + " values; take a larger step");
            }
            out.add(v);
        }
        return out;
    }
}
