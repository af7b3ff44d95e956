package hugesim.kernel;

import hugesim.mm.filemap.AddressSpace;
import hugesim.mm.filemap.FileFolio;
import hugesim.mm.page.AllocRequest;
import hugesim.mm.page.Allocation;
import hugesim.mm.page.Gfp;
import hugesim.mm.page.PageRuns;
import hugesim.units.Bandwidth;

/**
 * A read(2) or write(2) of a file in progress, one PMD-sized stretch of the file after another on the
 * event loop, as {@link Touch} faults windows: a stretch not cached is allocated (movable order-0 pages,
 * through the allocation entry point, reclaiming when memory is short) and, for a read, read from the disk
 * (filemap_read(), page_cache_ra_unbounded()); a cached one is a hit (folio_mark_accessed()). A write
 * dirties its stretches (generic_perform_write()) and waits in balance_dirty_pages() while dirty memory is
 * over vm.dirty_ratio.
 *
 * <p>Simplification: a read brings in whole stretches up to the end of the file (a 2 MiB readahead
 * window), and a write of part of a stretch that is not cached allocates it without reading it first.
 */
final class FileIo implements Stalling {
    private final Task t;
    private AddressSpace file;
    private final long end;
    private final boolean write;
    private final Bandwidth rate;
    private final Runnable onDone;
    private final Runnable next = this::step;
    private final long stretchBytes;
    private long cursor;
    private long nextAt;
    private long stallStart = -1;
    private boolean done, throttled;

    FileIo(Task t, AddressSpace file, long offset, long len, boolean write, Bandwidth rate, Runnable onDone) {
        this.t = t;
        this.file = file;
        this.cursor = offset;
        this.end = offset + len;
        this.write = write;
        this.rate = rate;
        this.onDone = onDone;
        this.stretchBytes = (long) t.k.m.pageCache.stretch * t.k.m.geometry.pageSize();
        this.nextAt = t.k.env.now();
    }

    boolean done() { return done; }

    void step() {
        var env = t.k.env;
        var m = t.k.m;
        while (!t.mm.exited) {
            if (env.now() < nextAt) {
                env.schedule(nextAt, next);
                return;
            }
            if (cursor >= end) {
                finish();
                return;
            }
            if (write && m.flusher.overLimit()) {
                // balance_dirty_pages(): the writer sleeps until writeback brings dirty memory under the limit
                throttled = true;
                m.flusher.throttled.add(next);
                return;
            }
            throttled = false;
            // simplification: with no open file descriptors, a file deleted meanwhile is made anew by the call
            file = m.pageCache.file(file.name);
            int index = (int) (cursor / stretchBytes);
            long stretchEnd = Math.min((index + 1) * stretchBytes, end);
            m.pageCache.grow(file, write ? stretchEnd : end);
            int want = pagesWanted(index);
            FileFolio f = file.folio(index);
            int have = f == null ? 0 : f.pages();
            if (have < want) {
                // __filemap_add_folio(): mem_cgroup_charge() to the stretch's cgroup (its first reader's)
                int c = t.k.reclaim.memcg.tryCharge(f != null ? f.memcg : t.mm.memcg, want - have, false, true, t.pid(), next);
                if (c == hugesim.mm.Fault.WAIT) return;
                if (c == hugesim.mm.Fault.KILLED) {
                    finish();
                    return;
                }
                if (c == hugesim.mm.Fault.OOM) {
                    // nothing left to reclaim or kill in the cgroup: wait for memory to be freed
                    if (stallStart < 0) {
                        stallStart = env.now();
                        t.k.stallsInProgress.add(this);
                    }
                    m.memoryWaiters.add(next);
                    return;
                }
                Allocation a = m.alloc.allocPages(AllocRequest.pages(want - have, t.mm.node, Gfp.WMARK_MIN).reclaiming(t.pid(), next));
                switch (a.status()) {
                    case OK -> { }
                    case WAIT -> { return; }
                    case STALL -> {
                        if (stallStart < 0) {
                            stallStart = env.now();
                            t.k.stallsInProgress.add(this);
                        }
                        return;
                    }
                    case KILLED -> {
                        finish();
                        return;
                    }
                    default -> throw new IllegalStateException("a page-cache allocation that may reclaim failed");
                }
                if (stallStart >= 0) endStall(true);
                if (file.folio(index) != f || m.pageCache.lookup(file.name) != file) {
                    // the allocation's reclaim evicted the stretch (or the file went): free the pages, look again
                    m.pages.freeRuns(a.runs());
                    m.memoryFreed();
                    continue;
                }
                f = added(f, index, have, a.runs());
                if (!write) {
                    // the missing pages come from the disk; the reader waits for them
                    long readDone = m.disk.read(env.now(), (long) (want - have) * m.geometry.pageSize());
                    nextAt = Math.max(readDone, paced(stretchEnd));
                    cursor = stretchEnd;
                    continue;
                }
            } else {
                t.k.reclaim.lru.fileAccessed(f);
            }
            if (write) {
                m.pageCache.setDirty(f, env.now());
                m.flusher.dirtied();
            }
            nextAt = paced(stretchEnd);
            cursor = stretchEnd;
        }
        finish();
    }

    /** When the next stretch may start, at the caller's rate. */
    private long paced(long to) {
        return rate == null ? t.k.env.now() : t.k.env.now() + rate.nanosFor(to - cursor);
    }

    /** Pages stretch {@code index} holds when cached up to the file's end. */
    private int pagesWanted(int index) {
        long from = index * stretchBytes;
        long bytes = Math.min(stretchBytes, file.size() - from);
        return (int) ((bytes + t.k.m.geometry.pageSize() - 1) / t.k.m.geometry.pageSize());
    }

    /** The pages just allocated join the cache: a new stretch, or the end of one the file grew into. */
    private FileFolio added(FileFolio f, int index, int have, long[] runs) {
        var m = t.k.m;
        if (f != null) {
            t.k.reclaim.lru.fileGrown(f, PageRuns.shift(runs, have));
            t.k.reclaim.lru.fileAccessed(f);
            return f;
        }
        long shadow = m.pageCache.shadow(file, index);
        f = m.pageCache.add(file, index, runs, false, t.k.env.now(), t.mm.memcg);
        t.k.reclaim.lru.fileAdded(f, shadow);
        t.k.reclaim.lru.fileAccessed(f);   // filemap_read() and write_begin mark what they copy accessed
        return f;
    }

    private void endStall(boolean ended) {
        t.stalled(stallStart, cursor, ended);
        t.k.stallsInProgress.remove(this);
        stallStart = -1;
    }

    @Override
    public void runEnded() {
        if (stallStart >= 0) endStall(false);
        if (throttled) t.k.m.flusher.throttled.remove(next);
    }

    private void finish() {
        if (done) return;
        done = true;
        if (stallStart >= 0) {
            t.k.stallsInProgress.remove(this);
            stallStart = -1;
        }
        onDone.run();
    }
}
