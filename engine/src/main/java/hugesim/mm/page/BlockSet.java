package hugesim.mm.page;

/**
 * A fixed-size set of block numbers as bits. Unlike java.util.BitSet it never rescans its length when
 * the highest bit is cleared, which made sparse free lists on a 1 TiB machine cost O(blocks) per free.
 * A second level marks the words that hold a member, so a search skips 64 empty words at a step: the
 * lowest broken block with a free chunk sat thousands of empty words up on such a machine.
 */
public final class BlockSet {
    private final long[] words;
    /** Bit w is set when words[w] is not zero. */
    private final long[] nonEmpty;
    private final int size;

    public BlockSet(int size) {
        this.size = size;
        this.words = new long[(size + 63) >>> 6];
        this.nonEmpty = new long[(words.length + 63) >>> 6];
    }

    public boolean get(int i) {
        return (words[i >>> 6] & (1L << i)) != 0;
    }

    public void set(int i) {
        int w = i >>> 6;
        words[w] |= 1L << i;
        nonEmpty[w >>> 6] |= 1L << w;
    }

    public void set(int from, int to) {
        for (int i = from; i < to; i++) set(i);
    }

    public void clear(int i) {
        int w = i >>> 6;
        if ((words[w] &= ~(1L << i)) == 0) nonEmpty[w >>> 6] &= ~(1L << w);
    }

    /** The first word at or above {@code w} that holds a member, or -1. */
    private int nextWord(int w) {
        if (w >= words.length) return -1;
        int s = w >>> 6;
        long bits = nonEmpty[s] & (-1L << w);
        while (bits == 0) {
            if (++s == nonEmpty.length) return -1;
            bits = nonEmpty[s];
        }
        return (s << 6) + Long.numberOfTrailingZeros(bits);
    }

    /** The last word at or below {@code w} that holds a member, or -1. */
    private int previousWord(int w) {
        if (w < 0) return -1;
        int s = w >>> 6;
        long bits = nonEmpty[s] & (-1L >>> (63 - (w & 63)));
        while (bits == 0) {
            if (s-- == 0) return -1;
            bits = nonEmpty[s];
        }
        return (s << 6) + 63 - Long.numberOfLeadingZeros(bits);
    }

    /** The lowest member at or above {@code from}, or -1. */
    public int nextSetBit(int from) {
        if (from >= size) return -1;
        int w = from >>> 6;
        long word = words[w] & (-1L << from);
        if (word != 0) return (w << 6) + Long.numberOfTrailingZeros(word);
        w = nextWord(w + 1);
        return w < 0 ? -1 : (w << 6) + Long.numberOfTrailingZeros(words[w]);
    }

    /** The highest member at or below {@code from}, or -1. */
    public int previousSetBit(int from) {
        if (from < 0) return -1;
        int w = from >>> 6;
        long word = words[w] & (-1L >>> (63 - (from & 63)));
        if (word != 0) return (w << 6) + 63 - Long.numberOfLeadingZeros(word);
        w = previousWord(w - 1);
        return w < 0 ? -1 : (w << 6) + 63 - Long.numberOfLeadingZeros(words[w]);
    }

    /** The lowest member in [from, to), or -1. */
    public int nextSetBit(int from, int to) {
        if (from >= to) return -1;
        int b = nextSetBit(from);
        return b < to ? b : -1;
    }

    /**
     * Adds each member m to the row it falls in: {@code counts[((offset + m) / perRow) * stride + slot]}. A word
     * of members within one row is counted at once, so a sweep costs about one step per 64 blocks.
     */
    public void countByRow(int offset, int perRow, int[] counts, int stride, int slot) {
        for (int w = nextWord(0); w >= 0; w = nextWord(w + 1)) {
            long word = words[w];
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
