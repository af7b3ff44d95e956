package hugesim.mm.page;

import java.util.List;

/**
 * The buddy allocator's decisions at pageblock granularity (mm/page_alloc.c): which free list a request
 * may take from, the watermark it must pass, and where it falls back to. Nodes are tried local first.
 */
public final class PageAllocator {
    private final List<Zone> zones;

    public PageAllocator(List<Zone> zones) {
        this.zones = List.copyOf(zones);
    }

    public List<Zone> zones() { return zones; }

    public Zone zone(int node) { return zones.get(node); }

    /** Watermark a request checks: the fast path uses low, the slow path min (ALLOC_WMARK_*). */
    public enum Mark { MIN, LOW, HIGH }

    private static long mark(Zone z, Mark m) {
        return switch (m) { case MIN -> z.min(); case LOW -> z.low(); case HIGH -> z.high(); };
    }

    /**
     * A movable PMD-order block (a THP or a HugeTLB page from the buddy allocator), local node first.
     * Order of free lists: CMA first when free CMA exceeds half the zone's free pages (__rmqueue), then
     * MOVABLE, then claiming a whole free block of another ordinary type, then CMA.
     * Returns {@code node << 32 | block}, or -1.
     */
    long allocMovableBlock(int preferredNode, Mark m, boolean localOnly) {
        for (int i = 0; i < zones.size(); i++) {
            int node = (preferredNode + i) % zones.size();
            if (localOnly && node != preferredNode) break;
            Zone z = zones.get(node);
            // the PMD order: 9 on x86_64, 13 on arm64 with 64 KiB pages (a zone block is PMD-sized)
            if (!z.watermarkOk(Integer.numberOfTrailingZeros(z.blockPages), mark(z, m), false, true)) continue;
            int b = takeMovable(z);
            if (b >= 0) return ((long) node << 32) | b;
        }
        return -1;
    }

    private static int takeMovable(Zone z) {
        boolean cmaFirst = z.freePages(MigrateType.CMA) > z.freePages() / 2;
        int b = cmaFirst ? z.takeBlock(MigrateType.CMA) : -1;
        if (b < 0) b = z.takeBlock(MigrateType.MOVABLE);
        for (MigrateType t : new MigrateType[] {MigrateType.RECLAIMABLE, MigrateType.UNMOVABLE}) {
            if (b >= 0) break;
            b = z.takeBlock(t);
            if (b >= 0) { z.putBlock(b); z.setType(b, MigrateType.MOVABLE); z.takeBlock(b); }
        }
        if (b < 0) b = z.takeBlock(MigrateType.CMA);
        return b;
    }

    /**
     * A block from the MIGRATE_RESERVED_THP free list only, with no watermark check and no fallback
     * (RFC patch 3/8, rule 12). Returns {@code node << 32 | block}, or -1.
     */
    long allocReservedThpBlock(int preferredNode, boolean localOnly) {
        for (int i = 0; i < zones.size(); i++) {
            int node = (preferredNode + i) % zones.size();
            if (localOnly && node != preferredNode) break;
            int b = zones.get(node).takeBlock(MigrateType.RESERVED_THP);
            if (b >= 0) return ((long) node << 32) | b;
        }
        return -1;
    }

    /**
     * split_folio() in place: a THP's block holds {@code pages} 4 KiB pages of its own migratetype from
     * now on, the rest of it is free (the block goes back to its free list whole and the pages are taken
     * again from it, no watermark check: the split frees memory, it does not use more).
     */
    public void splitBlock(long handle, int pages) {
        Zone z = zones.get(node(handle));
        int b = block(handle);
        MigrateType t = z.typeOf(b);
        z.putBlock(b);
        if (!z.allocPages(t, pages)) throw new IllegalStateException("split folio's pages do not fit its block");
    }

    /**
     * Frees {@code n} 4 KiB pages of type {@code t} on {@code node} (a split folio's). Those of a CMA
     * folio may have been migrated out of CMA by cma_alloc() meanwhile: they are movable pages now.
     */
    public void freePages(int node, MigrateType t, long n) {
        Zone z = zones.get(node);
        long k = t == MigrateType.CMA ? Math.min(n, z.pagesInUse(t)) : n;
        z.freePages(t, k);
        if (n > k) z.freePages(MigrateType.MOVABLE, n - k);
    }

    public void freeBlock(long handle) {
        zones.get(node(handle)).putBlock(block(handle));
    }

    /**
     * {@code n} movable 4 KiB pages on {@code preferredNode}'s zonelist (its zone alone when
     * {@code localOnly}), all from one zone passing watermark {@code m}. CMA is preferred when free CMA
     * exceeds half of free memory (__rmqueue's balancing). The allocation, or {@link Allocation#FAILED}.
     */
    Allocation allocUserPages(int preferredNode, long n, Mark m, boolean localOnly) {
        for (int i = 0; i < zones.size(); i++) {
            int node = (preferredNode + i) % zones.size();
            if (localOnly && node != preferredNode) break;
            Zone z = zones.get(node);
            if (z.usableFree(true) - n < mark(z, m)) continue;
            long fromCma = allocMovablePages(z, n);
            if (fromCma >= 0) return new Allocation(Allocation.Status.OK, -1, node, n, fromCma);
        }
        return Allocation.FAILED;
    }

