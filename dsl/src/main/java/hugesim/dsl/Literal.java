package hugesim.dsl;

import hugesim.units.Bandwidth;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parameter values as the DSL writes them: {@code 22.GB}, {@code 300.s}, {@code 2.GBps}, {@code 8},
 * {@code 0.625}, {@code true}, {@code 'text'}. Parsed with the DSL's own unit literals ({@link Units}), so a
 * value given with {@code --set} means what it would mean in a script, and printed back in the shortest
 * exact form, so a recorded value can be given again.
 */
public final class Literal {
    /** What a parameter holds, decided by its default. */
    public enum Kind {
        SIZE("a size", "22.GB"), DURATION("a duration", "300.s"), RATE("a rate", "2.GBps"), INTEGER("a whole number", "8"),
        NUMBER("a number", "0.625"), BOOLEAN("true or false", "true"), STRING("text", "'ssd'");

        public final String what, example;

        Kind(String what, String example) {
            this.what = what;
            this.example = example;
        }
    }

    private static final Pattern UNIT = Pattern.compile("(-?\\d+(?:\\.\\d+)?)\\.([A-Za-z]+)");
    private static final Pattern INT = Pattern.compile("-?\\d+");
    private static final Pattern DECIMAL = Pattern.compile("-?(\\d+\\.\\d*|\\.\\d+|\\d+)([eE][-+]?\\d+)?");
    private static final String UNITS = "sizes B KB MB GB TB, durations ns us ms s min h, rates KBps MBps GBps";

    private Literal() {}

