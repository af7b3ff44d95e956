package hugesim.mm.vma;

import java.util.Arrays;

/** Counts by long key, without boxing (open addressing; a key once seen keeps its slot, at zero or not). */
final class LongCounts {
    private static final long FREE = Long.MIN_VALUE;
    private long[] keys = new long[16];
    private int[] counts = new int[16];
    private int used;

    LongCounts() { Arrays.fill(keys, FREE); }

    /** Adds {@code d} to {@code key}'s count; returns the new count. */
    int add(long key, int d) {
        int i = slot(key);
        if (keys[i] == FREE) {
            keys[i] = key;
            if (++used * 2 > keys.length) {
                grow();
                i = slot(key);
            }
        }
        return counts[i] += d;
    }

    private int slot(long key) {
        int mask = keys.length - 1;
        int i = (int) (key * 0x9E3779B97F4A7C15L >>> 40) & mask;
        while (keys[i] != FREE && keys[i] != key) i = (i + 1) & mask;
        return i;
    }

    private void grow() {
        long[] k = keys;
        int[] c = counts;
        keys = new long[k.length * 2];
        counts = new int[k.length * 2];
        Arrays.fill(keys, FREE);
        for (int j = 0; j < k.length; j++) {
            if (k[j] == FREE) continue;
            int i = slot(k[j]);
            keys[i] = k[j];
            counts[i] = c[j];
        }
    }
}
