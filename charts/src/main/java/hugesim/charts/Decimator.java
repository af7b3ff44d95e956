package hugesim.charts;

import java.util.Arrays;

/**
 * Thins a sampled line for drawing. A day sampled every second is 86,400 points per line, far more
 * than a panel has pixels, and XChart draws every segment as its own shape (restarting the dash
 * pattern each time). Points on a straight line between their neighbours go first, which is exact;
 * what is left, if still too long, keeps each bucket's first, lowest, highest and last point, so
 * spikes survive.
 */
final class Decimator {
    // Relative to the line's y range: far below a pixel, above floating-point noise.
    private static final double COLLINEAR_TOLERANCE = 1e-9;

    private Decimator() {}

    /** Returns {x, y}; never more than about {@code maxPoints} points. */
    static double[][] thin(double[] x, double[] y, int maxPoints) {
        double[][] straight = dropCollinear(x, y);
        return straight[0].length <= maxPoints ? straight
                : minMaxBuckets(straight[0], straight[1], Math.max(1, maxPoints / 4));
    }

    private static double[][] dropCollinear(double[] x, double[] y) {
        int n = x.length;
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double v : y) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        double tol = n == 0 ? 0 : Math.max(hi - lo, Math.abs(hi)) * COLLINEAR_TOLERANCE;
        double[] ox = new double[n], oy = new double[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (k > 0 && i < n - 1 && onLine(ox[k - 1], oy[k - 1], x[i], y[i], x[i + 1], y[i + 1], tol)) continue;
            ox[k] = x[i];
            oy[k] = y[i];
            k++;
        }
        return new double[][] {Arrays.copyOf(ox, k), Arrays.copyOf(oy, k)};
    }

    /** Whether (x, y) lies on the segment from (x0, y0) to (x1, y1), within tol in y. */
    private static boolean onLine(double x0, double y0, double x, double y, double x1, double y1, double tol) {
        if (x1 == x0) return y == y0 && y == y1;
        double expected = y0 + (y1 - y0) * (x - x0) / (x1 - x0);
        return Math.abs(y - expected) <= tol;
    }

    private static double[][] minMaxBuckets(double[] x, double[] y, int buckets) {
        int n = x.length;
        double[] ox = new double[buckets * 4], oy = new double[buckets * 4];
        int k = 0;
        for (int b = 0; b < buckets; b++) {
            int from = (int) ((long) n * b / buckets), to = (int) ((long) n * (b + 1) / buckets);
            if (from >= to) continue;
            int lo = from, hi = from;
            for (int i = from; i < to; i++) {
                if (y[i] < y[lo]) lo = i;
                if (y[i] > y[hi]) hi = i;
            }
            // Keep the chosen points in time order so the line does not double back.
            int[] keep = {from, Math.min(lo, hi), Math.max(lo, hi), to - 1};
            int last = -1;
            for (int i : keep) {
                if (i == last) continue;
                ox[k] = x[i];
                oy[k] = y[i];
                k++;
                last = i;
            }
        }
        return new double[][] {Arrays.copyOf(ox, k), Arrays.copyOf(oy, k)};
    }
}
