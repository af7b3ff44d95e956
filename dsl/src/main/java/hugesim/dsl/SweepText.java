package hugesim.dsl;

import java.util.ArrayList;
import java.util.List;

/**
 * A sweep as given on the command line: {@code reserve=16.GB..32.GB step 1.GB}, {@code reserve=16.GB..<32.GB step 1.GB}
 * or {@code coldShare=0.2,0.4,0.6}. Its values are typed once the parameter's kind is known.
 */
public record SweepText(String name, String text) {
    public static SweepText parse(String arg) {
        int eq = arg.indexOf('=');
        if (eq <= 0) throw new IllegalArgumentException("--sweep '" + arg + "': write NAME=FROM..TO step STEP or NAME=A,B,C");
        String rhs = arg.substring(eq + 1).trim();
        if (rhs.isEmpty()) throw new IllegalArgumentException("--sweep '" + arg + "': no values after '='");
        return new SweepText(arg.substring(0, eq).trim(), rhs);
    }

    /** The values, as {@code kind}; errors name the parameter. */
    public List<Object> values(Literal.Kind kind) {
        int dots = text.indexOf("..");
        if (dots < 0) {
            List<Object> out = new ArrayList<>();
            for (String part : text.split(",")) {
                if (part.isBlank()) throw new IllegalArgumentException(name + "=" + text + ": an empty value in the list");
                out.add(Literal.convert(Literal.parse(part), kind, name));
            }
            return out;
        }
        String from = text.substring(0, dots).trim();
        String rest = text.substring(dots + 2);
        boolean exclusive = rest.startsWith("<");
        if (exclusive) rest = rest.substring(1);
        String to = rest, step = null;
        int s = rest.indexOf(" step ");
        if (s >= 0) {
            to = rest.substring(0, s);
            step = rest.substring(s + 6);
        }
        Object stepValue = step == null ? (kind == Literal.Kind.INTEGER ? Integer.valueOf(1) : null) : Literal.convert(Literal.parse(step), kind, name);
        return Sweep.range(name, Literal.convert(Literal.parse(from), kind, name), Literal.convert(Literal.parse(to.trim()), kind, name), exclusive, stepValue);
    }
}
