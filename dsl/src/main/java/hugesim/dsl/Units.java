package hugesim.dsl;

import hugesim.units.Bandwidth;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * Unit literals for scripts, as a Groovy extension module: sizes ({@code 16.GB}) are byte counts
 * (long, powers of 1024, as the kernel counts them), durations ({@code 60.s}) are {@link Duration}s,
 * rates ({@code 2.GBps}) are {@link Bandwidth}s. A value too large for 64 bits is an error, not a wrap.
 */
public final class Units {
    private Units() {}

    private static long scale(Number n, long unit, String name) {
        String what = name.endsWith("B") ? "bytes" : name.endsWith("Bps") ? "bytes per second" : "nanoseconds";
        BigDecimal v = new BigDecimal(n.toString()).multiply(BigDecimal.valueOf(unit));
        if (v.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException(n + "." + name + " is too large: more than 2^63 " + what);
        }
        if (v.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException(n + "." + name + " is not a whole number of " + what);
        }
        return v.longValueExact();
    }

    public static long getB(Number n) { return scale(n, 1, "B"); }
    public static long getKB(Number n) { return scale(n, 1L << 10, "KB"); }
    public static long getMB(Number n) { return scale(n, 1L << 20, "MB"); }
    public static long getGB(Number n) { return scale(n, 1L << 30, "GB"); }
    public static long getTB(Number n) { return scale(n, 1L << 40, "TB"); }

    public static Duration getNs(Number n) { return Duration.ofNanos(scale(n, 1, "ns")); }
    public static Duration getUs(Number n) { return Duration.ofNanos(scale(n, 1_000, "us")); }
    public static Duration getMs(Number n) { return Duration.ofNanos(scale(n, 1_000_000, "ms")); }
    public static Duration getS(Number n) { return Duration.ofNanos(scale(n, 1_000_000_000L, "s")); }
    public static Duration getMin(Number n) { return Duration.ofNanos(scale(n, 60_000_000_000L, "min")); }
    public static Duration getH(Number n) { return Duration.ofNanos(scale(n, 3_600_000_000_000L, "h")); }

    public static Bandwidth getKBps(Number n) { return rate(n, 1L << 10, "KBps"); }
    public static Bandwidth getMBps(Number n) { return rate(n, 1L << 20, "MBps"); }
    public static Bandwidth getGBps(Number n) { return rate(n, 1L << 30, "GBps"); }

    /** {@code -1.s}: Groovy's unary minus on a duration; a negative duration is refused where it is used. */
    public static Duration negative(Duration d) { return d.negated(); }

    /** {@code -1.GBps}: no rate is negative. */
    public static Bandwidth negative(Bandwidth b) {
        throw new IllegalArgumentException("-" + b + ": a rate must be positive");
    }

    private static Bandwidth rate(Number n, long unit, String name) {
        long v = scale(n, unit, name);
        if (v <= 0) throw new IllegalArgumentException(n + "." + name + ": a rate must be positive");
        return new Bandwidth(v);
    }
}
