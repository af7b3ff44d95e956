package hugesim.mm.page;


/**
 * One zone of physical memory (mm/page_alloc.c, include/linux/mmzone.h), kept per PMD-sized block: each
 * block has a migratetype and is wholly free, held whole (a THP, a HugeTLB page, part of a gigantic page)
 * or broken up for 4 KiB pages, whose places in it the {@link FreeArea} keeps page by page. A block is one
 * pageblock, or several when PAGE_BLOCK_MAX_ORDER is below the PMD order (docs/model.md 4.1).
 *
 * <p>Simplification: all pageblocks of a block share its migratetype, so migratetype claiming and
 * stealing for 4 KiB pages happen per PMD-sized block, not per pageblock.
 */
public final class Zone {
    public final int node;
    public final String name;
    public final int blockPages;
    /** Kernel pageblocks per block, what /proc/pagetypeinfo counts. */
    public final int pageblocksPerBlock;
    public final int nrBlocks;
    private final byte[] type;
    private final BlockSet[] free = new BlockSet[MigrateType.VALUES.length];
    private final BlockSet[] broken = new BlockSet[MigrateType.VALUES.length];
    /** The blocks of each migratetype, for counting a range of blocks by type in a few word operations. */
    private final BlockSet[] ofType = new BlockSet[MigrateType.VALUES.length];
    private final long[] brokenFree = new long[MigrateType.VALUES.length];
    private final int[] blocksOfType = new int[MigrateType.VALUES.length];
    private final int[] freeCount = new int[MigrateType.VALUES.length];
    private final int[] brokenCount = new int[MigrateType.VALUES.length];
    private long changes;
    /** No free block of a type lies below its hint: lowest-first searches start there, not at 0. */
    private final int[] hint = new int[MigrateType.VALUES.length];
    private final FreeArea area;
    /**
     * Pages of each block that neither reclaim nor compaction can move: unmovable and reclaimable kernel
     * allocations, and memory the kernel kept at boot. What try_to_claim_block() counts as "alike" for
     * a non-movable request, and what makes a block uncompactable.
     */
    private final int[] kernelPages;
    private long managedPages;
    private long freePages;
    private long min, low, high;

    /** A zone whose blocks are one pageblock each. */
    public Zone(int node, String name, int nrBlocks, int blockPages) {
        this(node, name, nrBlocks, blockPages, 1);
    }

    public Zone(int node, String name, int nrBlocks, int blockPages, int pageblocksPerBlock) {
        this.node = node;
        this.name = name;
        this.nrBlocks = nrBlocks;
        this.blockPages = blockPages;
        this.pageblocksPerBlock = pageblocksPerBlock;
        this.type = new byte[nrBlocks];
        this.area = new FreeArea(nrBlocks, blockPages);
        this.kernelPages = new int[nrBlocks];
        this.maxOrder = area.orders();
        for (int t = 0; t < free.length; t++) {
            free[t] = new BlockSet(nrBlocks);
            broken[t] = new BlockSet(nrBlocks);
            ofType[t] = new BlockSet(nrBlocks);
        }
        // memmap_init() marks every pageblock MIGRATE_MOVABLE
        free[MigrateType.MOVABLE.ordinal()].set(0, nrBlocks);
        ofType[MigrateType.MOVABLE.ordinal()].set(0, nrBlocks);
        freeCount[MigrateType.MOVABLE.ordinal()] = nrBlocks;
        blocksOfType[MigrateType.MOVABLE.ordinal()] = nrBlocks;
        java.util.Arrays.fill(type, (byte) MigrateType.MOVABLE.ordinal());
        managedPages = (long) nrBlocks * blockPages;
        freePages = managedPages;
    }

    /**
     * A count that moves whenever a block's migratetype, whether it is free or broken, or the pages used in it
     * change: a reader of the block map (the pageblock picture) can skip a zone that has not moved.
     */
    public long changes() { return changes + area.changes; }

    private void setFree(int t, int b) {
        if (!free[t].get(b)) {
            changes++;
            free[t].set(b);
            freeCount[t]++;
            if (b < hint[t]) hint[t] = b;
        }
    }

    /** The lowest free block of type {@code t}, or -1. */
    private int lowestFree(int t) {
        if (freeCount[t] == 0) return -1;   // an empty list costs nothing to search
        int b = free[t].nextSetBit(hint[t]);
        hint[t] = b < 0 ? nrBlocks : b;
        return b;
    }

