package hugesim.mm.migrate;

import hugesim.mm.VmStat;
import hugesim.mm.model.MemoryModel;
import hugesim.mm.page.DirectCompaction;
import hugesim.mm.page.MigrateType;
import hugesim.mm.page.PageRuns;
import hugesim.mm.page.Zone;
import hugesim.mm.reclaim.Reclaim;
import hugesim.units.Bandwidth;

/**
 * Memory compaction (mm/compaction.c compact_zone()): the migrate scanner walks a zone's movable blocks
 * from its start and migrates the pages in use to free pages that the free scanner takes from the zone's
 * end, until the scanners meet or __compact_finished() says the work is done: for a request, a free block
 * exists; for proactive compaction, the zone's fragmentation score is down to the low mark. Direct
 * compaction checks suitability first (watermark plus compact_gap(), then fragmentation_index() against
 * vm.extfrag_threshold) and is deferred after failures (defer_compaction(), up to 1 << 6 attempts). The
 * background daemon of each node is a {@link Kcompactd}.
 *
 * <p>Simplification: one pass per request from the zone's start (no cached scanner positions, no async
 * and sync modes: a direct compaction's pass skips a block holding a kernel page, as the asynchronous pass does, and
 * kcompactd's and vm.compact_memory's migrate around it); only MIGRATE_MOVABLE blocks are sources and targets, never CMA or MIGRATE_RESERVED_THP;
 * the pages move at once and the migrations take time at the machine's migrate rate, scanning none.
 */
public final class Compaction implements DirectCompaction {
    /** COMPACT_MAX_DEFER_SHIFT. */
    static final int MAX_DEFER_SHIFT = 6;

    final MemoryModel m;
    private final Migrate migrate;
    private final Reclaim reclaim;
    final Bandwidth rate;
    private final int[] considered, deferShift, orderFailed;
    private final Kcompactd[] kcompactd;
    /** vm.extfrag_threshold. */
    private int extfragThreshold = 500;
    /** vm.compaction_proactiveness. */
    private int proactiveness = 20;
    /** What the last vm.compact_memory write took, for its writer to wait. */
    private long writerNanos;

    public Compaction(MemoryModel m, Migrate migrate, Reclaim reclaim, Bandwidth rate) {
        this.m = m;
        this.migrate = migrate;
        this.reclaim = reclaim;
        this.rate = rate;
        int zones = m.pages.zones().size();
        this.considered = new int[zones];
        this.deferShift = new int[zones];
        this.orderFailed = new int[zones];
        java.util.Arrays.fill(orderFailed, Integer.MAX_VALUE);
        this.kcompactd = new Kcompactd[zones];
        for (int n = 0; n < zones; n++) kcompactd[n] = new Kcompactd(this, n);
    }

    /** kcompactd_init(), a subsys_initcall: one daemon per node, asleep until woken or its first check. */
    public void kcompactdRun() {
        for (Kcompactd d : kcompactd) d.start();
    }

    public int extfragThreshold() { return extfragThreshold; }

    public void setExtfragThreshold(int t) { extfragThreshold = t; }

    public int proactiveness() { return proactiveness; }

    /**
     * compaction_proactiveness_sysctl_handler(): a non-zero value wakes every node's kcompactd for a
     * proactive check at once (proactive_compact_trigger).
     */
    public void setProactiveness(int p) {
        proactiveness = p;
        if (p != 0) for (Kcompactd d : kcompactd) d.trigger();
    }

    /** The daemon of node {@code nid}. */
    public Kcompactd kcompactd(int nid) { return kcompactd[nid]; }

    @Override
    public void wakeupKcompactd(int nid, int order) {
        kcompactd[nid].wakeup(order);
    }

    @Override
    public Result tryToCompactPages(int nid, int order, boolean thisNode) {
        int zones = m.pages.zones().size();
        boolean ran = false;
        long nanos = 0;
        for (int k = 0; k < zones; k++) {
            int node = (nid + k) % zones;
            if (thisNode && node != nid) break;
            Zone z = m.pages.zone(node);
            if (deferred(node, order)) {
                ran = true;   // COMPACT_DEFERRED is not COMPACT_SKIPPED: it counts a stall
                continue;
            }
            if (!suitable(z, order)) continue;
            ran = true;
            Pass p = compactZone(z, Until.FREE_BLOCK, true);
            nanos += rate.nanosFor(p.moved * m.geometry.pageSize());
            if (p.finished) return new Result(true, true, nanos);
            defer(node, order);
        }
        return ran ? new Result(true, false, nanos) : Result.SKIPPED;
    }

    @Override
    public void allocated(int nid, int order, boolean success) {
        m.count(VmStat.compact_stall);
        m.count(success ? VmStat.compact_success : VmStat.compact_fail);
        if (success) resetDefer(nid, order, true);
    }