    /** The kind of a parameter whose default is {@code v}, or an error for a value no parameter can hold. */
    public static Kind kindOf(Object v, String name) {
        if (v instanceof Long) return Kind.SIZE;
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) return Kind.INTEGER;
        if (v instanceof BigDecimal || v instanceof Double || v instanceof Float) return Kind.NUMBER;
        if (v instanceof Duration) return Kind.DURATION;
        if (v instanceof Bandwidth) return Kind.RATE;
        if (v instanceof Boolean) return Kind.BOOLEAN;
        if (v instanceof CharSequence) return Kind.STRING;
        throw new IllegalArgumentException("param('" + name + "') has a default of " + (v == null ? "null" : v.getClass().getSimpleName())
                + "; a parameter holds a size (22.GB), a duration (300.s), a rate (2.GBps), a number, true/false or text");
    }

    /** Parses a value as written on the command line. */
    public static Object parse(String text) {
        String t = text.trim();
        if (t.equals("true") || t.equals("false")) return Boolean.valueOf(t);
        if (t.length() >= 2 && (t.startsWith("'") && t.endsWith("'") || t.startsWith("\"") && t.endsWith("\""))) return t.substring(1, t.length() - 1);
        Matcher m = UNIT.matcher(t);
        if (m.matches()) return withUnit(new BigDecimal(m.group(1)), m.group(2));
        if (INT.matcher(t).matches()) {
            java.math.BigInteger d = new java.math.BigInteger(t);
            if (d.bitLength() < 32) return d.intValueExact();
            throw new IllegalArgumentException("'" + t + "' is too large for a whole number parameter");
        }
        if (DECIMAL.matcher(t).matches()) return new BigDecimal(t);
        return t;
    }

    private static Object withUnit(BigDecimal n, String unit) {
        return switch (unit) {
            case "B" -> Units.getB(n);
            case "KB" -> Units.getKB(n);
            case "MB" -> Units.getMB(n);
            case "GB" -> Units.getGB(n);
            case "TB" -> Units.getTB(n);
            case "ns" -> Units.getNs(n);
            case "us" -> Units.getUs(n);
            case "ms" -> Units.getMs(n);
            case "s" -> Units.getS(n);
            case "min" -> Units.getMin(n);
            case "h" -> Units.getH(n);
            case "KBps" -> Units.getKBps(n);
            case "MBps" -> Units.getMBps(n);
            case "GBps" -> Units.getGBps(n);
            default -> throw new IllegalArgumentException("unknown unit '" + unit + "'" + suggest(unit) + "; units: " + UNITS);
        };
    }

    private static String suggest(String unit) {
        for (String u : new String[] {"B", "KB", "MB", "GB", "TB", "ns", "us", "ms", "s", "min", "h", "KBps", "MBps", "GBps"}) {
            if (u.equalsIgnoreCase(unit)) return " (did you mean " + u + "?)";
        }
        return "";
    }

    /** {@code v} as a value of {@code kind}, or an error that names the parameter and shows the form it takes. */
    public static Object convert(Object v, Kind kind, String name) {
        Object out = switch (kind) {
            case SIZE -> v instanceof Long ? v : null;
            case INTEGER -> v instanceof Integer ? v : null;
            case NUMBER -> v instanceof BigDecimal ? v : v instanceof Integer i ? BigDecimal.valueOf(i)
                    : v instanceof Double || v instanceof Float ? new BigDecimal(v.toString()) : null;
            case DURATION -> v instanceof Duration ? v : null;
            case RATE -> v instanceof Bandwidth ? v : null;
            case BOOLEAN -> v instanceof Boolean ? v : null;
            case STRING -> v instanceof CharSequence ? v.toString() : null;
        };
        if (out == null) {
            String hint = kind == Kind.SIZE && v instanceof Integer ? " (a size needs a unit)" : "";
            throw new IllegalArgumentException(name + " is " + kind.what + ", e.g. " + kind.example + "; got " + format(v) + hint);
        }
        return out;
    }

    /** The shortest exact DSL form of a value. */
    public static String format(Object v) {
        if (v instanceof Long bytes) return size(bytes);
        if (v instanceof Duration d) {
            // seconds read best for the durations scenarios use (300.s, not 5.min); hours for whole hours
            return scaled(d.toNanos(), new long[] {3_600_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L, 1},
                    new String[] {"h", "s", "ms", "us", "ns"});
        }
        if (v instanceof Bandwidth b) return scaled(b.bytesPerSecond(), new long[] {1L << 30, 1L << 20, 1L << 10}, new String[] {"GBps", "MBps", "KBps"});
        if (v instanceof BigDecimal d) return d.toPlainString();
        if (v instanceof CharSequence s) return "'" + s + "'";
        return String.valueOf(v);
    }

    /** The largest unit in which the size is at least 1 with at most two decimals: 22.GB, 19.75.GB, 512.MB. */
    private static String size(long bytes) {
        String[] names = {"TB", "GB", "MB", "KB"};
        for (int i = 0; i < names.length; i++) {
            BigDecimal v = BigDecimal.valueOf(bytes).divide(BigDecimal.valueOf(1L << (10 * (4 - i)))).stripTrailingZeros();
            if (v.abs().compareTo(BigDecimal.ONE) >= 0 && v.scale() <= 2) return v.toPlainString() + "." + names[i];
        }
        return bytes + ".B";
    }

    private static String scaled(long n, long[] units, String[] names) {
        for (int i = 0; i < units.length; i++) {
            if (n % units[i] == 0 && (n != 0 || i == units.length - 1)) return (n / units[i]) + "." + names[i];
        }
        // a rate that is not a whole number of KiB/s: bytes per second in KBps with a fraction
        return BigDecimal.valueOf(n).divide(BigDecimal.valueOf(units[units.length - 1])).stripTrailingZeros().toPlainString()
                + "." + names[names.length - 1];
    }

    /** {@code a + k * step} for values of one kind, exactly. */
    public static Object add(Object a, Object step, long k) {
        if (a instanceof Long l) return Math.addExact(l, Math.multiplyExact((Long) step, k));
        if (a instanceof Integer i) return Math.toIntExact(i + Math.multiplyExact((long) (Integer) step, k));
        if (a instanceof BigDecimal d) return d.add(((BigDecimal) step).multiply(BigDecimal.valueOf(k)));
        if (a instanceof Duration d) return d.plus(((Duration) step).multipliedBy(k));
        if (a instanceof Bandwidth b) return new Bandwidth(Math.addExact(b.bytesPerSecond(), Math.multiplyExact(((Bandwidth) step).bytesPerSecond(), k)));
        throw new IllegalArgumentException("a range of " + format(a) + " cannot be stepped");
    }

    /** Compares two values of one kind. */
    @SuppressWarnings("unchecked")
    public static int compare(Object a, Object b) {
        if (a instanceof Bandwidth x) return Long.compare(x.bytesPerSecond(), ((Bandwidth) b).bytesPerSecond());
        return ((Comparable<Object>) a).compareTo(b);
    }

    /** True for a step that moves a range forward: positive. */
    public static boolean positive(Object step) {
        if (step instanceof Bandwidth) return true;
        if (step instanceof Duration d) return !d.isNegative() && !d.isZero();
        if (step instanceof BigDecimal d) return d.signum() > 0;
        if (step instanceof Number n) return n.longValue() > 0;
        return false;
    }
}
