package hugesim.mm.memcg;

import hugesim.mm.Fault;
import hugesim.sim.Environment;

/**
 * Charging memory to a cgroup (mm/memcontrol.c try_charge_memcg(), mem_cgroup_handle_over_high(),
 * memory_max_write(), memory_high_write(), memory_reclaim()) for every kind of memory a fault, the page
 * cache or a later design charges: the caller asks before it commits pages, and the counters move when
 * it commits them ({@link MemCgroup}).
 *
 * <p>Simplifications: a charge that reclaimed and has to wait for the writes it started returns
 * {@link Fault#WAIT} and is asked again when they complete, rather than looping in place; the model's
 * HZ is 250 (Debian's CONFIG_HZ).
 */
public final class MemcgCharge {
    /** MAX_RECLAIM_RETRIES. */
    static final int MAX_RECLAIM_RETRIES = 16;
    /** SWAP_CLUSTER_MAX: the least a reclaim asks for. */
    static final long SWAP_CLUSTER_MAX = 32;
    static final long HZ = 250, JIFFY_NANOS = 1_000_000_000L / HZ;
    /** MEMCG_DELAY_PRECISION_SHIFT, MEMCG_DELAY_SCALING_SHIFT, MEMCG_CHARGE_BATCH, MEMCG_MAX_HIGH_DELAY_JIFFIES. */
    static final int PRECISION_SHIFT = 20, SCALING_SHIFT = 14;
    static final long CHARGE_BATCH = 64, MAX_HIGH_DELAY_JIFFIES = 2 * HZ;

    private final Environment env;
    private final MemcgReclaimer reclaim;
    /**
     * The cgroup the last charge left over memory.high, the pages it charged (memcg_nr_pages_over_high), and
     * whether they were one large folio (charged as one batch) rather than base pages (MEMCG_CHARGE_BATCH at a time).
     */
    private MemCgroup overHigh;
    private long overHighPages;
    private boolean overHighLarge;

    public MemcgCharge(Environment env, MemcgReclaimer reclaim) {
        this.env = env;
        this.reclaim = reclaim;
    }

    /**
     * try_charge_memcg() for {@code nrPages} pages to {@code memcg} (null: the root, never limited).
     * Within memory.max: {@link Fault#DONE}, and the caller commits the pages. Over it: a charge that may
     * not block fails at once ({@link Fault#OOM}); else memory.events max, and reclaim of the cgroup's own
     * pages, charging again at once when that freed enough; when it only started writes, {@link Fault#WAIT}
     * ({@code retry} runs when they are done);
     * when only writeback is left, wait HZ/10 for it (reclaim_throttle()). With nothing to reclaim, the
     * charge of a {@code large} folio (order above PAGE_ALLOC_COSTLY_ORDER: a THP) fails (mem_cgroup_oom()
     * skips those, the caller falls back); a charge of base pages calls the cgroup's OOM killer and charges
     * again: {@link Fault#KILLED} when the charging task {@code pid} was the victim, {@link Fault#OOM} when
     * no process could be killed. (The model charges a window's 4 KiB pages together; each is order 0.)
     */
    public int tryCharge(MemCgroup memcg, long nrPages, boolean large, boolean mayReclaim, int pid, Runnable retry) {
        if (memcg == null) return Fault.DONE;
        while (true) {
            if (memcg.current() + nrPages <= memcg.max) {
                if (memcg.current() + nrPages > memcg.high) {
                    // schedule reclaim on return to user space (set_notify_resume())
                    overHigh = memcg;
                    overHighPages += nrPages;
                    overHighLarge |= large;
                }
                return Fault.DONE;
            }
            if (!mayReclaim) return Fault.OOM;   // !gfpflags_allow_blocking(): nomem, no event
            memcg.eventMax();
            boolean[] charged = {false};
            Runnable then = () -> { if (!charged[0]) retry.run(); };
            if (reclaim.tryToFreeMemCgroupPages(memcg, Math.max(nrPages, SWAP_CLUSTER_MAX), true, then) > 0) {
                // mem_cgroup_margin() >= nr_pages: what reclaim freed at once (the swap cache, clean page
                // cache) makes room, and the charge is tried again now; else it waits for the writes
                if (memcg.margin() < nrPages) return Fault.WAIT;
                charged[0] = true;
                continue;
            }
            if (reclaim.writebackInFlight(memcg)) {
                env.scheduleIn(JIFFY_NANOS * HZ / 10, retry);
                return Fault.WAIT;
            }
            if (large) return Fault.OOM;
            memcg.eventOom();
            int victim = reclaim.outOfMemory(memcg);
            if (victim < 0) return Fault.OOM;
            if (victim == pid) return Fault.KILLED;
        }
    }