    /**
     * vm.compact_memory: every zone compacted fully (compact_nodes() → compact_node(), MIGRATE_SYNC),
     * whatever its fragmentation. The writer waits for the migrations ({@link #takeWriterNanos()}).
     * Returns how many pages moved.
     */
    public long compactMemory() {
        long moved = 0;
        for (Zone z : m.pages.zones()) moved += compactZone(z, Until.SCANNERS_MEET, false).moved;
        writerNanos += rate.nanosFor(moved * m.geometry.pageSize());
        return moved;
    }

    /** The time the last vm.compact_memory writes took, reset: what the writing task waits. */
    public long takeWriterNanos() {
        long n = writerNanos;
        writerNanos = 0;
        return n;
    }

    /** What a pass of compact_zone() ends with (__compact_finished()). */
    enum Until {
        /** A request's order: a free block exists (COMPACT_SUCCESS). */
        FREE_BLOCK,
        /** proactive_compact_node(): the zone's fragmentation score at or below the low mark. */
        SCORE_LOW,
        /** vm.compact_memory (order -1): only the scanners meeting end it. */
        SCANNERS_MEET
    }

    /**
     * One pass's outcome: pages migrated, pages each scanner looked at, and whether it finished its work
     * (COMPACT_SUCCESS) rather than the scanners meeting (COMPACT_COMPLETE) or kswapd stopping it.
     */
    record Pass(long moved, long migrateScanned, long freeScanned, boolean finished) {}

    /**
     * One pass of the two scanners over {@code z} until {@code until}; {@code skipOnFailure} gives a block
     * holding a kernel page up (direct compaction's MIGRATE_ASYNC pass).
     */
    Pass compactZone(Zone z, Until until, boolean skipOnFailure) {
        long moved = 0, scanned = 0;
        FreeScanner free = new FreeScanner(z);
        boolean finished = false;
        for (int b = z.nextBroken(MigrateType.MOVABLE, 0); b >= 0 && b < free.cursor; b = z.nextBroken(MigrateType.MOVABLE, b + 1)) {
            if (finished = finished(z, until)) break;
            if (until == Until.SCORE_LOW && reclaim.kswapdRunning(z.node)) break;   // COMPACT_PARTIAL_SKIPPED
            scanned += z.blockPages;
            // isolate_migratepages_block(): direct compaction (MIGRATE_ASYNC, skip_on_failure) gives a block
            // up at its first page it cannot isolate: a kernel page keeps the block from ever being freed
            if (skipOnFailure && z.kernelPagesIn(b) > 0) continue;
            free.migrateScanner = b;
            long k = migrate.migrateBlock(z.node, b, free);
            if (k < 0) break;   // the scanners met
            m.count(VmStat.compact_isolated, 2 * k);
            m.count(VmStat.pgmigrate_success, k);
            moved += k;
        }
        if (!finished) finished = finished(z, until);
        // compact_zone() counts what its scanners looked at when it returns
        m.count(VmStat.compact_migrate_scanned, scanned);
        m.count(VmStat.compact_free_scanned, free.scanned);
        return new Pass(moved, scanned, free.scanned, finished);
    }

    private boolean finished(Zone z, Until until) {
        return switch (until) {
            case FREE_BLOCK -> hasFreeBlock(z);
            case SCORE_LOW -> fragmentationScoreZone(z) <= fragmentationScoreWmark(true);
            case SCANNERS_MEET -> false;
        };
    }

    /** isolate_freepages(): free pages of movable blocks from the zone's end down to the migrate scanner. */
    private final class FreeScanner implements Migrate.Targets {
        private final Zone z;
        int cursor;
        int migrateScanner;
        long scanned;

        FreeScanner(Zone z) {
            this.z = z;
            this.cursor = z.nrBlocks;
        }

        @Override
        public long[] take(long n) {
            PageRuns.Builder got = new PageRuns.Builder();
            int[] off = {0};
            Zone.Runs out = (pfn, len) -> { got.add(z.node, pfn, off[0], len); off[0] += len; };
            long left = n;
            for (int b = z.prevBroken(MigrateType.MOVABLE, cursor); left > 0; b = z.prevBroken(MigrateType.MOVABLE, b - 1)) {
                if (b <= migrateScanner) {
                    // the scanners met: what was taken goes back
                    m.pages.freeRuns(got.build());
                    cursor = migrateScanner;
                    return null;
                }
                scanned += z.blockPages;
                left -= z.takeFreeInBlock(b, (int) Math.min(left, Integer.MAX_VALUE), out);
                cursor = b;
            }
            return got.build();
        }
    }

    static boolean hasFreeBlock(Zone z) {
        return z.freeBlocks(MigrateType.MOVABLE) > 0;
    }

