package hugesim.mm.page;

import java.util.Arrays;

/**
 * The buddy allocator below the block order (mm/page_alloc.c, zone->free_area[order]): which 4 KiB pages
 * of each block broken up for base pages are in use, and the free chunks that leaves, per order and
 * migratetype. A block's free pages form the largest aligned chunks its buddies allow (__free_one_page()
 * merges every free pair), so the chunks are derived from the block's page bitmap rather than kept on lists.
 *
 * <p>Simplification: a request takes the lowest-addressed chunk of the smallest order that has one
 * (__rmqueue_smallest() takes the head of a list whose order it does not sort), and there are no per-CPU
 * page lists.
 */
final class FreeArea {
    private final int blockPages;
    /** Orders below the block: 0 to blockOrder - 1. */
    private final int orders;
    private final int words;
    /** Pages in use of a broken block, one bit each; null for a block that is not broken. */
    private final long[][] used;
    private final int[] usedCount;
    /** Free chunks of each order in each broken block: hist[block * orders + order]. */
    private final short[] hist;
    /** Free chunks per migratetype and order (the nr_free of /proc/pagetypeinfo below the block order). */
    private final long[][] nrFree;
    /** Blocks of a migratetype that hold a free chunk of an order. */
    private final BlockSet[][] withFree;

    FreeArea(int nrBlocks, int blockPages) {
        this.blockPages = blockPages;
        this.orders = Integer.numberOfTrailingZeros(blockPages);
        this.words = Math.max(1, blockPages >>> 6);
        this.used = new long[nrBlocks][];
        this.usedCount = new int[nrBlocks];
        this.hist = new short[nrBlocks * orders];
        this.nrFree = new long[MigrateType.VALUES.length][orders];
        this.withFree = new BlockSet[MigrateType.VALUES.length][orders];
        for (BlockSet[] row : withFree) for (int o = 0; o < orders; o++) row[o] = new BlockSet(nrBlocks);
    }

    int orders() { return orders; }

    long nrFree(int type, int order) { return nrFree[type][order]; }

    int usedIn(int block) { return usedCount[block]; }

    /** Moves whenever a block's used pages change (see {@link Zone#changes()}). */
    long changes;

    boolean isUsed(int block, int page) { return (used[block][page >>> 6] & (1L << page)) != 0; }

    /** A wholly free block is broken up: all of it free, none of it yet counted as chunks. */
    void open(int block, int type) {
        used[block] = new long[words];
        usedCount[block] = 0;
        changes++;
    }

    /** The block's last page was freed (or it becomes one folio again): it leaves the free area. */
    void close(int block, int type) {
        setHist(block, type, new short[orders]);
        used[block] = null;
    }

    /**
     * Takes up to {@code n} pages of the lowest chunk of {@code order} in {@code block}, from its start
     * (expand() hands out the low half and frees the high ones). Returns the first page taken.
     */
    int takeFromChunk(int block, int type, int order, int n) {
        int at = lowestChunk(block, order);
        mark(block, type, at, Math.min(n, 1 << order), true);
        return at;
    }

    /** Takes the first {@code n} free pages of {@code block}, lowest first; tells {@code out} where they were. */
    void takeFree(int block, int type, int n, Zone.Runs out) {
        long[] u = used[block];
        for (int p = 0; p < blockPages && n > 0; ) {
            if ((u[p >>> 6] & (1L << p)) != 0) { p++; continue; }
            int e = p;
            while (e < blockPages && e - p < n && (u[e >>> 6] & (1L << e)) == 0) e++;
            mark(block, type, p, e - p, true);
            out.add(p, e - p);
            n -= e - p;
            p = e;
        }
    }

    /** The lowest broken block of {@code type} with a free chunk of {@code order}, or -1. */
    int blockWithChunk(int type, int order) {
        return nrFree[type][order] == 0 ? -1 : withFree[type][order].nextSetBit(0);
    }

