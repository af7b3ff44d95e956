package hugesim.mm.migrate;

import hugesim.mm.VmStat;
import hugesim.mm.page.MigrateType;
import hugesim.mm.page.Zone;

/**
 * One node's background compaction thread (mm/compaction.c kcompactd(), kcompactd_do_work(),
 * wakeup_kcompactd(), proactive_compact_node()) on the simulation's clock. Woken for an order (kswapd
 * going to sleep, a THP fault that may not compact directly, boosted reclaim), it compacts the node until
 * a free chunk of that order exists; asleep, it looks at the node's fragmentation score every
 * HPAGE_FRAG_CHECK_INTERVAL_MSEC and compacts proactively from above the high mark down to the low one
 * (vm.compaction_proactiveness), waiting 64 times longer after a pass that did not lower the score.
 *
 * <p>Simplification: the pages move at once, then the thread is busy for the migrations' time at the
 * machine's migrate rate before its loop goes on; a wake-up meanwhile only records its order.
 */
public final class Kcompactd {
    /** HPAGE_FRAG_CHECK_INTERVAL_MSEC. */
    static final long FRAG_CHECK_INTERVAL = 500_000_000L;

    private final Compaction c;
    private final int node;
    /** pgdat->kcompactd_max_order. */
    private int maxOrder;
    /** pgdat->proactive_compact_trigger. */
    private boolean trigger;
    /** In its loop's work rather than in wait_event_freezable_timeout(). */
    private boolean busy;
    private long timeout = FRAG_CHECK_INTERVAL;
    /** Counts sleeps: a sleep's timeout fires only if no wake-up ended that sleep first. */
    private long sleeps;

    Kcompactd(Compaction c, int node) {
        this.c = c;
        this.node = node;
    }

    void start() { sleep(); }

    /** wakeup_kcompactd(): order 0 never wakes it; asleep, it wakes only when the node is suitable. */
    void wakeup(int order) {
        if (order == 0) return;
        if (maxOrder < order) maxOrder = order;
        if (busy) return;   // !wq_has_sleeper(): its next loop finds the request
        if (!nodeSuitable()) return;
        wake();
    }

    /** compaction_proactiveness_sysctl_handler(): a proactive check now. */
    void trigger() {
        if (trigger) return;
        trigger = true;
        if (!busy) wake();
    }

    /** Whether the thread is in its work (or its migrations' time) rather than asleep. */
    public boolean busy() { return busy; }

    private void wake() {
        sleeps++;
        busy = true;
        c.m.env.schedule(c.m.env.now(), this::loop);
    }

    /** wait_event_freezable_timeout() with the timeout kcompactd() chose; none when proactiveness is 0. */
    private void sleep() {
        busy = false;
        // the wait returns at once when work is already requested (kcompactd_work_requested())
        if (maxOrder > 0 || trigger) {
            wake();
            return;
        }
        if (c.proactiveness() == 0) return;   // MAX_SCHEDULE_TIMEOUT
        long mine = ++sleeps;
        c.m.env.scheduleIn(timeout, () -> {
            if (sleeps != mine) return;   // woken before the timeout
            busy = true;
            loop();
        });
    }

    /** One turn of kcompactd()'s loop, after its wait returned. */
    private void loop() {
        long nanos = 0;
        timeout = FRAG_CHECK_INTERVAL;
        if (maxOrder > 0 && !trigger) {
            nanos = doWork();
        } else {
            if (c.shouldProactiveCompactNode(node)) {
                int prev = c.fragmentationScoreNode(node);
                nanos = proactiveCompactNode();
                // no progress: the next check waits default_timeout << COMPACT_MAX_DEFER_SHIFT
                if (c.fragmentationScoreNode(node) >= prev) timeout = FRAG_CHECK_INTERVAL << Compaction.MAX_DEFER_SHIFT;
            }
            trigger = false;
        }
        c.m.env.scheduleIn(nanos, this::sleep);
    }

    /** kcompactd_do_work(): compaction_deferred(), the min watermark at the order, compaction_suitable(), then compact_zone(). */
    private long doWork() {
        int order = maxOrder;
        c.m.count(VmStat.compact_daemon_wake);
        Zone z = c.m.pages.zone(node);
        long nanos = 0;
        if (!c.deferred(node, order) && !watermarkOk(z, order) && c.suitable(z, order)) {
            Compaction.Pass p = c.compactZone(z, Compaction.Until.FREE_BLOCK, false);
            // MIGRATE_SYNC_LIGHT: it defers like synchronous direct compaction
            if (p.finished()) c.resetDefer(node, order, false);
            else c.defer(node, order);
            nanos = counted(p);
        }
        if (maxOrder <= order) maxOrder = 0;
        return nanos;
    }

    /** proactive_compact_node(): compact_zone() with the fragmentation score's low mark as its end. */
    private long proactiveCompactNode() {
        return counted(c.compactZone(c.m.pages.zone(node), Compaction.Until.SCORE_LOW, false));
    }

    /** KCOMPACTD_MIGRATE_SCANNED, KCOMPACTD_FREE_SCANNED; returns the pass's migration time. */
    private long counted(Compaction.Pass p) {
        c.m.count(VmStat.compact_daemon_migrate_scanned, p.migrateScanned());
        c.m.count(VmStat.compact_daemon_free_scanned, p.freeScanned());
        return c.rate.nanosFor(p.moved() * c.m.geometry.pageSize());
    }

    /** kcompactd_node_suitable(): the allocation cannot succeed yet at min, and compaction_suitable() passes. */
    private boolean nodeSuitable() {
        Zone z = c.m.pages.zone(node);
        return !watermarkOk(z, maxOrder) && c.suitable(z, maxOrder);
    }

    /**
     * zone_watermark_ok(zone, order, min_wmark_pages(zone), idx, 0): free pages beyond min without CMA, and
     * a free chunk of the order on a list such a request may take (no CMA, no MIGRATE_RESERVED_THP).
     */
    static boolean watermarkOk(Zone z, int order) {
        if (!z.watermarkOk(order, z.min(), false, false)) return false;
        int blockOrder = Integer.numberOfTrailingZeros(z.blockPages);
        for (MigrateType t : new MigrateType[] {MigrateType.UNMOVABLE, MigrateType.MOVABLE, MigrateType.RECLAIMABLE}) {
            if (z.freeBlocks(t) > 0) return true;
            for (int o = order; o < blockOrder; o++) if (z.nrFree(t, o) > 0) return true;
        }
        return false;
    }
}
