package hugesim.property

import groovy.transform.CompileStatic

/**
 * What one process has written and not released since, for I7: {@link #written}, the bytes that must be
 * present (resident or in swap) until munmap, MADV_DONTNEED or exit (releases are recorded generously, the
 * whole range asked for whatever the call returned; writes only when the call wrote everything), and
 * {@link #unknown}, the parts of windows where the model no longer knows which pages remain: part of the
 * window was released, or its pages were moved out of line, since its last write fault. The model counts
 * a window's 4 KiB pages without placing them, a documented simplification, so such parts are not checked.
 */
@CompileStatic
final class Written {
    final Intervals written = new Intervals()
    final Intervals unknown = new Intervals()

    Written copy() {
        Written w = new Written()
        w.written.addAll(written)
        w.unknown.addAll(unknown)
        w
    }

    boolean isEmpty() { written.isEmpty() }

    /** [from, to) was released: its windows' other pages are no longer placed. */
    void released(long from, long to) {
        written.clear(from, to)
        long first = Math.floorDiv(from, Model.PMD) * Model.PMD
        for (long w = first; w < to; w += Model.PMD) {
            if (from > w || to < w + Model.PMD) unknown.add(w, w + Model.PMD)
        }
    }

    /** The windows of [from, to) hold pages whose places are not known. */
    void unplaced(long from, long to) {
        unknown.add(Math.floorDiv(from, Model.PMD) * Model.PMD, Model.roundUp(to, Model.PMD))
    }

    /**
     * [from, to) was written; a write fault maps the whole window within the VMA it hit, so those window
     * parts ({@code vmas}: the [start, end) of the VMAs the range lies in) hold all their pages again.
     */
    void wrote(long from, long to, List<long[]> vmas) {
        written.add(from, to)
        for (long[] v : vmas) {
            long s = Math.max(v[0], Math.floorDiv(Math.max(from, v[0]), Model.PMD) * Model.PMD)
            long e = Math.min(v[1], Model.roundUp(Math.min(to, v[1]), Model.PMD))
            if (s < e) unknown.clear(s, e)
        }
    }

    /** Keeps only what lies inside the given [start, end) ranges. */
    void retain(List<long[]> keep) {
        written.retain(keep)
        unknown.retain(keep)
    }

    @Override
    String toString() { "written ${written}, unknown ${unknown}" }
}

/** A set of disjoint [start, end) byte intervals, page-aligned. */
@CompileStatic
final class Intervals {
    private final TreeMap<Long, Long> ranges = new TreeMap<>()

    void addAll(Intervals o) { ranges.putAll(o.ranges) }

    boolean isEmpty() { ranges.isEmpty() }

    void add(long from, long to) {
        from = Math.floorDiv(from, Model.PAGE) * Model.PAGE
        to = Model.roundUp(to, Model.PAGE)
        if (to <= from) return
        Map.Entry<Long, Long> e = ranges.floorEntry(from)
        if (e != null && e.value >= from) {
            from = e.key
            to = Math.max(to, e.value)
            ranges.remove(e.key)
        }
        while (true) {
            Map.Entry<Long, Long> n = ranges.ceilingEntry(from)
            if (n == null || n.key > to) break
            to = Math.max(to, n.value)
            ranges.remove(n.key)
        }
        ranges.put(from, to)
    }

    void clear(long from, long to) {
        from = Math.floorDiv(from, Model.PAGE) * Model.PAGE
        to = Model.roundUp(to, Model.PAGE)
        if (to <= from) return
        Map.Entry<Long, Long> e = ranges.lowerEntry(from)
        if (e != null && e.value > from) {
            ranges.put(e.key, from)
            if (e.value > to) ranges.put(to, e.value)
        }
        while (true) {
            Map.Entry<Long, Long> n = ranges.ceilingEntry(from)
            if (n == null || n.key >= to) break
            ranges.remove(n.key)
            if (n.value > to) ranges.put(to, n.value)
        }
    }

    /** Bytes of [from, to) in the set. */
    long overlap(long from, long to) {
        long n = 0
        Map.Entry<Long, Long> e = ranges.lowerEntry(from)
        if (e != null && e.value > from) n += Math.min(e.value, to) - from
        for (Map.Entry<Long, Long> x : ranges.subMap(from, true, to, false).entrySet()) n += Math.min(x.value, to) - x.key
        n
    }

    /** The part of the set inside [from, to), shifted by {@code by}. */
    List<long[]> slice(long from, long to, long by) {
        List<long[]> out = []
        Map.Entry<Long, Long> e = ranges.lowerEntry(from)
        if (e != null && e.value > from) out << ([from + by, Math.min(e.value, to) + by] as long[])
        for (Map.Entry<Long, Long> x : ranges.subMap(from, true, to, false).entrySet()) {
            out << ([x.key + by, Math.min(x.value, to) + by] as long[])
        }
        out
    }

    /** Keeps only what lies inside the given [start, end) ranges. */
    void retain(List<long[]> keep) {
        Intervals w = new Intervals()
        for (long[] r : keep) for (long[] s : slice(r[0], r[1], 0)) w.add(s[0], s[1])
        ranges.clear()
        ranges.putAll(w.ranges)
    }

    @Override
    String toString() { ranges.collect { Long s, Long e -> String.format('%x-%x', s, e) }.join(' ') }
}