    /** Pages [from, from + n) of {@code block} become used ({@code take}) or free. */
    void mark(int block, int type, int from, int n, boolean take) {
        long[] u = used[block];
        for (int p = from; p < from + n; ) {
            int w = p >>> 6, bit = p & 63, k = Math.min(64 - bit, from + n - p);
            long mask = (k == 64 ? -1L : ((1L << k) - 1)) << bit;
            if (take ? (u[w] & mask) != 0 : (u[w] & mask) != mask)
                throw new IllegalStateException("page " + (block * (long) blockPages + p) + (take ? " taken twice" : " freed twice"));
            u[w] = take ? u[w] | mask : u[w] & ~mask;
            p += k;
        }
        usedCount[block] += take ? n : -n;
        changes++;
        setHist(block, type, chunks(u));
    }

    /** The block changes migratetype with its free chunks (move_freepages_block()). */
    void retype(int block, int from, int to) {
        short[] h = Arrays.copyOfRange(hist, block * orders, block * orders + orders);
        setHist(block, from, new short[orders]);
        setHist(block, to, h);
    }

    private void setHist(int block, int type, short[] h) {
        for (int o = 0; o < orders; o++) {
            int i = block * orders + o;
            nrFree[type][o] += h[o] - hist[i];
            hist[i] = h[o];
            if (h[o] > 0) withFree[type][o].set(block);
            else withFree[type][o].clear(block);
        }
    }

    /** Free chunks per order of a block with these used pages: |F(o)| - 2|F(o+1)|, F(o) the free aligned 2^o runs. */
    private short[] chunks(long[] u) {
        int[] runs = new int[orders + 1];
        long[] f = new long[u.length];
        for (int w = 0; w < u.length; w++) f[w] = blockPages < 64 ? ~u[w] & ((1L << blockPages) - 1) : ~u[w];
        int o = 0;
        // orders within a word: halve the map each step, keeping a bit where both halves were free
        for (; o <= orders && (1 << o) <= 32 && (1 << o) < blockPages; o++) {
            int c = 0;
            for (int w = 0; w < f.length; w++) c += Long.bitCount(f[w]);
            runs[o] = c;
            for (int w = 0; w < f.length; w++) f[w] = f[w] & (f[w] >>> (1 << o)) & ALIGNED[o + 1];
        }
        // orders of a word or more: whole free words, then pairs of them
        boolean[] free = null;
        for (; o <= orders; o++) {
            if (free == null) {
                free = new boolean[f.length];
                for (int w = 0; w < f.length; w++) free[w] = f[w] != 0;   // the word's one aligned 64-page run
            } else {
                boolean[] next = new boolean[free.length / 2];
                for (int w = 0; w < next.length; w++) next[w] = free[2 * w] && free[2 * w + 1];
                free = next;
            }
            int c = 0;
            for (boolean b : free) if (b) c++;
            runs[o] = c;
        }
        short[] h = new short[orders];
        for (int k = 0; k < orders; k++) h[k] = (short) (runs[k] - 2 * runs[k + 1]);
        return h;
    }

    /** Bits at positions aligned to 2^o. */
    private static final long[] ALIGNED = {
            -1L, 0x5555555555555555L, 0x1111111111111111L, 0x0101010101010101L,
            0x0001000100010001L, 0x0000000100000001L, 0x0000000000000001L};

    /** The first page of the lowest free chunk of exactly {@code order} in the block. */
    private int lowestChunk(int block, int order) {
        long[] u = used[block];
        int size = 1 << order;
        for (int at = 0; at < blockPages; at += size) {
            if (!allFree(u, at, size)) continue;
            int buddy = at ^ size;
            // a chunk of this order, not half of a larger free one
            if (order + 1 >= orders + 1 || size * 2 > blockPages || !allFree(u, Math.min(at, buddy), size * 2)) return at;
            at = Math.max(at, buddy);   // skip the buddy too: both halves belong to a larger chunk
        }
        throw new IllegalStateException("no free chunk of order " + order + " in block " + block);
    }

    private static boolean allFree(long[] u, int from, int n) {
        for (int p = from; p < from + n; ) {
            int w = p >>> 6, bit = p & 63, k = Math.min(64 - bit, from + n - p);
            long mask = (k == 64 ? -1L : ((1L << k) - 1)) << bit;
            if ((u[w] & mask) != 0) return false;
            p += k;
        }
        return true;
    }
}
