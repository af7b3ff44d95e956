package hugesim.mm.page;

/**
 * What an allocation may do, as the kernel's gfp_t and alloc_flags say it (include/linux/gfp_types.h,
 * mm/internal.h). Every request is for movable memory unless it asks for the reserved THP lists or is a kernel allocation.
 */
public final class Gfp {
    /** __GFP_THISNODE: the preferred node only, no zonelist fallback. */
    public static final int THISNODE = 1;
    /** __GFP_DIRECT_RECLAIM: the slow path may reclaim (and, for order 0, call the OOM killer). */
    public static final int DIRECT_RECLAIM = 2;
    /** __GFP_RESERVED_THP (RFC patch 3/8): MIGRATE_RESERVED_THP lists only, no watermark check, no fallback. */
    public static final int RESERVED_THP = 4;
    /**
     * ALLOC_WMARK_MIN from the first attempt: no fast path at the low watermark. Simplification: the
     * model checks order-0 requests, HugeTLB pool pages and collapse targets against min only.
     */
    public static final int WMARK_MIN = 8;
    /**
     * alloc_pages_bulk(): up to the number asked, one order-0 request each, stopping at the first that
     * fails (migration's MIGRATE_ASYNC pass); with {@link #THISNODE} only.
     */
    public static final int BULK = 16;
    /**
     * ALLOC_CMA not set: not from CMA pageblocks (the migration target of a page leaving a CMA range).
     * Simplification: from free movable pages only, without claiming blocks of other types.
     */
    public static final int NO_CMA = 32;
    /**
     * GFP_KERNEL: no __GFP_MOVABLE, so gfp_migratetype() is MIGRATE_UNMOVABLE (slab, page tables, kernel
     * stacks); order-0 pages from the unmovable lists, falling back as __rmqueue() does, never from CMA.
     */
    public static final int KERNEL = 64;
    /** __GFP_RECLAIMABLE with {@link #KERNEL}: MIGRATE_RECLAIMABLE (slab caches with SLAB_RECLAIM_ACCOUNT). */
    public static final int RECLAIMABLE = 128;
    /**
     * __GFP_KSWAPD_RECLAIM on a PMD-order request (a THP fault in defrag {@code defer}, or {@code defer+madvise}
     * outside MADV_HUGEPAGE): the slow path wakes kswapd, or kcompactd, for the order. Order-0 requests
     * always have it in the model.
     */
    public static final int KSWAPD_RECLAIM = 256;
    /**
     * A THP allocation that gfp_zone() may place in ZONE_NOSPLIT (the zoneNosplit design, docs/model.md rule 66):
     * per node in zonelist order, that node's nosplit blocks first, then its ordinary memory.
     */
    public static final int NOSPLIT = 512;
    /**
     * GFP_PGTABLE_USER: one unmovable page for a page table, from the zone's per-CPU list (rmqueue_pcplist(),
     * {@link PerCpuPages}); with {@link #KERNEL} implied.
     */
    public static final int PGTABLE = 1024;

    private Gfp() {}
}