    /**
     * Up to {@code n} movable 4 KiB pages from {@code node} alone (__GFP_THISNODE), as one order-0 request
     * each: every request passes the min watermark while free memory an ordinary allocation may use stays
     * above it, and the first that fails ends the run (migration of split pages, MIGRATE_ASYNC).
     * The allocation says how many were taken (possibly none) and how many of them are CMA pages.
     */
    Allocation allocUserPagesThisNode(int node, long n) {
        Zone z = zones.get(node);
        long movable = z.freePages(MigrateType.MOVABLE) + z.freePages(MigrateType.CMA)
                + (long) (z.freeBlocks(MigrateType.UNMOVABLE) + z.freeBlocks(MigrateType.RECLAIMABLE)) * z.blockPages;
        long k = Math.max(0, Math.min(Math.min(n, movable), z.usableFree(true) - z.min()));
        long fromCma = k > 0 ? allocMovablePages(z, k) : 0;
        if (fromCma < 0) throw new IllegalStateException("movable pages counted free could not be taken");
        return new Allocation(Allocation.Status.OK, -1, node, k, fromCma);
    }

    /**
     * {@code n} 4 KiB pages from {@code node}'s MIGRATE_MOVABLE free pages alone, while free memory other
     * than CMA stays at watermark {@code m} (a target for pages migrated out of CMA).
     */
    Allocation allocMovableOnly(int node, long n, Mark m) {
        Zone z = zones.get(node);
        if (z.usableFree(false) - n < mark(z, m) || z.freePages(MigrateType.MOVABLE) < n) return Allocation.FAILED;
        if (n > 0) z.allocPages(MigrateType.MOVABLE, n);
        return new Allocation(Allocation.Status.OK, -1, node, n, 0);
    }

    /** Takes {@code n} movable pages from {@code z}; returns how many came from CMA, or -1 (nothing taken). */
    private long allocMovablePages(Zone z, long n) {
        long cma = z.freePages(MigrateType.CMA);
        long fromCma = cma > z.freePages() / 2 ? Math.min(n, cma) : 0;
        long fromMovable = Math.min(n - fromCma, z.freePages(MigrateType.MOVABLE));
        long rest = n - fromCma - fromMovable;
        // claim whole free blocks of the other ordinary types, then fall back to CMA; simplification:
        // try_to_claim_block() claims one pageblock, the model a whole PMD-sized block (Zone)
        while (rest > z.freePages(MigrateType.MOVABLE) - fromMovable) {
            int b = z.takeBlock(MigrateType.UNMOVABLE);
            if (b < 0) b = z.takeBlock(MigrateType.RECLAIMABLE);
            if (b < 0) break;
            z.putBlock(b);
            z.setType(b, MigrateType.MOVABLE);
        }
        long more = Math.min(rest, z.freePages(MigrateType.MOVABLE) - fromMovable);
        fromMovable += more;
        rest -= more;
        long moreCma = Math.min(rest, cma - fromCma);
        fromCma += moreCma;
        rest -= moreCma;
        if (rest > 0) return -1;
        if (fromMovable > 0) z.allocPages(MigrateType.MOVABLE, fromMovable);
        if (fromCma > 0) z.allocPages(MigrateType.CMA, fromCma);
        return fromCma;
    }

    /**
     * 4 KiB pages of type t on a node that belong to split THP folios still mapped by PTEs
     * (DeferredSplit): counted in the zone's pages in use, but not a process's own to free.
     */
    public interface Held {
        long pages(int node, MigrateType t);
    }

    private Held held = (node, t) -> 0;

    public void setHeld(Held held) { this.held = held; }

    /**
     * Frees a process's 4 KiB pages. Simplification: pages are counted per zone, not per process, so they
     * are returned to the zones that hold pages of their type, the process's own node first; never pages
     * that split THP folios still hold ({@link Held}): those go back to their own node when unmapped.
     */
    public void freeUserPages(int ownerNode, long movable, long cma, long reserved) {
        movable = freeFrom(ownerNode, MigrateType.MOVABLE, movable);
        cma = freeFrom(ownerNode, MigrateType.CMA, cma);
        reserved = freeFrom(ownerNode, MigrateType.RESERVED_THP, reserved);
        if (movable > 0 || cma > 0 || reserved > 0) throw new IllegalStateException("freed more pages than are in use");
    }

    private long freeFrom(int node, MigrateType t, long n) {
        for (int i = 0; i < zones.size() && n > 0; i++) {
            Zone z = zones.get((node + i) % zones.size());
            long k = Math.min(n, z.pagesInUse(t) - held.pages(z.node, t));
            if (k > 0) z.freePages(t, k);
            n -= k;
        }
        return n;
    }

    public static int node(long handle) { return (int) (handle >>> 32); }

    public static int block(long handle) { return (int) handle; }

    public long freePages() {
        long f = 0;
        for (Zone z : zones) f += z.freePages();
        return f;
    }

    public long freePages(MigrateType t) {
        long f = 0;
        for (Zone z : zones) f += z.freePages(t);
        return f;
    }

    public long blocks(MigrateType t) {
        long n = 0;
        for (Zone z : zones) n += z.blocks(t);
        return n;
    }

    /** Pageblocks of type {@code t} over all zones (/proc/pagetypeinfo). */
    public long pageblocks(MigrateType t) {
        long n = 0;
        for (Zone z : zones) n += z.pageblocks(t);
        return n;
    }
}
