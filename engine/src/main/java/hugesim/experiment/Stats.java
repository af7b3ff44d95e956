package hugesim.experiment;

import org.apache.commons.statistics.descriptive.DoubleStatistics;
import org.apache.commons.statistics.descriptive.Statistic;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.apache.commons.statistics.distribution.TDistribution;

import java.util.EnumSet;

/**
 * The intervals a sweep reports, at 95 %: Student's t for a metric's mean over replications, Wilson's
 * score interval for a share of runs (clean runs, runs meeting the goal), which stays inside [0, 1] and
 * is honest for shares near 0 or 1 and few runs.
 */
public final class Stats {
    /** The two-sided 95 % normal quantile, 1.95996…. */
    public static final double Z95 = NormalDistribution.of(0, 1).inverseCumulativeProbability(0.975);

    private Stats() {}

    /**
     * A mean and its interval; {@code sd}, {@code low} and {@code high} are NaN when fewer than two values
     * are defined (NaN values, e.g. a touch that never finished, are left out and counted in {@code undefined}).
     */
    public record Mean(int n, int undefined, double mean, double sd, double low, double high) {}

    /** A share of runs with its Wilson interval. */
    public record Share(long hits, long n, double share, double low, double high) {}

    public static Mean mean(double[] values) {
        double[] defined = java.util.Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray();
        int n = defined.length;
        int undefined = values.length - n;
        if (n == 0) return new Mean(0, undefined, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        DoubleStatistics st = DoubleStatistics.of(EnumSet.of(Statistic.MEAN, Statistic.STANDARD_DEVIATION), defined);
        double mean = st.getAsDouble(Statistic.MEAN);
        if (n < 2) return new Mean(n, undefined, mean, Double.NaN, Double.NaN, Double.NaN);
        double sd = st.getAsDouble(Statistic.STANDARD_DEVIATION);
        double half = TDistribution.of(n - 1).inverseCumulativeProbability(0.975) * sd / Math.sqrt(n);
        return new Mean(n, undefined, mean, sd, mean - half, mean + half);
    }

    public static Share wilson(long hits, long n) {
        if (n <= 0) return new Share(hits, n, Double.NaN, Double.NaN, Double.NaN);
        double p = hits / (double) n, z2 = Z95 * Z95;
        double denom = 1 + z2 / n;
        double centre = (p + z2 / (2.0 * n)) / denom;
        double half = Z95 * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denom;
        // exactly 0 and 1 at the ends, where rounding would leave 1e-16 off
        double low = hits == 0 ? 0 : Math.max(0, centre - half), high = hits == n ? 1 : Math.min(1, centre + half);
        return new Share(hits, n, p, low, high);
    }

    /** The fewest runs, all meeting the goal, whose Wilson lower bound reaches {@code share}. */
    public static long runsToShow(double share) {
        if (share <= 0) return 1;
        if (share >= 1) return Long.MAX_VALUE;
        long n = (long) Math.ceil(share * Z95 * Z95 / (1 - share));
        while (wilson(n, n).low() < share) n++;
        return Math.max(1, n);
    }
}
