package hugesim.mm.migrate;

import hugesim.mm.VmStat;
import hugesim.mm.model.MemoryModel;
import hugesim.mm.page.DirectCompaction;
import hugesim.mm.page.MigrateType;
import hugesim.mm.page.PageRuns;
import hugesim.mm.page.Zone;
import hugesim.units.Bandwidth;

/**
 * Memory compaction (mm/compaction.c compact_zone()): the migrate scanner walks a zone's movable blocks
 * from its start and migrates the pages in use to free pages that the free scanner takes from the zone's
 * end, until the scanners meet or, for a request, a free block exists (__compact_finished()). Direct
 * compaction checks suitability first (watermark plus compact_gap(), then fragmentation_index() against
 * vm.extfrag_threshold) and is deferred after failures (defer_compaction(), up to 1 << 6 attempts).
 *
 * <p>Simplification: one pass per request from the zone's start (no cached scanner positions, no async
 * and sync modes: a request's pass skips a block holding a kernel page, as the asynchronous pass does, and
 * vm.compact_memory's migrates around it); only MIGRATE_MOVABLE blocks are sources and targets, never CMA or MIGRATE_RESERVED_THP;
 * the migrations take time at the machine's migrate rate, scanning none.
 */
public final class Compaction implements DirectCompaction {
    /** COMPACT_MAX_DEFER_SHIFT. */
    private static final int MAX_DEFER_SHIFT = 6;

    private final MemoryModel m;
    private final Migrate migrate;
    private final Bandwidth rate;
    private final int[] considered, deferShift, orderFailed;
    /** vm.extfrag_threshold. */
    private int extfragThreshold = 500;

    public Compaction(MemoryModel m, Migrate migrate, Bandwidth rate) {
        this.m = m;
        this.migrate = migrate;
        this.rate = rate;
        int zones = m.pages.zones().size();
        this.considered = new int[zones];
        this.deferShift = new int[zones];
        this.orderFailed = new int[zones];
        java.util.Arrays.fill(orderFailed, Integer.MAX_VALUE);
    }

    public int extfragThreshold() { return extfragThreshold; }

    public void setExtfragThreshold(int t) { extfragThreshold = t; }

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
            long moved = compactZone(z, true);
            nanos += rate.nanosFor(moved * m.geometry.pageSize());
            if (hasFreeBlock(z)) return new Result(true, true, nanos);
            defer(node, order);
        }
        return ran ? new Result(true, false, nanos) : Result.SKIPPED;
    }

    @Override
    public void allocated(int nid, int order, boolean success) {
        m.count(VmStat.compact_stall);
        m.count(success ? VmStat.compact_success : VmStat.compact_fail);
        if (success) {
            // compaction_defer_reset(zone, order, true)
            considered[nid] = 0;
            deferShift[nid] = 0;
            if (order >= orderFailed[nid]) orderFailed[nid] = order + 1;
        }
    }

    /** vm.compact_memory: every zone compacted fully (compact_node()), whatever its fragmentation. */
    public long compactMemory() {
        long moved = 0;
        for (Zone z : m.pages.zones()) moved += compactZone(z, false);
        return moved;
    }

    /**
     * One pass of the two scanners over {@code z}; with {@code forRequest}, it stops as soon as a free block
     * exists. Returns how many pages were migrated.
     */
    private long compactZone(Zone z, boolean forRequest) {
        long moved = 0;
        FreeScanner free = new FreeScanner(z);
        for (int b = z.nextBroken(MigrateType.MOVABLE, 0); b >= 0 && b < free.cursor; b = z.nextBroken(MigrateType.MOVABLE, b + 1)) {
            if (forRequest && hasFreeBlock(z)) break;
            m.count(VmStat.compact_migrate_scanned, z.blockPages);
            // isolate_migratepages_block(): direct compaction (MIGRATE_ASYNC, skip_on_failure) gives a block
            // up at its first page it cannot isolate: a kernel page keeps the block from ever being freed
            if (forRequest && z.kernelPagesIn(b) > 0) continue;
            free.migrateScanner = b;
            long k = migrate.migrateBlock(z.node, b, free);
            if (k < 0) break;   // the scanners met
            m.count(VmStat.compact_isolated, 2 * k);
            m.count(VmStat.pgmigrate_success, k);
            moved += k;
        }
        return moved;
    }

    /** isolate_freepages(): free pages of movable blocks from the zone's end down to the migrate scanner. */
    private final class FreeScanner implements Migrate.Targets {
        private final Zone z;
        int cursor;
        int migrateScanner;

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
                m.count(VmStat.compact_free_scanned, z.blockPages);
                left -= z.takeFreeInBlock(b, (int) Math.min(left, Integer.MAX_VALUE), out);
                cursor = b;
            }
            return got.build();
        }
    }

    private static boolean hasFreeBlock(Zone z) {
        return z.freeBlocks(MigrateType.MOVABLE) > 0;
    }

    /**
     * compaction_suitable(): the zone must keep its min watermark plus compact_gap(order) (twice the
     * request) free after the migration targets are taken, and for a costly order the failure must be one
     * of fragmentation, not of memory: fragmentation_index() above vm.extfrag_threshold.
     */
    private boolean suitable(Zone z, int order) {
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
        long freePages = 0, freeBlocksTotal = 0, suitable = 0;
        int blockOrder = Integer.numberOfTrailingZeros(z.blockPages);
        for (MigrateType t : MigrateType.VALUES) {
            // a wholly free block is a free chunk of at least the block order (the request's, or above it)
            if (z.freeBlocks(t) > 0 && order <= blockOrder) suitable++;
            for (int o = 0; o < blockOrder; o++) {
                long n = z.nrFree(t, o);
                freePages += n << o;
                freeBlocksTotal += n;
                if (o >= order) suitable += n << (o - order);
            }
        }
        if (freePages == 0) return 0;
        if (suitable > 0) return -1000;
        long requested = 1L << order;
        return (int) (1000 - (1000 + freePages * 1000 / requested) / freeBlocksTotal);
    }

    /** compaction_deferred(). */
    private boolean deferred(int node, int order) {
        if (order < orderFailed[node]) return false;
        if (++considered[node] >= (1 << deferShift[node])) {
            considered[node] = 1 << deferShift[node];
            return false;
        }
        return true;
    }

    /** defer_compaction(). */
    private void defer(int node, int order) {
        considered[node] = 0;
        if (++deferShift[node] > MAX_DEFER_SHIFT) deferShift[node] = MAX_DEFER_SHIFT;
        if (order < orderFailed[node]) orderFailed[node] = order;
    }
}