    private void clearFree(int t, int b) {
        if (free[t].get(b)) {
            changes++;
            free[t].clear(b);
            freeCount[t]--;
            if (b == hint[t]) hint[t] = b + 1;   // still nothing free below the hint
        }
    }

    private void setBroken(int t, int b) { if (!broken[t].get(b)) { broken[t].set(b); brokenCount[t]++; changes++; } }

    private void clearBroken(int t, int b) { if (broken[t].get(b)) { broken[t].clear(b); brokenCount[t]--; changes++; } }

    public MigrateType typeOf(int block) { return MigrateType.VALUES[type[block]]; }

    public long managedPages() { return managedPages; }

    public long freePages() { return freePages; }

    public long freePages(MigrateType t) {
        return (long) freeCount[t.ordinal()] * blockPages + brokenFree[t.ordinal()];
    }

    public int freeBlocks(MigrateType t) { return freeCount[t.ordinal()]; }

    public int blocks(MigrateType t) { return blocksOfType[t.ordinal()]; }

    /** Pageblocks of type {@code t}, as /proc/pagetypeinfo's "Number of blocks type" counts them. */
    public long pageblocks(MigrateType t) { return (long) blocksOfType[t.ordinal()] * pageblocksPerBlock; }

    /** min_wmark_pages(): the min watermark plus the boost, as every watermark check sees it. */
    public long min() { return min + watermarkBoost; }
    public long low() { return low + watermarkBoost; }
    public long high() { return high + watermarkBoost; }

    /** __setup_per_zone_wmarks(): the watermarks, and no boost. */
    public void setWatermarks(long min, long low, long high) {
        this.min = min;
        this.low = low;
        this.high = high;
        this.watermarkBoost = 0;
    }

    /** zone->watermark_boost: raised by fragmenting fallbacks, lowered by kswapd when it has balanced the node. */
    private long watermarkBoost;
    /** ZONE_BOOSTED_WATERMARK: a boost not yet seen by an allocation that may wake kswapd. */
    private boolean boostedWatermark;
    /** vm.watermark_boost_factor, in ten-thousandths of the high watermark. */
    private int watermarkBoostFactor = 15000;

    public long watermarkBoost() { return watermarkBoost; }

    public int watermarkBoostFactor() { return watermarkBoostFactor; }

    public void setWatermarkBoostFactor(int f) { watermarkBoostFactor = f; }

    /** balance_pgdat(): kswapd takes off the boost it saw when it started (zone_boosts[]). */
    public void clearWatermarkBoost(long boost) { watermarkBoost -= Math.min(watermarkBoost, boost); }

    /** rmqueue(): an allocation that may wake kswapd clears ZONE_BOOSTED_WATERMARK; true when it was set. */
    public boolean testAndClearBoostedWatermark() {
        boolean was = boostedWatermark;
        boostedWatermark = false;
        return was;
    }

    /**
     * boost_watermark(): a fallback that may claim another type's pageblock raises the watermarks by a
     * pageblock, up to watermark_boost_factor / 10000 of high (at least a pageblock); not in a zone of
     * fewer than four pageblocks, nor with the factor 0. Sets ZONE_BOOSTED_WATERMARK (the request has ALLOC_KSWAPD).
     */
    private void boostWatermark() {
        if (watermarkBoostFactor == 0) return;
        long pageblock = blockPages / pageblocksPerBlock;
        if (pageblock * 4 > managedPages) return;
        long maxBoost = high * watermarkBoostFactor / 10000;
        if (maxBoost == 0) return;
        maxBoost = Math.max(pageblock, maxBoost);
        watermarkBoost = Math.min(watermarkBoost + pageblock, maxBoost);
        boostedWatermark = true;
    }

    /** Changes a block's migratetype (set_pageblock_migratetype); a free block moves to the new free list. */
    public void setType(int block, MigrateType t) {
        MigrateType old = typeOf(block);
        if (old == t) return;
        if (broken[old.ordinal()].get(block)) {
            // move_freepages_block(): the block's free pages go with it to the new type's lists
            long free = blockPages - area.usedIn(block);
            clearBroken(old.ordinal(), block);
            brokenFree[old.ordinal()] -= free;
            blocksOfType[old.ordinal()]--;
            retype(block, old, t);
            blocksOfType[t.ordinal()]++;
            setBroken(t.ordinal(), block);
            brokenFree[t.ordinal()] += free;
            area.retype(block, old.ordinal(), t.ordinal());
            return;
        }
        boolean wasFree = free[old.ordinal()].get(block);
        clearFree(old.ordinal(), block);
        blocksOfType[old.ordinal()]--;
        retype(block, old, t);
        blocksOfType[t.ordinal()]++;
        if (wasFree) setFree(t.ordinal(), block);
    }

