package hugesim.mm.hugetlb;

import hugesim.mm.VmStat;
import hugesim.mm.page.AllocRequest;
import hugesim.mm.page.Allocation;
import hugesim.mm.page.Gfp;
import hugesim.mm.page.MigrateType;
import hugesim.mm.page.Zone;
import hugesim.units.Bandwidth;

import java.util.function.ObjLongConsumer;

/**
 * A hugetlb_cma area (mm/hugetlb_cma.c, mm/cma.c): pageblocks of type MIGRATE_CMA set aside at boot for
 * gigantic pages. While unused they are lent to movable allocations; cma_alloc() takes the lowest
 * aligned free range and migrates the borrowed pages out (alloc_contig_range), which costs time and fails
 * when ordinary memory cannot take them.
 */
public final class CmaArea implements Hstate.Source {
    private final Zone zone;
    private final int first;
    private final int blocks;
    private final int blocksPerPage;
    private final int pageSize;
    private final Bandwidth migrate;
    private final boolean[] held;
    private final ObjLongConsumer<VmStat> count;
    private final BlockMigration migration;

    /** Moves the 4 KiB pages in use in a block elsewhere: how many moved, or -1 when they could not all be. */
    public interface BlockMigration {
        long migrate(int node, int block);
    }

    /** @param migration page migration, for the pages borrowed from the range */
    public CmaArea(Zone zone, int first, int blocks, int blocksPerPage, int pageSize, Bandwidth migrate,
                   ObjLongConsumer<VmStat> count, BlockMigration migration) {
        this.zone = zone;
        this.first = first;
        this.blocks = blocks;
        this.blocksPerPage = blocksPerPage;
        this.pageSize = pageSize;
        this.migrate = migrate;
        this.held = new boolean[blocks];
        this.count = count;
        this.migration = migration;
    }

    public long totalPages() { return (long) blocks * zone.blockPages; }

    /** Gigantic pages currently taken out of the area. */
    public int heldPages() { return heldPages; }

    private int heldPages;

    @Override
    public long alloc(int nid, boolean thisNode) {
        return allocPage(nid, thisNode).handle();
    }

    /**
     * hugetlb_cma[nid]: the model's area is on one node only, so another node with __GFP_THISNODE gets
     * none. The time is that of migrating the borrowed pages out of the range.
     */
    @Override
    public Hstate.PoolPage allocPage(int nid, boolean thisNode) {
        if (thisNode && nid != zone.node) return NONE;
        for (int start = 0; start + blocksPerPage <= blocks; start += blocksPerPage) {
            if (anyHeld(start)) continue;
            Hstate.PoolPage p = tryRange(start);
            if (p.handle() >= 0) {
                count.accept(VmStat.cma_alloc_success, 1);
                return p;
            }
            break;   // cma_alloc() gives up when the range's pages cannot be migrated
        }
        count.accept(VmStat.cma_alloc_fail, 1);
        return NONE;
    }

    private static final Hstate.PoolPage NONE = new Hstate.PoolPage(-1, 0);

    private boolean anyHeld(int start) {
        for (int b = start; b < start + blocksPerPage; b++) if (held[b]) return true;
        return false;
    }

    /**
     * alloc_contig_range(): the range's pageblocks are isolated (MIGRATE_ISOLATE) so that nothing is
     * allocated from them, the pages borrowed from them are migrated out, and the isolation is undone.
     */
    private Hstate.PoolPage tryRange(int start) {
        int lo = first + start, hi = lo + blocksPerPage;
        for (int b = lo; b < hi; b++) zone.setType(b, MigrateType.ISOLATE);
        long moved = 0;
        boolean ok = true;
        for (int b = lo; b < hi && ok; b++) {
            if (!zone.isBroken(b)) continue;
            long k = migration.migrate(zone.node, b);
            ok = k >= 0 && !zone.isBroken(b);   // pages no mapping holds (I/O in flight) are busy: -EBUSY
            moved += Math.max(k, 0);
        }
        for (int b = lo; b < hi; b++) zone.setType(b, MigrateType.CMA);
        count.accept(VmStat.pgmigrate_success, moved);
        if (!ok) return NONE;
        for (int b = lo; b < hi; b++) {
            if (!zone.takeBlock(b)) throw new IllegalStateException("CMA block " + b + " not free after migration");
            held[b - first] = true;
        }
        heldPages++;
        return new Hstate.PoolPage(lo, moved == 0 ? 0 : migrate.nanosFor(moved * pageSize));
    }

    @Override
    public int nid(long handle) { return zone.node; }

    @Override
    public void free(long handle) {
        int lo = (int) handle;
        for (int b = lo; b < lo + blocksPerPage; b++) {
            zone.putBlock(b);
            held[b - first] = false;
        }
        heldPages--;
    }
}
