package hugesim.mm.page;

import java.util.Arrays;

/**
 * Where a window's 4 KiB pages are: runs of physically contiguous pages, each two longs
 * ({@code node << 48 | pfn}, {@code voff << 32 | len}), sorted by the page offset in the window they map
 * ({@code voff}). A run may cross from one zone block into the next. Arrays are never changed once made: windows shared
 * after fork hold the same array, and every change makes a new one.
 */
public final class PageRuns {
    public static final long[] NONE = new long[0];

    private PageRuns() {}

    public static int runs(long[] r) { return r.length / 2; }

    public static int node(long[] r, int k) { return (int) (r[2 * k] >>> 48); }

    public static long pfn(long[] r, int k) { return r[2 * k] & ((1L << 48) - 1); }

    public static int voff(long[] r, int k) { return (int) (r[2 * k + 1] >>> 32); }

    public static int len(long[] r, int k) { return (int) r[2 * k + 1]; }

    /** One page as {@code node << 48 | pfn}, the form of a run's first long (page tables are kept so). */
    public static long page(int node, long pfn) { return (long) node << 48 | pfn; }

    public static int pageNode(long page) { return (int) (page >>> 48); }

    public static long pagePfn(long page) { return page & ((1L << 48) - 1); }

    /** The first page of run {@code k}, as {@link #page}. */
    public static long firstPage(long[] r, int k) { return r[2 * k]; }

    /** Pages in the runs. */
    public static int pages(long[] r) {
        int n = 0;
        for (int k = 0; k < runs(r); k++) n += len(r, k);
        return n;
    }

    /** Builds runs in order; adjacent pages of one block that map adjacent offsets join one run. */
    public static final class Builder {
        private long[] a = new long[8];
        private int n;

        public Builder add(int node, long pfn, int voff, int len) {
            if (len <= 0) return this;
            if (n > 0) {
                int k = n / 2 - 1;
                long endPfn = (a[2 * k] & ((1L << 48) - 1)) + (int) a[2 * k + 1];
                int endVoff = (int) (a[2 * k + 1] >>> 32) + (int) a[2 * k + 1];
                if ((int) (a[2 * k] >>> 48) == node && endPfn == pfn && endVoff == voff) {
                    a[2 * k + 1] += len;
                    return this;
                }
            }
            if (n + 2 > a.length) a = Arrays.copyOf(a, a.length * 2);
            a[n++] = (long) node << 48 | pfn;
            a[n++] = (long) voff << 32 | len;
            return this;
        }

        /** Adds run {@code k} of {@code r}, pages [from, to) of it. */
        public Builder addPart(long[] r, int k, int from, int to) {
            return add(node(r, k), pfn(r, k) + from, voff(r, k) + from, to - from);
        }

        public long[] build() { return n == 0 ? NONE : Arrays.copyOf(a, n); }
    }

    /** The runs of both, in offset order (their offsets must not overlap). */
    public static long[] merge(long[] x, long[] y) {
        if (x.length == 0) return y;
        if (y.length == 0) return x;
        Builder b = new Builder();
        int i = 0, j = 0;
        while (i < runs(x) || j < runs(y)) {
            boolean takeX = j >= runs(y) || (i < runs(x) && voff(x, i) < voff(y, j));
            if (takeX) { b.addPart(x, i, 0, len(x, i)); i++; }
            else { b.addPart(y, j, 0, len(y, j)); j++; }
        }
        return b.build();
    }

    /** The pages of {@code r} whose offsets lie in [from, to) ({@code inside}) or outside it. */
    public static long[] select(long[] r, int from, int to, boolean inside) {
        Builder b = new Builder();
        for (int k = 0; k < runs(r); k++) {
            int s = voff(r, k), e = s + len(r, k);
            int cs = Math.max(s, from), ce = Math.min(e, to);
            if (inside) {
                if (cs < ce) b.addPart(r, k, cs - s, ce - s);
            } else if (cs >= ce) {
                b.addPart(r, k, 0, e - s);
            } else {
                b.addPart(r, k, 0, cs - s);
                b.addPart(r, k, ce - s, e - s);
            }
        }
        return b.build();
    }