    private void retype(int block, MigrateType from, MigrateType to) {
        changes++;
        type[block] = (byte) to.ordinal();
        ofType[from.ordinal()].clear(block);
        ofType[to.ordinal()].set(block);
    }

    /** Takes the lowest-addressed wholly free block of type {@code t}, or returns -1. */
    public int takeBlock(MigrateType t) {
        int b = lowestFree(t.ordinal());
        if (b >= 0) {
            clearFree(t.ordinal(), b);
            freePages -= blockPages;
        }
        return b;
    }

    /** Takes a specific block if it is wholly free. */
    public boolean takeBlock(int block) {
        if (!free[type[block]].get(block)) return false;
        clearFree(type[block], block);
        freePages -= blockPages;
        return true;
    }

    public boolean isFreeBlock(int block) { return free[type[block]].get(block); }

    /** Gives a block held whole back to its type's free list. */
    public void putBlock(int block) {
        if (free[type[block]].get(block)) throw new IllegalStateException("block " + block + " freed twice");
        setFree(type[block], block);
        freePages += blockPages;
    }

    /** Takes a block out of the buddy allocator for good (memblock allocations at boot). */
    public void removeFromManaged(int block) {
        if (!takeBlock(block)) throw new IllegalStateException("block " + block + " is not free");
        managedPages -= blockPages;
    }

    /** A block taken out at boot comes back to the buddy allocator (a boot HugeTLB page freed). */
    public void returnToManaged(int block) {
        managedPages += blockPages;
        putBlock(block);
    }

    public boolean isBroken(int block) { return broken[type[block]].get(block); }

    /** Receives the pages an allocation took: runs of zone-relative page numbers. */
    public interface Runs {
        void add(long pfn, int len);
    }

    /**
     * Takes {@code n} 4 KiB pages of type {@code t} (__rmqueue_smallest() once per page): each from the
     * lowest free chunk of the smallest order that has one, breaking the lowest wholly free block when no
     * broken block of the type has a free page. All or nothing.
     */
    public boolean allocPages(MigrateType t, long n, Runs out) {
        int i = t.ordinal();
        if (brokenFree[i] + (long) freeCount[i] * blockPages < n) return false;
        for (long left = n; left > 0; ) {
            int o = smallestOrder(i);
            int b, at, k;
            if (o < 0) {
                b = lowestFree(i);
                clearFree(i, b);
                setBroken(i, b);
                area.open(b, i);
                brokenFree[i] += blockPages;
                k = (int) Math.min(left, blockPages);
                at = 0;
                area.mark(b, i, 0, k, true);
            } else {
                b = area.blockWithChunk(i, o);
                k = (int) Math.min(left, 1L << o);
                at = area.takeFromChunk(b, i, o, k);
            }
            brokenFree[i] -= k;
            freePages -= k;
            left -= k;
            out.add((long) b * blockPages + at, k);
        }
        return true;
    }

    private int smallestOrder(int t) {
        for (int o = 0; o < area.orders(); o++) if (area.nrFree(t, o) > 0) return o;
        return -1;
    }

    /**
     * Frees pages [pfn, pfn + len) (__free_one_page(): they merge with free buddies); a block whose pages
     * are all free again is a wholly free block. Returns how many were in MIGRATE_RESERVED_THP blocks.
     */
    public int freeRun(long pfn, int len) {
        int reserved = 0;
        while (len > 0) {
            int b = (int) (pfn / blockPages), at = (int) (pfn % blockPages);
            int k = Math.min(len, blockPages - at);
            if (type[b] == MigrateType.RESERVED_THP.ordinal()) reserved += k;
            freeInBlock(b, at, k);
            pfn += k;
            len -= k;
        }
        return reserved;
    }

    private void freeInBlock(int b, int at, int len) {
        int t = type[b];
        if (!broken[t].get(b)) throw new IllegalStateException("pages of block " + b + " freed, but it holds no 4 KiB pages");
        area.mark(b, t, at, len, false);
        brokenFree[t] += len;
        freePages += len;
        if (area.usedIn(b) == 0) {
            area.close(b, t);
            clearBroken(t, b);
            brokenFree[t] -= blockPages;
            setFree(t, b);
        }
    }

