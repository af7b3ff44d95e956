package hugesim.sim;

import java.util.Arrays;

/**
 * The pending actions ordered by (time, sequence number): a binary heap kept in parallel primitive
 * arrays, so ordering compares two longs and queueing allocates nothing once the arrays have grown.
 * Equal times run in the order they were queued, which keeps every run deterministic.
 */
final class EventQueue {
    private long[] at = new long[64];
    private long[] seq = new long[64];
    private Runnable[] action = new Runnable[64];
    private int size;

    boolean isEmpty() { return size == 0; }

    int size() { return size; }

    /** The time of the first action; only when not empty. */
    long headAt() { return at[0]; }

    /** The sequence number of the first action; only when not empty. */
    long headSeq() { return seq[0]; }

    void add(long t, long s, Runnable a) {
        if (size == at.length) grow();
        int i = size++;
        // sift up
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(t, s, at[parent], seq[parent])) break;
            move(parent, i);
            i = parent;
        }
        put(i, t, s, a);
    }

    /** Removes the first action and returns it. */
    Runnable poll() {
        Runnable first = action[0];
        int last = --size;
        long t = at[last], s = seq[last];
        Runnable a = action[last];
        action[last] = null;
        if (last > 0) {
            // sift the last element down from the root
            int i = 0;
            while (true) {
                int child = 2 * i + 1;
                if (child >= last) break;
                int right = child + 1;
                if (right < last && before(at[right], seq[right], at[child], seq[child])) child = right;
                if (!before(at[child], seq[child], t, s)) break;
                move(child, i);
                i = child;
            }
            put(i, t, s, a);
        }
        return first;
    }

    private static boolean before(long t1, long s1, long t2, long s2) {
        return t1 < t2 || (t1 == t2 && s1 < s2);
    }

    private void move(int from, int to) {
        at[to] = at[from];
        seq[to] = seq[from];
        action[to] = action[from];
    }

    private void put(int i, long t, long s, Runnable a) {
        at[i] = t;
        seq[i] = s;
        action[i] = a;
    }

    private void grow() {
        int n = at.length * 2;
        at = Arrays.copyOf(at, n);
        seq = Arrays.copyOf(seq, n);
        action = Arrays.copyOf(action, n);
    }
}
