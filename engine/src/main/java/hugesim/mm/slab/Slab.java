package hugesim.mm.slab;

import hugesim.mm.page.PageAllocator;
import hugesim.mm.page.PageRuns;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel's own allocations that workloads cause (mm/slub.c caches and the pages behind them), as whole
 * 4 KiB pages: unmovable ones (sockets, pipes, kmalloc: SUnreclaim) and reclaimable ones (dentries and
 * inodes, caches made with SLAB_RECLAIM_ACCOUNT: SReclaimable), which the shrinkers free under memory
 * pressure, oldest first (list_lru order, super_cache_scan()).
 *
 * <p>Simplification: a cache's objects fill its pages; a shrinker frees whole pages of the oldest
 * allocations, where the kernel frees objects and a slab page only when all of its objects are gone.
 */
public final class Slab {
    /** One allocation: its pages, its owner (for exit) and whether it is reclaimable. */
    private static final class Obj {
        final int pid;
        final boolean reclaimable;
        long[] runs;

        Obj(int pid, boolean reclaimable, long[] runs) {
            this.pid = pid;
            this.reclaimable = reclaimable;
            this.runs = runs;
        }
    }

    private final PageAllocator pages;
    private final Runnable memoryFreed;
    /** Live allocations by handle, oldest first. */
    private final LinkedHashMap<Long, Obj> objs = new LinkedHashMap<>();
    private long nextHandle = 1;
    private long reclaimable, unreclaimable;

    /** @param memoryFreed wakes what waits for memory, after pages were freed */
    public Slab(PageAllocator pages, Runnable memoryFreed) {
        this.pages = pages;
        this.memoryFreed = memoryFreed;
    }

    /** Records the pages {@code runs} an allocation of task {@code pid} took; returns its handle (above 0). */
    public long add(int pid, boolean reclaimable, long[] runs) {
        long h = nextHandle++;
        objs.put(h, new Obj(pid, reclaimable, runs));
        if (reclaimable) this.reclaimable += PageRuns.pages(runs);
        else unreclaimable += PageRuns.pages(runs);
        return h;
    }

    /** kfree() of a whole allocation; false when the handle names none (freed, shrunk away, never made). */
    public boolean free(long handle) {
        Obj o = objs.remove(handle);
        if (o == null) return false;
        release(o, o.runs);
        memoryFreed.run();
        return true;
    }

    /** Task {@code pid} exits: its unmovable allocations go with it; its reclaimable ones stay cached. */
    public void exit(int pid) {
        boolean freed = false;
        for (Iterator<Obj> it = objs.values().iterator(); it.hasNext(); ) {
            Obj o = it.next();
            if (o.pid != pid || o.reclaimable) continue;
            it.remove();
            release(o, o.runs);
            freed = true;
        }
        if (freed) memoryFreed.run();
    }

    /**
     * The shrinkers (shrink_slab()): up to {@code target} pages of reclaimable allocations, oldest first,
     * the last pages of an allocation before its first. Returns the pages freed.
     */
    public long shrink(long target) {
        long freed = 0;
        List<Long> gone = new ArrayList<>();
        for (Map.Entry<Long, Obj> e : objs.entrySet()) {
            if (freed >= target) break;
            Obj o = e.getValue();
            if (!o.reclaimable) continue;
            int have = PageRuns.pages(o.runs);
            int k = (int) Math.min(have, target - freed);
            release(o, PageRuns.last(o.runs, k, true));
            o.runs = PageRuns.last(o.runs, k, false);
            freed += k;
            if (k == have) gone.add(e.getKey());
        }
        for (Long h : gone) objs.remove(h);
        if (freed > 0) memoryFreed.run();
        return freed;
    }

    private void release(Obj o, long[] runs) {
        int n = PageRuns.pages(runs);
        if (o.reclaimable) reclaimable -= n;
        else unreclaimable -= n;
        pages.freeKernelRuns(runs);
    }

    /** Pages of reclaimable allocations (SReclaimable). */
    public long reclaimablePages() { return reclaimable; }

    /** Pages of unmovable allocations (SUnreclaim). */
    public long unreclaimablePages() { return unreclaimable; }
}