    /**
     * split_folio() in place: the folio held whole in {@code block} becomes the 4 KiB pages {@code mapped}
     * marks (one bit per page), and the rest of the block is free.
     */
    public void splitBlock(int block, long[] mapped) {
        int t = type[block];
        int n = 0;
        for (long w : mapped) n += Long.bitCount(w);
        if (n == 0) { putBlock(block); return; }
        setBroken(t, block);
        area.open(block, t);
        for (int p = 0; p < blockPages; p++) {
            if ((mapped[p >>> 6] & (1L << p)) == 0) continue;
            int e = p;
            while (e < blockPages && (mapped[e >>> 6] & (1L << e)) != 0) e++;
            area.mark(block, t, p, e - p, true);
            p = e;
        }
        brokenFree[t] += blockPages - n;
        freePages += blockPages - n;
    }

    /**
     * isolate_freepages_block(): up to {@code n} free pages of broken block {@code block}, lowest first, as
     * order-0 pages for migration targets. Returns how many were taken.
     */
    public int takeFreeInBlock(int block, int n, Runs out) {
        int t = type[block];
        if (!broken[t].get(block)) return 0;
        int k = Math.min(n, blockPages - area.usedIn(block));
        if (k == 0) return 0;
        long base = (long) block * blockPages;
        area.takeFree(block, t, k, (p, len) -> out.add(base + p, len));
        brokenFree[t] -= k;
        freePages -= k;
        return k;
    }

    /** The highest broken block of type {@code t} at or below {@code from} (the free scanner's next), or -1. */
    public int prevBroken(MigrateType t, int from) {
        return from < 0 ? -1 : broken[t.ordinal()].previousSetBit(Math.min(from, nrBlocks - 1));
    }

    /** The lowest broken block of type {@code t} at or above {@code from} (the migrate scanner's next), or -1. */
    public int nextBroken(MigrateType t, int from) {
        return from >= nrBlocks ? -1 : broken[t.ordinal()].nextSetBit(from);
    }

    /** Whether page {@code pfn} is in use as a 4 KiB page. */
    public boolean pageInUse(long pfn) {
        int b = (int) (pfn / blockPages);
        return broken[type[b]].get(b) && area.isUsed(b, (int) (pfn % blockPages));
    }

    /** 4 KiB pages in use in a broken block. */
    public int pagesInUse(int block) { return isBroken(block) ? area.usedIn(block) : 0; }

    /** Pages of block {@code b} held by the kernel (never moved by compaction or reclaim). */
    public int kernelPagesIn(int b) { return kernelPages[b]; }

    /**
     * memblock_reserve() of a whole block at boot: it leaves the buddy allocator and the zone's managed
     * pages (MemTotal). Its type becomes MIGRATE_UNMOVABLE, as 6.1's /proc/pagetypeinfo shows memory kept at
     * boot: reserve_bootmem_region() initialises those pages without setting a pageblock type (0).
     */
    public void reserveBlock(int block) {
        setType(block, MigrateType.UNMOVABLE);
        removeFromManaged(block);
    }

    /**
     * memblock_reserve() of the top {@code n} pages of a wholly free block: they are never free and not
     * managed; the rest of the block is free unmovable memory.
     */
    public void reservePages(int block, int n) {
        setType(block, MigrateType.UNMOVABLE);
        int t = MigrateType.UNMOVABLE.ordinal();
        if (!takeBlock(block)) throw new IllegalStateException("block " + block + " is not free");
        setBroken(t, block);
        area.open(block, t);
        area.mark(block, t, blockPages - n, n, true);
        brokenFree[t] += blockPages - n;
        freePages += blockPages - n;
        managedPages -= n;
        kernelPages[block] += n;
    }

    /** fallbacks[] of mm/page_alloc.c for the two non-movable types. */
    private static final MigrateType[] UNMOVABLE_FALLBACKS = {MigrateType.RECLAIMABLE, MigrateType.MOVABLE};
    private static final MigrateType[] RECLAIMABLE_FALLBACKS = {MigrateType.UNMOVABLE, MigrateType.MOVABLE};