    /** A new fault starts: what an earlier one left over memory.high and did not return to user space with is dropped. */
    public void forgetOverHigh() {
        overHigh = null;
        overHighPages = 0;
        overHighLarge = false;
    }

    /**
     * mem_cgroup_handle_over_high() on each return to user space a charge left the cgroup over memory.high.
     * Base pages are charged MEMCG_CHARGE_BATCH at a time (the per-CPU stock), so a window's 4 KiB pages make
     * one return per batch whose charge found usage over high; a THP is one charge. Each return reclaims its
     * batch (reclaim_high(): memory.events high); while the penalty calculate_high_delay() gives is worth a sleep
     * (over HZ/100) and reclaim finds nothing, it tries MAX_RECLAIM_RETRIES more rounds (each an event), then
     * sleeps the penalty, at most 2 s. Returns {@link Fault#DONE} when nothing is owed, else {@link Fault#WAIT}
     * with {@code resume} run after the last sleep. Simplification: a return whose reclaim started writes waits
     * for them and sleeps what is then owed, where the kernel reclaims again while reclaim makes progress.
     */
    public int handleOverHigh(Runnable resume) {
        MemCgroup memcg = overHigh;
        long nrPages = overHighPages;
        long step = overHighLarge ? nrPages : CHARGE_BATCH;
        forgetOverHigh();
        if (memcg == null) return Fault.DONE;
        return returnToUser(memcg, nrPages, step, 0, resume);
    }

    /**
     * The returns after the batches of {@code step} pages from {@code done} on; the model charged all
     * {@code nrPages} at once, so the batches still to come are taken off the usage each return sees.
     */
    private int returnToUser(MemCgroup memcg, long nrPages, long step, long done, Runnable resume) {
        while (done < nrPages) {
            long pages = Math.min(step, nrPages - done);
            done += pages;
            long later = nrPages - done;
            if (memcg.current() - later <= memcg.high) continue;   // reclaim_high() skips a cgroup within high
            memcg.eventHigh();
            long d = done;
            Runnable next = () -> { if (returnToUser(memcg, nrPages, step, d, resume) == Fault.DONE) resume.run(); };
            Runnable sleep = () -> env.scheduleIn(penaltyNanos(memcg.current() - later, memcg.high, pages), next);
            if (reclaim.tryToFreeMemCgroupPages(memcg, Math.max(pages, SWAP_CLUSTER_MAX), true, sleep) > 0) return Fault.WAIT;
            long nanos = penaltyNanos(memcg.current() - later, memcg.high, pages);
            if (nanos == 0) continue;
            // nothing to reclaim: the retries, each a reclaim_high() that counts its event, then the sleep
            for (int k = 0; k < MAX_RECLAIM_RETRIES; k++) memcg.eventHigh();
            env.scheduleIn(nanos, next);
            return Fault.WAIT;
        }
        return Fault.DONE;
    }

    /** The sleep owed: calculate_high_delay() clamped to MEMCG_MAX_HIGH_DELAY_JIFFIES, none at HZ/100 or less. */
    private static long penaltyNanos(long usage, long high, long nrPages) {
        long jiffies = Math.min(highDelay(usage, high, nrPages), MAX_HIGH_DELAY_JIFFIES);
        return jiffies <= HZ / 100 ? 0 : jiffies * JIFFY_NANOS;
    }

