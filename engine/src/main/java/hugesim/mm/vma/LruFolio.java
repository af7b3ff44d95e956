package hugesim.mm.vma;

/**
 * One entry of a node's LRU lists: a THP folio, or the 4 KiB folios one process maps in one PMD window,
 * which the model ages together (a window is faulted, touched and swapped as one). What struct folio keeps
 * for reclaim: its place on a list (lru, PG_active), PG_referenced, and what its PTEs' accessed bits would
 * say. The window holding it is found by address, so a VMA split or merge does not lose it. Written only
 * by mm.reclaim's LRU code; a window points at its entry ({@link Vma#lru(int)}). The page cache's entries
 * extend it (mm.filemap's FileFolio), with no mm.
 */
public class LruFolio {
    /** The lists: anonymous ones, then the file lists (LRU_INACTIVE_FILE, LRU_ACTIVE_FILE) the page cache uses. */
    public static final byte NONE = 0, INACTIVE = 1, ACTIVE = 2, INACTIVE_FILE = 3, ACTIVE_FILE = 4;

    public final Mm mm;
    /** The first address of the window inside its VMA. */
    public long addr;
    public int node;
    public LruFolio prev, next;
    /** Which list it is on: NONE (isolated: under writeback, or gone), INACTIVE or ACTIVE (PG_active). */
    public byte list;
    /** PG_referenced: seen young once on the inactive list; a second young check activates it. */
    public boolean referenced;
    /** Accessed continuously: the workload's working set (young at every check until it goes idle). */
    public boolean hot;
    /** When it was last accessed, and when folio_referenced() last cleared its young bits (nanoseconds). */
    public long lastAccess, lastCheck = Long.MIN_VALUE;

    /**
     * The swap cache: the folio's pages, unmapped (its PTEs are swap entries) and held until reclaim frees
     * them or a fault maps them back. A whole THP's block ({@code cacheBlock}), or 4 KiB pages
     * ({@code cacheRuns}); {@code cachePages} 0 when it holds none. Written only by mm.reclaim's SwapCache.
     */
    public long cacheBlock = -1;
    public long[] cacheRuns;
    public int cachePages;
    /** The cached block is a MIGRATE_RESERVED_THP one (freeing it wakes the reserved-block waiters). */
    public boolean cacheReserved;
    /**
     * The swap cluster only the cached block still holds, no PTE referring to it (6.1 mapped copies of the
     * block's pages), or -1: freed with the block. Written only by mm.reclaim's SwapCache.
     */
    public long cacheCluster = -1;

    /**
     * A mapped folio still in the swap cache (read back, not written since): its copy in swap stays valid,
     * in {@code keptSlots} single slots or, for a whole THP, cluster {@code keptCluster}. Reclaiming it
     * needs no write. Written only by mm.reclaim's SwapCache.
     */
    public int keptSlots;
    public long keptCluster = -1;

    /** Whether the swap cache holds pages of this folio. */
    public boolean cached() { return cachePages > 0; }

    /** Whether its young bits are set: accessed since folio_referenced() last cleared them (read only). */
    public boolean young() {
        return hot || lastAccess > lastCheck;
    }

    /** The memory cgroup the folio is charged to (its process's; a page-cache stretch's first reader's), or null: the root. */
    public hugesim.mm.memcg.MemCgroup memcg;

    public LruFolio(Mm mm, long addr, int node) {
        this.mm = mm;
        this.memcg = mm == null ? null : mm.memcg;
        this.addr = addr;
        this.node = node;
    }
}