    /**
     * {@code n} order-0 pages for a kernel allocation of type {@code start} (MIGRATE_UNMOVABLE or
     * MIGRATE_RECLAIMABLE), as __rmqueue() of Linux 6.15 takes them page by page: its own free lists
     * (__rmqueue_smallest()), else __rmqueue_claim(): from MAX_PAGE_ORDER down, the first fallback type
     * with a free chunk of that order; a chunk of a block or more becomes {@code start} whole
     * (change_pageblock_range()), a smaller one claims its block only when its free and non-movable pages
     * make half of it (try_to_claim_block()); else __rmqueue_steal(): the smallest fallback chunk is taken
     * and its block keeps its type, polluted. Never from CMA, MIGRATE_RESERVED_THP or ISOLATE blocks
     * (fallbacks[] names only the three PCP types; RFC patch 1/8). All or nothing.
     * Simplification: a steal takes the chunk's pages for as many pages as it has rather than retrying the
     * claim before each.
     */
    public boolean allocKernel(MigrateType start, long n, Runs out) {
        MigrateType[] fallbacks = start == MigrateType.UNMOVABLE ? UNMOVABLE_FALLBACKS : RECLAIMABLE_FALLBACKS;
        if (kernelUsable(start) < n) return false;
        Runs counted = (pfn, len) -> {
            kernelPages[(int) (pfn / blockPages)] += len;
            out.add(pfn, len);
        };
        int s = start.ordinal();
        for (long left = n; left > 0; ) {
            long own = freePages(start);
            if (own > 0) {
                long k = Math.min(left, own);
                allocPages(start, k, counted);
                left -= k;
            } else if (!claim(start, fallbacks)) {
                left -= steal(s, fallbacks, left, counted);
            }
        }
        return true;
    }

    /** Free pages a kernel allocation of type {@code start} may take: its own and its fallbacks'. */
    public long kernelUsable(MigrateType start) {
        MigrateType[] fallbacks = start == MigrateType.UNMOVABLE ? UNMOVABLE_FALLBACKS : RECLAIMABLE_FALLBACKS;
        long usable = freePages(start);
        for (MigrateType t : fallbacks) usable += freePages(t);
        return usable;
    }

    /** __rmqueue_claim(): true when a block (or a chunk of blocks) became {@code start}. */
    private boolean claim(MigrateType start, MigrateType[] fallbacks) {
        int blockOrder = area.orders();
        for (int order = maxOrder; order >= 0; order--) {
            for (MigrateType t : fallbacks) {
                if (order >= blockOrder) {
                    int head = freeChunkHead(t, order);
                    if (head < 0) continue;
                    // try_to_claim_block(): a free chunk of pageblock order or more changes type whole
                    for (int b = head; b < head + (1 << (order - blockOrder)); b++) setType(b, start);
                    return true;
                }
                int b = area.blockWithChunk(t.ordinal(), order);
                if (b < 0) continue;
                // try_to_claim_block() below the pageblock order: boost_watermark() first, claimed or not
                boostWatermark();
                // find_suitable_fallback() names the first type with a chunk of this order: its list head
                int free = blockPages - area.usedIn(b);
                int alike = t == MigrateType.MOVABLE ? kernelPages[b] : 0;
                if (free + alike >= blockPages / 2) {
                    setType(b, start);
                    return true;
                }
                break;
            }
        }
        return false;
    }

    /** The lowest wholly free block of type {@code t} that heads a free chunk of exactly {@code order}, or -1. */
    private int freeChunkHead(MigrateType t, int order) {
        BlockSet f = free[t.ordinal()];
        for (int b = f.nextSetBit(hint[t.ordinal()]); b >= 0; b = f.nextSetBit(b + 1)) {
            if (chunkOrder(b) == order) return b;
        }
        return -1;
    }

    /**
     * __rmqueue_steal(): up to {@code want} pages of the smallest free chunk of a fallback type, taken from
     * a block broken up for 4 KiB pages; its block keeps its type. Returns how many were taken.
     */
    private long steal(int start, MigrateType[] fallbacks, long want, Runs out) {
        for (int order = 0; order < area.orders(); order++) {
            for (MigrateType t : fallbacks) {
                int i = t.ordinal();
                int b = area.blockWithChunk(i, order);
                if (b < 0) continue;
                int k = (int) Math.min(want, 1L << order);
                int at = area.takeFromChunk(b, i, order, k);
                brokenFree[i] -= k;
                freePages -= k;
                out.add((long) b * blockPages + at, k);
                return k;
            }
        }
        throw new IllegalStateException("free pages counted for a kernel allocation could not be taken");
    }

