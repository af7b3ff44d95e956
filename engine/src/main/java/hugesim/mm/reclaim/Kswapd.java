package hugesim.mm.reclaim;

import hugesim.mm.VmStat;
import hugesim.mm.model.MemoryModel;
import hugesim.mm.page.Zone;

/**
 * One node's kswapd (mm/vmscan.c kswapd(), balance_pgdat(), kswapd_try_to_sleep()): woken when an
 * allocation finds the node's free pages below the low watermark, it reclaims until they are above
 * high, then sleeps. It runs on the event loop: a pass starts writes for what is missing less what is
 * already being written, and the next pass runs when they have completed, so the swap device's
 * bandwidth sets its pace. A pass that finds nothing to reclaim counts a failure and looks again after
 * HZ/10; after MAX_RECLAIM_RETRIES (16) the node is left to direct reclaim until that makes progress
 * (wakeup_kswapd()'s "hopeless node").
 *
 * <p>Simplification: it balances for order 0 only (no kcompactd) and without watermark boosting.
 */
final class Kswapd {
    static final int MAX_RECLAIM_RETRIES = 16;
    static final long HZ_10 = 100_000_000L;

    private final MemoryModel m;
    private final Reclaim reclaim;
    private final Vmscan vmscan;
    private final int node;
    private boolean running;
    private int failures;
    private long inFlight;
    private long sleptAt = Long.MIN_VALUE / 2;
    private final Runnable pass = this::balance;

    Kswapd(MemoryModel m, Reclaim reclaim, Vmscan vmscan, int node) {
        this.m = m;
        this.reclaim = reclaim;
        this.vmscan = vmscan;
        this.node = node;
    }

    /** wakeup_kswapd(): the allocator found the node's free pages below low. */
    void wake() {
        if (running || failures >= MAX_RECLAIM_RETRIES) return;
        // kswapd_try_to_sleep(): woken during its HZ/10 nap after balancing, the low mark was hit quickly
        if (m.env.now() - sleptAt < HZ_10) m.count(VmStat.kswapd_low_wmark_hit_quickly);
        running = true;
        m.env.schedule(m.env.now(), pass);
    }

    /** Direct reclaim made progress on this node: it is not hopeless any more. */
    void progress() {
        failures = 0;
    }

    /** Whether the node is short of memory: free pages not above high (pgdat_balanced() fails). */
    boolean unbalanced() { return missing() > 0; }

    /** pgdat_balanced(): free pages above high for an order-0 request without ALLOC_CMA (alloc_flags 0). */
    private long missing() {
        Zone z = m.pages.zone(node);
        return z.high() + 1 - z.usableFree(false);
    }

    private void balance() {
        long want = missing();
        if (want <= 0) {
            running = false;
            sleptAt = m.env.now();
            return;
        }
        want -= inFlight;
        if (want <= 0) return;   // enough is being written: their completion runs the next pass
        m.count(VmStat.pageoutrun);
        long freed = reclaim.shrinkSlab();
        WriteBatch[] b = new WriteBatch[1];
        b[0] = new WriteBatch(m.env, () -> {
            inFlight -= b[0].pages();
            balance();
        });
        vmscan.shrinkNode(node, want - freed, Vmscan.ScanControl.KSWAPD, b[0]);
        inFlight += b[0].pages();
        if (b[0].pages() == 0 && freed == 0 && vmscan.fileFreed == 0) {
            if (inFlight > 0) return;
            if (++failures >= MAX_RECLAIM_RETRIES) {
                running = false;
                sleptAt = m.env.now();
                return;
            }
            m.env.scheduleIn(HZ_10, pass);   // reclaim_throttle(): nothing to reclaim yet, look again soon
            return;
        }
        failures = 0;
        b[0].close();
    }
}
