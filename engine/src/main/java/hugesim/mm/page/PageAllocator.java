package hugesim.mm.page;

import java.util.List;

/**
 * The buddy allocator's decisions at pageblock granularity (mm/page_alloc.c): which free list a request
 * may take from, the watermark it must pass, and where it falls back to. Nodes are tried local first.
 */
public final class PageAllocator {
    private final List<Zone> zones;
    /** Each zone's per-CPU list of unmovable pages (page tables). */
    private final PerCpuPages[] pcp;

    public PageAllocator(List<Zone> zones) {
        this(zones, 4096);
    }

    public PageAllocator(List<Zone> zones, int pageSize) {
        this.zones = List.copyOf(zones);
        this.pcp = new PerCpuPages[zones.size()];
        for (int i = 0; i < pcp.length; i++) pcp[i] = new PerCpuPages(zones.get(i).managedPages(), pageSize);
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
     * split_folio() in place: the THP at {@code handle} becomes the 4 KiB pages {@code mapped} marks (one
     * bit per page of the block), the rest of its block is free (no watermark check: a split frees memory).
     */
    public void splitBlock(long handle, long[] mapped) {
        zones.get(node(handle)).splitBlock(block(handle), mapped);
    }

    public void freeBlock(long handle) {
        zones.get(node(handle)).putBlock(block(handle));
    }

    /** Frees the pages of {@code runs}; returns how many of them were in MIGRATE_RESERVED_THP blocks. */
    public int freeRuns(long[] runs) {
        int reserved = 0;
        for (int k = 0; k < PageRuns.runs(runs); k++) {
            reserved += zones.get(PageRuns.node(runs, k)).freeRun(PageRuns.pfn(runs, k), PageRuns.len(runs, k));
        }
        return reserved;
    }

    /** The migratetype of the block page {@code pfn} of {@code node} lies in. */
    public MigrateType typeOfPage(int node, long pfn) {
        Zone z = zones.get(node);
        return z.typeOf((int) (pfn / z.blockPages));
    }

    /** The runs one allocation takes, in the order taken; offsets count its pages from 0. */
    private static final class Taken implements Zone.Runs {
        private final PageRuns.Builder runs;
        private final int node;
        private int off;

        Taken(int node) {
            this.node = node;
            this.runs = new PageRuns.Builder();
        }

        @Override
        public void add(long pfn, int len) {
            runs.add(node, pfn, off, len);
            off += len;
        }

        Allocation done(long n) { return new Allocation(Allocation.Status.OK, -1, node, n, runs.build()); }
    }

    /**
     * {@code n} movable 4 KiB pages on {@code preferredNode}'s zonelist (its zone alone when
     * {@code localOnly}), all from one zone passing watermark {@code m}. The allocation, or {@link Allocation#FAILED}.
     */
    Allocation allocUserPages(int preferredNode, long n, Mark m, boolean localOnly) {
        for (int i = 0; i < zones.size(); i++) {
            int node = (preferredNode + i) % zones.size();
            if (localOnly && node != preferredNode) break;
            Zone z = zones.get(node);
            if (z.usableFree(true) - n < mark(z, m)) continue;
            Taken t = new Taken(node);
            if (takeMovable(z, n, t)) return t.done(n);
        }
        return Allocation.FAILED;
    }

    /**
     * Up to {@code n} movable 4 KiB pages from {@code node} alone (__GFP_THISNODE), as one order-0 request
     * each: every request passes the min watermark while free memory an ordinary allocation may use stays
     * above it, and the first that fails ends the run (migration of split pages, MIGRATE_ASYNC).
     * The allocation says how many were taken (possibly none).
     */
    Allocation allocUserPagesThisNode(int node, long n) {
        Zone z = zones.get(node);
        long movable = z.freePages(MigrateType.MOVABLE) + z.freePages(MigrateType.CMA)
                + z.freePages(MigrateType.UNMOVABLE) + z.freePages(MigrateType.RECLAIMABLE);
        long k = Math.max(0, Math.min(Math.min(n, movable), z.usableFree(true) - z.min()));
        Taken t = new Taken(node);
        if (k > 0 && !takeMovable(z, k, t)) throw new IllegalStateException("movable pages counted free could not be taken");
        return t.done(k);
    }

    /**
     * {@code n} 4 KiB pages from {@code node}'s MIGRATE_MOVABLE free pages alone, while free memory other
     * than CMA stays at watermark {@code m} (a target for pages migrated out of CMA).
     */
    Allocation allocMovableOnly(int node, long n, Mark m) {
        Zone z = zones.get(node);
        if (z.usableFree(false) - n < mark(z, m) || z.freePages(MigrateType.MOVABLE) < n) return Allocation.FAILED;
        Taken t = new Taken(node);
        if (n > 0) z.allocPages(MigrateType.MOVABLE, n, t);
        return t.done(n);
    }

    /**
     * __rmqueue() for {@code n} movable pages with ALLOC_CMA: CMA first when free CMA exceeds half the
     * zone's free pages, then the movable lists, then CMA (__rmqueue_cma_fallback()), then claiming wholly
     * free blocks of the other ordinary types (__rmqueue_claim()), then single pages of theirs
     * (__rmqueue_steal(): an order-0 movable request never claims a block it only partly takes).
     * All or nothing. Simplification: the CMA balance is judged once for the whole request.
     */
    private static boolean takeMovable(Zone z, long n, Zone.Runs out) {
        long usable = z.freePages(MigrateType.CMA) + z.freePages(MigrateType.MOVABLE);
        for (MigrateType t : FALLBACKS) usable += z.freePages(t);
        if (usable < n) return false;
        long cma = z.freePages(MigrateType.CMA);
        long fromCma = cma > z.freePages() / 2 ? Math.min(n, cma) : 0;
        long fromMovable = Math.min(n - fromCma, z.freePages(MigrateType.MOVABLE));
        long rest = n - fromCma - fromMovable;
        long moreCma = Math.min(rest, cma - fromCma);
        fromCma += moreCma;
        rest -= moreCma;
        long[] stolen = new long[MigrateType.VALUES.length];
        for (MigrateType t : FALLBACKS) {
            for (int b; rest > 0 && (b = z.takeBlock(t)) >= 0; ) {
                // try_to_claim_block() at the block order: the whole block becomes movable
                z.putBlock(b);
                z.setType(b, MigrateType.MOVABLE);
                long k = Math.min(rest, z.blockPages);
                fromMovable += k;
                rest -= k;
            }
        }
        for (MigrateType t : FALLBACKS) {
            long k = Math.min(rest, z.freePages(t));
            stolen[t.ordinal()] = k;
            rest -= k;
        }
        if (rest > 0) return false;
        if (fromCma > 0) z.allocPages(MigrateType.CMA, fromCma, out);
        if (fromMovable > 0) z.allocPages(MigrateType.MOVABLE, fromMovable, out);
        for (MigrateType t : FALLBACKS) if (stolen[t.ordinal()] > 0) z.allocPages(t, stolen[t.ordinal()], out);
        return true;
    }

    /**
     * {@code n} order-0 pages of kernel memory of type {@code t} (MIGRATE_UNMOVABLE or MIGRATE_RECLAIMABLE)
     * on {@code preferredNode}'s zonelist, all from one zone passing watermark {@code m} without counting
     * free CMA pages (a non-movable request has no ALLOC_CMA). See {@link Zone#allocKernel}.
     */
    Allocation allocKernelPages(int preferredNode, long n, MigrateType t, Mark m, boolean localOnly) {
        for (int i = 0; i < zones.size(); i++) {
            int node = (preferredNode + i) % zones.size();
            if (localOnly && node != preferredNode) break;
            Zone z = zones.get(node);
            if (z.usableFree(false) - n < mark(z, m)) continue;
            Taken taken = new Taken(node);
            if (z.allocKernel(t, n, taken)) return taken.done(n);
        }
        return Allocation.FAILED;
    }

    /**
     * rmqueue_bulk() for a per-CPU list of {@code node}: once the zone passes watermark {@code m} for one
     * page (get_page_from_freelist()), up to {@code batch} unmovable order-0 pages, placed as
     * {@link Zone#allocKernel} places them. The allocation (possibly of fewer pages), or {@link Allocation#FAILED}.
     */
    Allocation allocPcpBatch(int node, int batch, Mark m) {
        Zone z = zones.get(node);
        if (z.usableFree(false) - 1 < mark(z, m)) return Allocation.FAILED;
        long n = Math.min(batch, z.kernelUsable(MigrateType.UNMOVABLE));
        if (n <= 0) return Allocation.FAILED;
        Taken t = new Taken(node);
        if (!z.allocKernel(MigrateType.UNMOVABLE, n, t)) throw new IllegalStateException("pages counted free could not be taken");
        return t.done(n);
    }

    /**
     * rmqueue_pcplist() for one page of a page table on {@code preferredNode}'s zonelist: the first zone
     * passing watermark {@code m} gives the page on top of its list, filling an empty list first
     * (rmqueue_bulk()). Returns {@code node << 48 | pfn}, or -1.
     */
    long allocPcpPage(int preferredNode, Mark m, boolean localOnly) {
        for (int i = 0; i < zones.size(); i++) {
            int node = (preferredNode + i) % zones.size();
            if (localOnly && node != preferredNode) break;
            // an empty list is filled if the zone passes the watermark (allocPcpBatch() checks it)
            if (pcp[node].isEmpty()) fillPcp(node, m);
            if (!pcp[node].isEmpty()) return PageRuns.page(node, pcp[node].take());
        }
        return -1;
    }

    private void fillPcp(int node, Mark m) {
        Allocation a = allocPcpBatch(node, pcp[node].batch, m);
        long[] r = a.runs();
        for (int k = 0; k < PageRuns.runs(r); k++) {
            for (int p = PageRuns.len(r, k) - 1; p >= 0; p--) pcp[node].put(PageRuns.pfn(r, k) + p);
        }
    }

    /**
     * free_unref_page() of a page-table page ({@code node << 48 | pfn}): onto its zone's list; a list at
     * {@code high} (the zone's low watermark) returns its {@code batch} oldest pages to the buddy lists.
     * True when pages went back to the buddy lists.
     */
    boolean freePcpPage(long page) {
        int node = PageRuns.pageNode(page);
        PerCpuPages p = pcp[node];
        p.put(PageRuns.pagePfn(page));
        if (p.count() < pcpHigh(node)) return false;
        for (int k = 0; k < p.batch; k++) zones.get(node).freeKernelRun(p.takeOldest(), 1);
        return true;
    }

    /** {@code node}'s per-CPU list's high mark (/proc/zoneinfo {@code high}): the zone's low watermark, at least 4 × batch. */
    public long pcpHigh(int node) { return Math.max(zones.get(node).low(), 4L * pcp[node].batch); }

    /** drain_all_pages(): every per-CPU list goes back to the buddy lists. True when one held a page. */
    boolean drainPcp() {
        boolean any = false;
        for (int node = 0; node < pcp.length; node++) {
            PerCpuPages p = pcp[node];
            any |= !p.isEmpty();
            while (!p.isEmpty()) zones.get(node).freeKernelRun(p.takeOldest(), 1);
        }
        return any;
    }

    /** Pages on {@code node}'s per-CPU list (/proc/zoneinfo {@code count}). */
    public int pcpCount(int node) { return pcp[node].count(); }

    /** Pages on every per-CPU list. */
    public long pcpPages() {
        long n = 0;
        for (PerCpuPages p : pcp) n += p.count();
        return n;
    }

    /** {@code node}'s per-CPU list's batch (/proc/zoneinfo {@code batch}). */
    public int pcpBatch(int node) { return pcp[node].batch; }

    /** Frees the pages of a kernel allocation. */
    public void freeKernelRuns(long[] runs) {
        for (int k = 0; k < PageRuns.runs(runs); k++) {
            zones.get(PageRuns.node(runs, k)).freeKernelRun(PageRuns.pfn(runs, k), PageRuns.len(runs, k));
        }
    }

    /** fallbacks[MIGRATE_MOVABLE]. */
    private static final MigrateType[] FALLBACKS = {MigrateType.RECLAIMABLE, MigrateType.UNMOVABLE};

    public static int node(long handle) { return (int) (handle >>> 32); }

    public static int block(long handle) { return (int) handle; }

    /** Every page of block {@code handle} ({@code nr} of them), as runs at offsets 0 .. nr − 1. */
    public static long[] pagesOf(long handle, int nr) {
        return new PageRuns.Builder().add(node(handle), (long) block(handle) * nr, 0, nr).build();
    }

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