    /** Frees kernel pages [pfn, pfn + len): the blocks they were in hold that many fewer. */
    public void freeKernelRun(long pfn, int len) {
        for (long p = pfn, left = len; left > 0; ) {
            int b = (int) (p / blockPages);
            int k = (int) Math.min(left, blockPages - p % blockPages);
            kernelPages[b] -= k;
            p += k;
            left -= k;
        }
        freeRun(pfn, len);
    }

    /**
     * Adds this zone's blocks to rows of {@code perRow} blocks, its first block being block {@code offset} of
     * the rows' numbering: per row, the blocks of each migratetype ({@code typeCount[row * types + t]}, types
     * as in {@link MigrateType#VALUES}), the free blocks ({@code freeBlocks[row]}) and the pages free in broken
     * blocks ({@code brokenFree[row]}).
     */
    public void countByRow(int offset, int perRow, int[] typeCount, int[] freeBlocks, long[] brokenFree) {
        int types = free.length;
        for (int t = 0; t < types; t++) {
            ofType[t].countByRow(offset, perRow, typeCount, types, t);
            free[t].countByRow(offset, perRow, freeBlocks, 1, 0);
            for (int b = broken[t].nextSetBit(0); b >= 0; b = broken[t].nextSetBit(b + 1)) {
                brokenFree[(offset + b) / perRow] += blockPages - area.usedIn(b);
            }
        }
    }

    /**
     * Free chunks of {@code order} of type {@code t} (a row of /proc/pagetypeinfo). Orders at or above the
     * block order count wholly free blocks, two aligned ones of mergeable types as one chunk of the order above.
     */
    public long nrFree(MigrateType t, int order) {
        int blockOrder = area.orders();
        if (order < blockOrder) return area.nrFree(t.ordinal(), order);
        long n = 0;
        for (int b = free[t.ordinal()].nextSetBit(0); b >= 0; b = free[t.ordinal()].nextSetBit(b + 1)) {
            if (chunkOrder(b) == order) n++;
        }
        return n;
    }

    /** The order of the free chunk wholly free block {@code b} heads, or belongs to when it is not its head (-1). */
    private int chunkOrder(int b) {
        int blockOrder = area.orders();
        int order = blockOrder;
        while (order < maxOrder) {
            int size = 1 << (order - blockOrder + 1);
            int head = b & -size;
            if (head + size > nrBlocks || !allFreeMergeable(head, size)) break;
            order++;
        }
        int head = b & -(1 << (order - blockOrder));
        return head == b ? order : -1;
    }

    private boolean allFreeMergeable(int from, int n) {
        int t0 = type[from];
        for (int b = from; b < from + n; b++) {
            if (!free[type[b]].get(b)) return false;
            // migratetype_is_mergeable(): only the types below MIGRATE_PCPTYPES merge across pageblocks
            if (type[b] != t0 && (type[b] > MigrateType.RECLAIMABLE.ordinal() || t0 > MigrateType.RECLAIMABLE.ordinal())) return false;
        }
        return true;
    }

    /** MAX_PAGE_ORDER: the largest buddy order (10 on x86_64). */
    private int maxOrder;

    public void setMaxOrder(int maxOrder) { this.maxOrder = Math.max(maxOrder, area.orders()); }

    public int maxOrder() { return maxOrder; }

    /** 4 KiB pages of type {@code t} in use. */
    public long pagesInUse(MigrateType t) {
        return (long) brokenCount[t.ordinal()] * blockPages - brokenFree[t.ordinal()];
    }

    /**
     * __zone_watermark_ok(): free pages minus what this request may not use must stay above {@code mark}.
     * Free reserved-THP pages are unusable to all but ALLOC_RESERVED_THP requests (RFC patch 3/8, rule 14),
     * free CMA pages to all but movable requests.
     */
    public boolean watermarkOk(int order, long mark, boolean allocReservedThp, boolean allocCma) {
        long f = freePages - ((1L << order) - 1);
        if (!allocReservedThp) f -= freePages(MigrateType.RESERVED_THP);
        if (!allocCma) f -= freePages(MigrateType.CMA);
        return f > mark;
    }

    /** Free pages an ordinary (non-reserved-THP) allocation of this kind could use. */
    public long usableFree(boolean allocCma) {
        long f = freePages - freePages(MigrateType.RESERVED_THP);
        if (!allocCma) f -= freePages(MigrateType.CMA);
        return f;
    }
}
