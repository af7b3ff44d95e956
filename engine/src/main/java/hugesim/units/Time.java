package hugesim.units;

import java.util.Locale;

/** Simulated time is a {@code long} count of nanoseconds; this class converts it for people. */
public final class Time {
    public static final long NS = 1, US = 1_000, MS = 1_000_000, S = 1_000_000_000L, MIN = 60 * S, H = 60 * MIN;

    private Time() {}

    public static double seconds(long nanos) {
        return nanos / 1e9;
    }

    public static String format(long nanos) {
        if (nanos % S == 0) return (nanos / S) + "s";
        if (nanos % MS == 0) return (nanos / MS) + "ms";
        return String.format(Locale.ROOT, "%.6fs", seconds(nanos));
    }
}
