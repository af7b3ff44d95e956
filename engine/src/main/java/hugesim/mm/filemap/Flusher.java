package hugesim.mm.filemap;

import hugesim.sim.Environment;
import hugesim.sim.WaitQueue;

import java.util.function.LongSupplier;

/**
 * Writeback of dirty page cache (mm/page-writeback.c, fs/fs-writeback.c): the flusher writes dirty
 * stretches back to the disk, oldest first, one at a time, when dirty memory passes the background
 * threshold (vm.dirty_background_ratio of dirtyable memory), when reclaim asks (wakeup_flusher_threads()),
 * and every vm.dirty_writeback_centisecs for what has been dirty longer than vm.dirty_expire_centisecs;
 * a writer waits in balance_dirty_pages() while dirty and writeback pages exceed vm.dirty_ratio.
 *
 * <p>Simplification: the writer waits until dirty memory is back under the threshold rather than being
 * paused in proportion (the kernel's dirty ratelimiting), and the periodic flush runs only while
 * something is dirty.
 */
public final class Flusher {
    private final Environment env;
    private final PageCache cache;
    private final Disk disk;
    /** global_dirtyable_memory(): free pages less the reserves, plus the file LRU's pages. */
    private final LongSupplier dirtyable;
    private final Runnable cleaned;
    private final long pageBytes;
    /** Writers throttled in balance_dirty_pages(). */
    public final WaitQueue throttled = new WaitQueue();
    private int dirtyRatio = 20, dirtyBackgroundRatio = 10;
    private long dirtyExpireCentisecs = 3000, dirtyWritebackCentisecs = 500;
    private boolean writing, flushAll, periodic;

    /** @param cleaned runs when a stretch's write completed (its pages may now be reclaimed) */
    public Flusher(Environment env, PageCache cache, Disk disk, long pageBytes, LongSupplier dirtyable, Runnable cleaned) {
        this.env = env;
        this.pageBytes = pageBytes;
        this.cache = cache;
        this.disk = disk;
        this.dirtyable = dirtyable;
        this.cleaned = cleaned;
    }

    public int getDirtyRatio() { return dirtyRatio; }

    public int getDirtyBackgroundRatio() { return dirtyBackgroundRatio; }

    public long getDirtyExpireCentisecs() { return dirtyExpireCentisecs; }

    public long getDirtyWritebackCentisecs() { return dirtyWritebackCentisecs; }

    /** vm.dirty_ratio, a percentage of dirtyable memory. */
    public void setDirtyRatio(int percent) { dirtyRatio = percent; }

    /** vm.dirty_background_ratio, a percentage of dirtyable memory. */
    public void setDirtyBackgroundRatio(int percent) { dirtyBackgroundRatio = percent; }

    /** vm.dirty_expire_centisecs: how old dirty data must be for the periodic flush to write it. */
    public void setDirtyExpireCentisecs(long centisecs) { dirtyExpireCentisecs = centisecs; }

    /** vm.dirty_writeback_centisecs: the periodic flush's interval; 0 turns it off (dirty_writeback_centisecs_handler()). */
    public void setDirtyWritebackCentisecs(long centisecs) { dirtyWritebackCentisecs = centisecs; }

    /** domain_dirty_limits(): {background threshold, threshold} in pages; background at most half of it. */
    public long[] thresholds() {
        long avail = Math.max(0, dirtyable.getAsLong());
        long thresh = avail * dirtyRatio / 100;
        long bg = avail * dirtyBackgroundRatio / 100;
        if (bg >= thresh) bg = thresh / 2;
        return new long[] {bg, thresh};
    }

    /** Whether a writer must wait (balance_dirty_pages()): dirty and writeback pages above the threshold. */
    public boolean overLimit() {
        return cache.dirtyPages() + cache.writebackPages() > thresholds()[1];
    }

    /** Pages were dirtied: past the background threshold the flusher starts (wb_start_background_writeback()). */
    public void dirtied() {
        if (!periodic && dirtyWritebackCentisecs > 0) {
            periodic = true;
            env.scheduleIn(dirtyWritebackCentisecs * 10_000_000L, this::kupdate);
        }
        if (cache.dirtyPages() > thresholds()[0]) writeNext();
    }

    /** wakeup_flusher_threads(): write back everything dirty now (reclaim found dirty pages at the LRU's tail). */
    public void wakeAll() {
        flushAll = true;
        writeNext();
    }

    /** wb_check_old_data_flush(): every dirty_writeback_centisecs, write back what has expired. */
    private void kupdate() {
        if ((cache.oldestDirty() == null && cache.writebackPages() == 0) || dirtyWritebackCentisecs == 0) {
            periodic = false;
            return;
        }
        writeNext();
        env.scheduleIn(dirtyWritebackCentisecs * 10_000_000L, this::kupdate);
    }

    /** Starts the next write if one is due and none is in flight. */
    private void writeNext() {
        if (writing) return;
        FileFolio f = cache.oldestDirty();
        if (f == null) {
            flushAll = false;
            return;
        }
        boolean expired = env.now() - f.dirtiedAt >= dirtyExpireCentisecs * 10_000_000L;
        if (!flushAll && !expired && cache.dirtyPages() <= thresholds()[0]) return;
        writing = true;
        cache.startWriteback(f);
        long done = disk.write(env.now(), (long) f.pages * pageBytes);
        env.schedule(done, () -> {
            writing = false;
            cache.endWriteback(f);
            if (!overLimit()) while (!throttled.isEmpty()) throttled.wakeOne(env);
            cleaned.run();
            writeNext();
        });
    }
}
