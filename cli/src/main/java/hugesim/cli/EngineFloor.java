package hugesim.cli;

import hugesim.record.RunResult;

/**
 * The least work any model of a run must do, timed as a yardstick for the engine: the run's THP
 * faults (thp_fault_alloc plus thp_fault_fallback), each taking the lowest free block from a bitmap,
 * recording it in a per-window array and counting it, with a block freed again whenever none is left,
 * and the run's samples, each copying the sampled values into primitive columns. No events, no VMAs,
 * no policy: what is left is the engine's own overhead.
 */
final class EngineFloor {
    private EngineFloor() {}

    /** What a run did that the floor repeats: its THP faults, and its samples of so many metrics. */
    record Work(long faults, int rows, int metrics) {
        static Work of(RunResult r) {
            return new Work(r.summary().thpFaultAlloc() + r.summary().thpFaultFallback(), r.series().size(), r.series().names().size());
        }
    }

    /**
     * Nanoseconds the floor loop took for a run's faults and samples ({@code blocks} bounds the bitmap),
     * or -1 for a run without THP faults, whose work the loop would not describe.
     */
    static long nanos(Work work, int blocks) {
        long faults = work.faults();
        if (faults == 0) return -1;
        int rows = work.rows(), metrics = work.metrics();
        long samplesEvery = rows == 0 ? Long.MAX_VALUE : Math.max(1, faults / rows);
        long t0 = System.nanoTime();
        long[] free = new long[(blocks + 63) >>> 6];
        for (int b = 0; b < blocks; b++) free[b >>> 6] |= 1L << b;
        long[] window = new long[blocks];
        long[] counters = new long[metrics];
        double[][] columns = new double[metrics][rows];
        int hint = 0, row = 0, w = 0, nfree = blocks;
        for (long f = 0; f < faults; f++) {
            if (nfree == 0) {                   // memory full: the oldest window's block is freed
                int b = (int) window[w % blocks];
                free[b >>> 6] |= 1L << b;
                if ((b >>> 6) < hint) hint = b >>> 6;
                nfree++;
            }
            int word = hint;
            while (free[word] == 0) word++;
            int b = (word << 6) + Long.numberOfTrailingZeros(free[word]);
            free[word] &= ~(1L << b);
            nfree--;
            hint = word;
            window[w++ % blocks] = b;
            counters[(int) (f % metrics)]++;
            if (f % samplesEvery == 0 && row < rows) {
                for (int m = 0; m < metrics; m++) columns[m][row] = counters[m];
                row++;
            }
        }
        for (; row < rows; row++) for (int m = 0; m < metrics; m++) columns[m][row] = counters[m];
        long t = System.nanoTime() - t0;
        if (columns.length > 0 && rows > 0 && columns[0][rows - 1] < 0) throw new AssertionError();   // keeps the work alive
        return t;
    }
}
