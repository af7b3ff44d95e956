package hugesim.mm.page;

/**
 * A fixed-size set of block numbers as bits. Unlike java.util.BitSet it never rescans its length when
 * the highest bit is cleared, which made sparse free lists on a 1 TiB machine cost O(blocks) per free.
 */
public final class BlockSet {
    private final long[] words;
    private final int size;

    public BlockSet(int size) {
        this.size = size;
        this.words = new long[(size + 63) >>> 6];
    }

    public boolean get(int i) {
        return (words[i >>> 6] & (1L << i)) != 0;
    }

    public void set(int i) {
        words[i >>> 6] |= 1L << i;
    }

    public void set(int from, int to) {
        for (int i = from; i < to; i++) set(i);
    }

    public void clear(int i) {
        words[i >>> 6] &= ~(1L << i);
    }

    /** The lowest member at or above {@code from}, or -1. */
    public int nextSetBit(int from) {
        if (from >= size) return -1;
        int w = from >>> 6;
        long word = words[w] & (-1L << from);
        while (true) {
            if (word != 0) return (w << 6) + Long.numberOfTrailingZeros(word);
            if (++w == words.length) return -1;
            word = words[w];
        }
    }

    /** The highest member at or below {@code from}, or -1. */
    public int previousSetBit(int from) {
        if (from < 0) return -1;
        int w = from >>> 6;
        long word = words[w] & (-1L >>> (63 - (from & 63)));
        while (true) {
            if (word != 0) return (w << 6) + 63 - Long.numberOfLeadingZeros(word);
            if (w-- == 0) return -1;
            word = words[w];
        }
    }

    /** The lowest member in [from, to), or -1; looks no further than {@code to}. */
    public int nextSetBit(int from, int to) {
        if (from >= to) return -1;
        int w = from >>> 6, last = (to - 1) >>> 6;
        long word = words[w] & (-1L << from);
        while (true) {
            if (word != 0) {
                int b = (w << 6) + Long.numberOfTrailingZeros(word);
                return b < to ? b : -1;
            }
            if (++w > last) return -1;
            word = words[w];
        }
    }

    /**
     * Adds each member m to the row it falls in: {@code counts[((offset + m) / perRow) * stride + slot]}. A word
     * of members within one row is counted at once, so a sweep costs about one step per 64 blocks.
     */
    public void countByRow(int offset, int perRow, int[] counts, int stride, int slot) {
        for (int w = 0; w < words.length; w++) {
            long word = words[w];
            if (word == 0) continue;
            int first = offset + (w << 6), row = first / perRow;
            if (row == (first + 63) / perRow) {
                counts[row * stride + slot] += Long.bitCount(word);
                continue;
            }
            for (; word != 0; word &= word - 1) {
                counts[((first + Long.numberOfTrailingZeros(word)) / perRow) * stride + slot]++;
            }
        }
    }
}
