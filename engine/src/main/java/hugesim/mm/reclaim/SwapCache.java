package hugesim.mm.reclaim;

import hugesim.mm.model.MemoryModel;
import hugesim.mm.page.PageRuns;
import hugesim.mm.vma.LruFolio;

/**
 * The swap cache (mm/swap_state.c) as reclaim uses it. shrink_folio_list() unmaps a folio at once (its
 * PTEs become swap entries) and starts its write; the folio stays in the swap cache, in memory, until a
 * later pass frees it: when the write completes, folio_rotate_reclaimable() puts it at the inactive list's
 * tail, where the next scan finds it clean and unmapped and frees it (__remove_mapping()). A fault on it
 * meanwhile maps it back with no I/O (a swap-cache hit). On zram (SWP_SYNCHRONOUS_IO) the write completes
 * within the pass and the folio is freed at once.
 *
 * <p>A read fault that maps a folio back (a swap-cache hit, or a read from a disk) keeps it in the swap
 * cache with its slots, so reclaiming it again needs no write; a write to it, or swap more than half
 * full (vm_swap_full()), frees them (do_swap_page()'s should_try_to_free_swap(), do_wp_page()).
 *
 * <p>The pages are held by the folio's LRU entry, which follows its window through moves. Simplification:
 * a fork, a cut of the window (a VMA split inside it, a partial unmap) or a copy-on-write copy drops what
 * the swap cache holds of it (the data is read from swap if needed).
 */
public final class SwapCache {
    private final MemoryModel m;
    /** Pages held unmapped (written or being written), and mapped pages whose slots are kept. */
    private long pages, kept;
    private long reservedBlocks;

    SwapCache(MemoryModel m) {
        this.m = m;
    }

    /** Pages in the swap cache (SwapCached): unmapped ones and mapped ones that kept their slots. */
    public long pages() { return pages + kept; }

    /** Pages the swap cache alone holds: unmapped, no window maps them. */
    public long unmappedPages() { return pages; }

    /** Whole THPs of MIGRATE_RESERVED_THP blocks among them. */
    public long reservedBlocks() { return reservedBlocks; }

    /** A whole THP's block (split in place first when {@code split}) goes into the cache. */
    void addBlock(LruFolio f, long block, boolean reserved, boolean split) {
        int nr = m.geometry.pmdPages();
        if (split) {
            long[] every = new long[(m.geometry.blockPages() + 63) / 64];
            java.util.Arrays.fill(every, -1L);
            m.pages.splitBlock(block, every);   // split_folio_to_list(): 512 pages of their own, all in use
            addRuns(f, hugesim.mm.page.PageAllocator.pagesOf(block, m.geometry.blockPages()));
            f.cacheReserved = reserved;
            return;
        }
        f.cacheBlock = block;
        f.cacheReserved = reserved;
        if (reserved) reservedBlocks++;
        f.cachePages += nr;
        pages += nr;
        if (f.memcg != null) f.memcg.swapCachePages(nr);
    }

    /** 4 KiB pages go into the cache. */
    void addRuns(LruFolio f, long[] runs) {
        int n = PageRuns.pages(runs);
        f.cacheRuns = f.cacheRuns == null ? runs : PageRuns.merge(f.cacheRuns, runs);
        f.cachePages += n;
        pages += n;
        if (f.memcg != null) f.memcg.swapCachePages(n);
    }

    /** __remove_mapping() and the free: the cached pages go back to the allocator. Returns how many. */
    long free(LruFolio f) {
        int n = f.cachePages;
        if (n == 0) return 0;
        boolean reserved = f.cacheReserved;
        if (f.cacheCluster >= 0) m.swap.freeCluster((int) f.cacheCluster);   // the last holder of its slots
        if (f.cacheBlock >= 0) m.freeThpBlock(f.cacheBlock);
        if (f.cacheRuns != null && m.pages.freeRuns(f.cacheRuns) > 0) reserved = true;
        clear(f);
        if (reserved) m.reservedBlockFreed();
        else m.memoryFreed();
        return n;
    }

    /** vm_swap_full(): more than half of swap is in use, so slots are freed as soon as they can be. */
    public boolean swapFull() {
        return m.swap.freeSlots() * 2 < m.swap.totalSlots();
    }

    /**
     * A folio mapped back by a read fault stays in the swap cache: its {@code slots} slots (or whole
     * {@code cluster}) are kept, unless swap is half full or the device is synchronous (zram), when they
     * are freed now. The caller has taken the entries off the window.
     */
    public void mappedBack(LruFolio f, long cluster, int slots, boolean write) {
        // should_try_to_free_swap(): mem_cgroup_swap_full() is vm_swap_full() or the cgroup's swap half used
        if (write || swapFull() || m.swap.synchronous() || f == null || (f.memcg != null && f.memcg.swapFull())) {
            if (cluster >= 0) m.swap.freeCluster((int) cluster);
            else m.swap.freeSlots(slots);
            return;
        }
        release(f);
        f.keptCluster = cluster;
        f.keptSlots = slots;
        kept += slots;
        if (f.memcg != null) f.memcg.keptSlots(slots);
    }

    /** folio_free_swap(): the mapped folio leaves the swap cache, its kept slots freed (a write, an unmap). */
    public void release(LruFolio f) {
        if (f == null || f.keptSlots == 0) return;
        if (f.keptCluster >= 0) m.swap.freeCluster((int) f.keptCluster);
        else m.swap.freeSlots(f.keptSlots);
        kept -= f.keptSlots;
        if (f.memcg != null) f.memcg.keptSlots(-f.keptSlots);
        f.keptSlots = 0;
        f.keptCluster = -1;
    }

    /**
     * Reclaim of a clean mapped folio in the swap cache: its pages' swap entries are the kept slots, so it
     * is unmapped and can be freed without a write. Returns the kept cluster (or -1) and forgets it.
     */
    long unmapKept(LruFolio f) {
        long c = f.keptCluster;
        kept -= f.keptSlots;
        if (f.memcg != null) f.memcg.keptSlots(-f.keptSlots);
        f.keptSlots = 0;
        f.keptCluster = -1;
        return c;
    }

    /** A swap-cache hit on a whole THP: its block, now the caller's to map. */
    public long takeBlock(LruFolio f) {
        long b = f.cacheBlock;
        clear(f);
        return b;
    }

    /**
     * 6.1's swap-cache hit on a whole THP mapped copies of its pages (ksm_might_need_to_copy()): the block stays
     * cached, unmapped, and holds {@code cluster} alone until it is freed (SWAP_HAS_CACHE).
     */
    public void copiedOut(LruFolio f, long cluster) {
        f.cacheCluster = cluster;
    }

    /** A swap-cache hit on 4 KiB pages: their runs, now the caller's to map. */
    public long[] takeRuns(LruFolio f) {
        long[] r = f.cacheRuns == null ? PageRuns.NONE : f.cacheRuns;
        clear(f);
        return r;
    }

    /**
     * free_swap_and_cache() when the entries go (an unmap, a fork, a cut): the cached pages are freed with
     * them, and a mapped folio's kept slots.
     */
    public void drop(LruFolio f) {
        if (f == null) return;
        if (f.cached()) free(f);
        release(f);
    }

    private void clear(LruFolio f) {
        pages -= f.cachePages;
        if (f.memcg != null) f.memcg.swapCachePages(-f.cachePages);
        if (f.cacheReserved && f.cacheBlock >= 0) reservedBlocks--;
        f.cacheBlock = -1;
        f.cacheCluster = -1;
        f.cacheRuns = null;
        f.cachePages = 0;
        f.cacheReserved = false;
    }
}