    /** calculate_overage() and calculate_high_delay(): the jiffies owed for {@code nrPages} charged at {@code usage} over {@code high}. */
    static long highDelay(long usage, long high, long nrPages) {
        if (usage <= high) return 0;
        long h = Math.max(high, 1);
        long overage = ((usage - h) << PRECISION_SHIFT) / h;
        long penalty = overage * overage * HZ;
        penalty >>= PRECISION_SHIFT;
        penalty >>= SCALING_SHIFT;
        return penalty * nrPages / CHARGE_BATCH;
    }

    /**
     * memory_max_write(): the new limit holds at once; while usage is over it the writer reclaims (up to
     * MAX_RECLAIM_RETRIES rounds without progress), then calls the cgroup's OOM killer (memory.events
     * oom) until usage fits or nobody is left to kill. {@code done} runs when the write returns.
     */
    public void writeMax(MemCgroup memcg, long pages, Runnable done) {
        memcg.max = pages;
        shrinkTo(memcg, () -> memcg.max, MAX_RECLAIM_RETRIES, true, done);
    }

    /**
     * memory_high_write(): the new limit holds at once; the writer reclaims down to it, giving up after
     * MAX_RECLAIM_RETRIES rounds without progress (no OOM kill).
     */
    public void writeHigh(MemCgroup memcg, long pages, Runnable done) {
        memcg.high = pages;
        shrinkTo(memcg, () -> memcg.high, MAX_RECLAIM_RETRIES, false, done);
    }

    public void writeLow(MemCgroup memcg, long pages) { memcg.low = pages; }

    public void writeSwapMax(MemCgroup memcg, long pages) { memcg.swapMax = pages; }

    private void shrinkTo(MemCgroup memcg, java.util.function.LongSupplier limit, int retries, boolean oom, Runnable done) {
        if (memcg.current() <= limit.getAsLong()) {
            done.run();
            return;
        }
        long over = memcg.current() - limit.getAsLong();
        Runnable again = () -> shrinkTo(memcg, limit, retries, oom, done);
        if (reclaim.tryToFreeMemCgroupPages(memcg, over, true, again) > 0) return;
        if (retries > 0) {
            if (reclaim.writebackInFlight(memcg)) env.scheduleIn(JIFFY_NANOS * HZ / 10, () -> shrinkTo(memcg, limit, retries - 1, oom, done));
            else shrinkTo(memcg, limit, 0, oom, done);   // the reclaim's own rounds were the retries
            return;
        }
        if (!oom) {
            done.run();
            return;
        }
        memcg.eventOom();
        if (reclaim.outOfMemory(memcg) < 0) {
            done.run();
            return;
        }
        shrinkTo(memcg, limit, MAX_RECLAIM_RETRIES, true, done);
    }

    /**
     * memory_reclaim(): a write of a size to memory.reclaim reclaims that much of the cgroup, in rounds
     * asking for what is still missing, giving up after MAX_RECLAIM_RETRIES rounds that found nothing.
     * {@code done} receives 0, or -EAGAIN when less was reclaimed.
     */
    public void reclaim(MemCgroup memcg, long pages, java.util.function.IntConsumer done) {
        reclaimRound(memcg, pages, 0, MAX_RECLAIM_RETRIES, done);
    }

    private void reclaimRound(MemCgroup memcg, long want, long got, int retries, java.util.function.IntConsumer done) {
        if (got >= want) {
            done.accept(0);
            return;
        }
        long[] started = new long[1];
        started[0] = reclaim.tryToFreeMemCgroupPages(memcg, want - got, true, () -> reclaimRound(memcg, want, got + started[0], retries, done));
        if (started[0] > 0) return;
        if (retries > 0 && reclaim.writebackInFlight(memcg)) {
            env.scheduleIn(JIFFY_NANOS * HZ / 10, () -> reclaimRound(memcg, want, got, retries - 1, done));
            return;
        }
        done.accept(-hugesim.uapi.Errno.EAGAIN);
    }
}
