package hugesim.record;

import org.apache.commons.statistics.descriptive.Quantile;

/**
 * The time THP faults spent in direct compaction, one figure per fault that entered it (a compact_stall):
 * how many, the median, the 99th percentile and the longest, in seconds (NaN when there were none).
 * Percentiles interpolate linearly between order statistics (Hyndman and Fan's definition 7).
 */
public record CompactionStalls(long count, double p50, double p99, double max) {
    public static final CompactionStalls NONE = new CompactionStalls(0, Double.NaN, Double.NaN, Double.NaN);

    private static final Quantile QUANTILE = Quantile.withDefaults().with(Quantile.EstimationMethod.HF7);

    /** The distribution of {@code nanos}, one value per fault. */
    public static CompactionStalls of(long[] nanos) {
        if (nanos.length == 0) return NONE;
        double[] s = new double[nanos.length];
        double max = 0;
        for (int i = 0; i < s.length; i++) {
            s[i] = nanos[i] / 1e9;
            max = Math.max(max, s[i]);
        }
        double[] q = QUANTILE.evaluate(s, 0.5, 0.99);
        return new CompactionStalls(s.length, q[0], q[1], max);
    }

    /** Several processes' faults pooled (the run's distribution). */
    public static CompactionStalls pooled(java.util.List<long[]> perProcess) {
        return of(perProcess.stream().flatMapToLong(java.util.Arrays::stream).toArray());
    }

    /** "12 faults, p50 3.1 ms, p99 9.8 ms, max 10.2 ms", or "none". */
    public String describe() {
        if (count == 0) return "none";
        return String.format(java.util.Locale.ROOT, "%d fault%s, p50 %s, p99 %s, max %s", count, count == 1 ? "" : "s",
                ms(p50), ms(p99), ms(max));
    }

    private static String ms(double seconds) {
        return String.format(java.util.Locale.ROOT, "%.1f ms", seconds * 1e3);
    }
}