    /**
     * compaction_suitable(): the zone must keep its low watermark (a costly order) plus compact_gap(order)
     * (twice the request) free after the migration targets are taken, and for a costly order the failure
     * must be one of fragmentation, not of memory: fragmentation_index() above vm.extfrag_threshold.
     */
    boolean suitable(Zone z, int order) {
        // a costly order checks the low watermark (__compaction_suitable(), ALLOC_CMA)
        if (z.usableFree(true) < z.low() + (2L << order)) return false;
        int fragindex = fragmentationIndex(z, order);
        return !(fragindex >= 0 && fragindex <= extfragThreshold);
    }

    /**
     * __fragmentation_index(): 0 when an allocation of the order would fail for lack of memory, towards
     * 1000 when it fails for fragmentation; -1000 when a free chunk of the order exists.
     */
    static int fragmentationIndex(Zone z, int order) {
        long[] info = contigPageInfo(z, order);
        long freePages = info[0], freeBlocksTotal = info[1], suitable = info[2];
        if (freePages == 0) return 0;
        if (suitable > 0) return -1000;
        long requested = 1L << order;
        return (int) (1000 - (1000 + freePages * 1000 / requested) / freeBlocksTotal);
    }

    /**
     * fill_contig_page_info(): free pages, free chunks and chunks able to serve {@code order}, over every
     * migratetype's free lists as zone->free_area counts them.
     */
    static long[] contigPageInfo(Zone z, int order) {
        long freePages = 0, freeBlocksTotal = 0, suitable = 0;
        int blockOrder = Integer.numberOfTrailingZeros(z.blockPages);
        for (MigrateType t : MigrateType.VALUES) {
            // a wholly free block is a free chunk of the block order (two aligned ones may form one of the order above)
            long blocks = z.freeBlocks(t);
            freePages += blocks * z.blockPages;
            freeBlocksTotal += blocks;
            if (order <= blockOrder) suitable += blocks << (blockOrder - order);
            for (int o = 0; o < blockOrder; o++) {
                long n = z.nrFree(t, o);
                freePages += n << o;
                freeBlocksTotal += n;
                if (o >= order) suitable += n << (o - order);
            }
        }
        return new long[] {freePages, freeBlocksTotal, suitable};
    }

    /**
     * fragmentation_score_zone(): extfrag_for_order() at COMPACTION_HPAGE_ORDER (the PMD order), the share
     * of free memory in chunks too small for a THP, 0 to 100.
     */
    static int fragmentationScoreZone(Zone z) {
        int order = Integer.numberOfTrailingZeros(z.blockPages);
        long[] info = contigPageInfo(z, order);
        if (info[0] == 0) return 0;
        return (int) ((info[0] - (info[2] << order)) * 100 / info[0]);
    }

    /**
     * fragmentation_score_node(): each zone's score weighted by its present pages over the node's plus one
     * (fragmentation_score_zone_weighted()); the model's node has one zone.
     */
    int fragmentationScoreNode(int nid) {
        Zone z = m.pages.zone(nid);
        long present = (long) z.nrBlocks * z.blockPages;
        return (int) (present * fragmentationScoreZone(z) / (present + 1));
    }

    /** fragmentation_score_wmark(): low = max(100 − proactiveness, 5), high = min(low + 10, 100). */
    int fragmentationScoreWmark(boolean low) {
        int wmarkLow = Math.max(100 - proactiveness, 5);
        return low ? wmarkLow : Math.min(wmarkLow + 10, 100);
    }

    /** should_proactive_compact_node(): proactiveness on, kswapd not running, the score above the high mark. */
    boolean shouldProactiveCompactNode(int nid) {
        if (proactiveness == 0 || reclaim.kswapdRunning(nid)) return false;
        return fragmentationScoreNode(nid) > fragmentationScoreWmark(false);
    }

    /** compaction_deferred(). */
    boolean deferred(int node, int order) {
        if (order < orderFailed[node]) return false;
        if (++considered[node] >= (1 << deferShift[node])) {
            considered[node] = 1 << deferShift[node];
            return false;
        }
        return true;
    }

    /** defer_compaction(). */
    void defer(int node, int order) {
        considered[node] = 0;
        if (++deferShift[node] > MAX_DEFER_SHIFT) deferShift[node] = MAX_DEFER_SHIFT;
        if (order < orderFailed[node]) orderFailed[node] = order;
    }

    /** compaction_defer_reset(). */
    void resetDefer(int node, int order, boolean allocSuccess) {
        if (allocSuccess) {
            considered[node] = 0;
            deferShift[node] = 0;
        }
        if (order >= orderFailed[node]) orderFailed[node] = order + 1;
    }
}
