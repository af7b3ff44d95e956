package hugesim.mm.hugetlb;

import hugesim.mm.VmStat;
import hugesim.mm.page.AllocRequest;
import hugesim.mm.page.Allocation;
import hugesim.mm.page.Gfp;
import hugesim.mm.page.MigrateType;
import hugesim.mm.page.Zone;
import hugesim.units.Bandwidth;

import java.util.function.Function;
import java.util.function.LongConsumer;
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
    private final LongConsumer pagesLeftCma;
    private final Function<AllocRequest, Allocation> alloc;

    /**
     * @param pagesLeftCma told how many borrowed 4 KiB pages moved out of CMA, so owners can be updated
     * @param alloc        the allocation entry point, for the pages' migration targets
     */
    public CmaArea(Zone zone, int first, int blocks, int blocksPerPage, int pageSize, Bandwidth migrate,
                   ObjLongConsumer<VmStat> count, LongConsumer pagesLeftCma, Function<AllocRequest, Allocation> alloc) {
        this.zone = zone;
        this.first = first;
        this.blocks = blocks;
        this.blocksPerPage = blocksPerPage;
        this.pageSize = pageSize;
        this.migrate = migrate;
        this.held = new boolean[blocks];
        this.count = count;
        this.pagesLeftCma = pagesLeftCma;
        this.alloc = alloc;
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

    private Hstate.PoolPage tryRange(int start) {
        int lo = first + start, hi = lo + blocksPerPage;
        long moved = 0;
        for (int b = lo; b < hi; b++) {
            if (!zone.isBroken(b)) continue;
            if (zone.relocateBroken(b, lo, hi)) {
                moved += zone.blockPages;
                continue;
            }
            // no free CMA block left outside the range: the borrowed pages must leave CMA altogether,
            // into movable pages allocated first (alloc_migration_target())
            long pages = Math.min(zone.blockPages, zone.pagesInUse(MigrateType.CMA));
            if (!alloc.apply(AllocRequest.pages(pages, zone.node, Gfp.THISNODE | Gfp.WMARK_MIN | Gfp.NO_CMA)).ok()) return NONE;
            int left = zone.evacuate(b);
            pagesLeftCma.accept(left);
            moved += left;
        }
        for (int b = lo; b < hi; b++) {
            if (!zone.takeBlock(b)) throw new IllegalStateException("CMA block " + b + " not free after migration");
            held[b - first] = true;
        }
        heldPages++;
        count.accept(VmStat.pgmigrate_success, moved);
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