    /** The highest-offset {@code n} pages of {@code r} ({@code last}) or all but them. */
    public static long[] last(long[] r, int n, boolean last) {
        int total = pages(r);
        if (n >= total) return last ? r : NONE;
        int cut = total - n, seen = 0;
        Builder b = new Builder();
        for (int k = 0; k < runs(r); k++) {
            int l = len(r, k);
            int from = Math.max(0, Math.min(l, cut - seen));   // pages of this run before the cut
            if (last) b.addPart(r, k, from, l);
            else b.addPart(r, k, 0, from);
            seen += l;
        }
        return b.build();
    }

    /** The runs with every offset moved by {@code delta}. */
    public static long[] shift(long[] r, int delta) {
        if (delta == 0 || r.length == 0) return r;
        long[] s = r.clone();
        for (int k = 0; k < runs(s); k++) s[2 * k + 1] += (long) delta << 32;
        return s;
    }

    /**
     * The pages of a fresh allocation ({@code got}, in order) laid over the offsets of [from, to) that
     * {@code have} does not map, lowest first: those runs alone ({@code onlyNew}) or merged with {@code have}.
     */
    public static long[] fillGaps(long[] have, long[] got, int from, int to, boolean onlyNew) {
        Builder b = new Builder();
        int k = 0, used = 0;   // run of got, pages of it already placed
        int h = 0;
        for (int off = from; off < to && k < runs(got); ) {
            while (h < runs(have) && voff(have, h) + len(have, h) <= off) h++;
            int mappedFrom = h < runs(have) ? voff(have, h) : Integer.MAX_VALUE;
            if (off >= mappedFrom) { off = mappedFrom + len(have, h); continue; }
            int gap = Math.min(to, mappedFrom) - off;
            int take = Math.min(gap, len(got, k) - used);
            b.add(node(got, k), pfn(got, k) + used, off, take);
            off += take;
            used += take;
            if (used == len(got, k)) { k++; used = 0; }
        }
        return onlyNew ? b.build() : merge(have, b.build());
    }

    /** The pages of {@code got}, in order, laid over the offsets {@code at} maps (as many as {@code got} has). */
    public static long[] place(long[] got, long[] at) {
        Builder b = new Builder();
        int k = 0, used = 0;
        for (int j = 0; j < runs(at) && k < runs(got); j++) {
            int off = voff(at, j), left = len(at, j);
            while (left > 0 && k < runs(got)) {
                int take = Math.min(left, len(got, k) - used);
                b.add(node(got, k), pfn(got, k) + used, off, take);
                off += take;
                left -= take;
                used += take;
                if (used == len(got, k)) { k++; used = 0; }
            }
        }
        return b.build();
    }

    /** The first {@code n} pages of {@code r} in offset order ({@code first}) or the rest. */
    public static long[] first(long[] r, int n, boolean first) {
        return last(r, pages(r) - n, !first);
    }

    /** The pages of {@code r} on {@code node} with page numbers in [lo, hi) ({@code inside}) or the others. */
    public static long[] byPfn(long[] r, int node, long lo, long hi, boolean inside) {
        Builder b = new Builder();
        for (int k = 0; k < runs(r); k++) {
            long s = pfn(r, k), e = s + len(r, k);
            long cs = node(r, k) == node ? Math.max(s, lo) : e, ce = node(r, k) == node ? Math.min(e, hi) : e;
            if (inside) {
                if (cs < ce) b.addPart(r, k, (int) (cs - s), (int) (ce - s));
            } else if (cs >= ce) {
                b.addPart(r, k, 0, (int) (e - s));
            } else {
                b.addPart(r, k, 0, (int) (cs - s));
                b.addPart(r, k, (int) (ce - s), (int) (e - s));
            }
        }
        return b.build();
    }
}
