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
 * <p>Woken for a higher order (a THP fault in defrag defer), it first reclaims compact_gap(order) pages
 * when the node has no free chunk of it, then balances for order 0; going to sleep it takes off the
 * watermark boost it saw and wakes kcompactd (kswapd_try_to_sleep(), balance_pgdat()). A boosted node
 * that is otherwise balanced gets boosted reclaim, which may neither swap nor write back.
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
    /** pgdat->kswapd_order, and the order of the run under way with what it still reclaims for it. */
    private int order, allocOrder;
    private long orderLeft;
    /** The boost seen when the run started (zone_boosts[]), and nr_boost_reclaim. */
    private long boostSeen, boostLeft;
    /** The run's first pass has read its order and boost. */
    private boolean started;

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
        started = false;
        m.env.schedule(m.env.now(), pass);
    }

    /** kswapd() as it runs after a wake-up: the order asked for since it last slept, and balance_pgdat()'s boost. */
    private void start() {
        started = true;
        allocOrder = order;
        order = 0;
        orderLeft = allocOrder > 0 && !balanced(allocOrder) ? 2L << allocOrder : 0;
        boostSeen = boostLeft = m.pages.zone(node).watermarkBoost();
    }

    /**
     * wakeup_kswapd() for an order: recorded for kswapd's next run; a sleeping kswapd wakes unless the
     * node is hopeless or balanced for the order and not boosted, when kcompactd is woken instead for a
     * request that does not compact directly.
     */
    void wakeup(int order, boolean directReclaim) {
        if (this.order < order) this.order = order;
        if (running) return;   // !waitqueue_active()
        if (failures >= MAX_RECLAIM_RETRIES || (balanced(order) && m.pages.zone(node).watermarkBoost() == 0)) {
            if (!directReclaim) m.alloc.wakeupKcompactd(node, order);
            return;
        }
        wake();
    }

    /** kswapd_is_running(). */
    boolean running() { return running; }

    /**
     * pgdat_balanced(): free pages (no CMA) above the high watermark, boost included, less the order's
     * pages, and for an order above 0 a free chunk of it on a list the request may take.
     */
    private boolean balanced(int order) {
        Zone z = m.pages.zone(node);
        if (order == 0) return missing() <= 0;
        if (!z.watermarkOk(order, z.high(), false, false)) return false;
        for (var t : new hugesim.mm.page.MigrateType[] {hugesim.mm.page.MigrateType.UNMOVABLE,
                hugesim.mm.page.MigrateType.MOVABLE, hugesim.mm.page.MigrateType.RECLAIMABLE}) {
            if (z.freeBlocks(t) > 0) return true;
        }
        return false;
    }

    /**
     * kswapd_try_to_sleep() after balance_pgdat(): the boost seen at the start comes off the zone, and
     * kcompactd is woken for the pageblock order when there was one, and for the order kswapd was woken
     * with once compact_gap(order) was reclaimed for it (balance_pgdat() returned order 0), or asked for since.
     */
    private void sleep() {
        running = false;
        sleptAt = m.env.now();
        if (boostSeen > 0) {
            m.pages.zone(node).clearWatermarkBoost(boostSeen);
            m.alloc.wakeupKcompactd(node, Integer.numberOfTrailingZeros(m.geometry.pageblockPages()));
        }
        m.alloc.wakeupKcompactd(node, Math.max(orderLeft == 0 ? allocOrder : 0, order));
        boostSeen = boostLeft = orderLeft = 0;
        allocOrder = order = 0;
    }

    /**
     * balance_pgdat() on a balanced node with a boost: nr_boost_reclaim pages without swap or writeback
     * (may_swap = 0 leaves the anonymous lists alone: the shrinkers only). Returns whether it goes on.
     */
    private boolean boostedPass() {
        long freed = reclaim.shrinkSlab();
        boostLeft -= Math.min(boostLeft, freed);
        if (freed == 0 || boostLeft == 0) return false;   // nothing reclaimed: the boosted reclaim ends
        m.env.schedule(m.env.now(), pass);
        return true;
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
        if (!started) start();
        long want = missing();
        if (want > 0) boostLeft = 0;   // an imbalanced node ignores the boost and reclaims as usual
        want = Math.max(want, orderLeft);   // sc.order until compact_gap(order) pages are reclaimed
        if (want <= 0) {
            if (boostLeft > 0 && boostedPass()) return;
            sleep();
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
        orderLeft = Math.max(0, orderLeft - b[0].pages() - freed);
        if (b[0].pages() == 0 && freed == 0) {
            if (inFlight > 0) return;
            if (++failures >= MAX_RECLAIM_RETRIES) {
                sleep();
                return;
            }
            m.env.scheduleIn(HZ_10, pass);   // reclaim_throttle(): nothing to reclaim yet, look again soon
            return;
        }
        failures = 0;
        b[0].close();
    }
}
