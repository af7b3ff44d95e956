package hugesim.mm.page;


/**
 * One zone of physical memory, kept per PMD-sized block (mm/page_alloc.c, include/linux/mmzone.h): each
 * block has a migratetype and is either wholly free, held whole (a THP, a HugeTLB page, part of a
 * gigantic page) or broken up for 4 KiB pages. Base pages are counted, never stored. A block is one
 * pageblock, or several when PAGE_BLOCK_MAX_ORDER is below the PMD order (docs/model.md 4.1).
 *
 * <p>Simplification: pages inside broken blocks coalesce perfectly (freeing 512 pages of a type gives a
 * whole free block back), so fragmentation comes only from memory really in use.
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
    private final long[] brokenFree = new long[MigrateType.VALUES.length];
    private final int[] blocksOfType = new int[MigrateType.VALUES.length];
    private final int[] freeCount = new int[MigrateType.VALUES.length];
    private final int[] brokenCount = new int[MigrateType.VALUES.length];
    /** No free block of a type lies below its hint: lowest-first searches start there, not at 0. */
    private final int[] hint = new int[MigrateType.VALUES.length];
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
        for (int t = 0; t < free.length; t++) {
            free[t] = new BlockSet(nrBlocks);
            broken[t] = new BlockSet(nrBlocks);
        }
        // memmap_init() marks every pageblock MIGRATE_MOVABLE
        free[MigrateType.MOVABLE.ordinal()].set(0, nrBlocks);
        freeCount[MigrateType.MOVABLE.ordinal()] = nrBlocks;
        blocksOfType[MigrateType.MOVABLE.ordinal()] = nrBlocks;
        java.util.Arrays.fill(type, (byte) MigrateType.MOVABLE.ordinal());
        managedPages = (long) nrBlocks * blockPages;
        freePages = managedPages;
    }

    private void setFree(int t, int b) {
        if (!free[t].get(b)) {
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
            free[t].clear(b);
            freeCount[t]--;
            if (b == hint[t]) hint[t] = b + 1;   // still nothing free below the hint
        }
    }

    private void setBroken(int t, int b) { if (!broken[t].get(b)) { broken[t].set(b); brokenCount[t]++; } }

    private void clearBroken(int t, int b) { if (broken[t].get(b)) { broken[t].clear(b); brokenCount[t]--; } }

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

    public long min() { return min; }
    public long low() { return low; }
    public long high() { return high; }

    public void setWatermarks(long min, long low, long high) {
        this.min = min;
        this.low = low;
        this.high = high;
    }

    /** Changes a block's migratetype (set_pageblock_migratetype); a free block moves to the new free list. */
    public void setType(int block, MigrateType t) {
        MigrateType old = typeOf(block);
        if (old == t) return;
        if (broken[old.ordinal()].get(block)) throw new IllegalStateException("block " + block + " holds 4 KiB pages");
        boolean wasFree = free[old.ordinal()].get(block);
        clearFree(old.ordinal(), block);
        blocksOfType[old.ordinal()]--;
        type[block] = (byte) t.ordinal();
        blocksOfType[t.ordinal()]++;
        if (wasFree) setFree(t.ordinal(), block);
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

    /**
     * Compaction's view of a block holding 4 KiB pages: its pages move to a free block of the same type
     * outside [lo, hi), so the block becomes free. False when there is no such block.
     */
    public boolean relocateBroken(int block, int lo, int hi) {
        int t = type[block];
        if (!broken[t].get(block)) return false;
        int f = lowestFree(t);
        if (f >= lo && f < hi) f = free[t].nextSetBit(hi);
        if (f < 0) return false;
        clearFree(t, f);
        setBroken(t, f);
        clearBroken(t, block);
        setFree(t, block);
        return true;
    }

    /**
     * Migration's view of a block holding 4 KiB pages when no block of its type is free to take them:
     * its pages leave the type altogether (the caller allocates them elsewhere) and the block becomes
     * free. Returns how many pages left.
     */
    public int evacuate(int block) {
        int t = type[block];
        if (!broken[t].get(block)) return 0;
        long used = pagesInUse(MigrateType.VALUES[t]);
        int moved = (int) Math.min(blockPages, used);
        clearBroken(t, block);
        brokenFree[t] -= blockPages - moved;
        setFree(t, block);
        freePages += moved;
        return moved;
    }

    /**
     * Allocates {@code n} 4 KiB pages of type {@code t}: first from blocks already broken up, then by
     * breaking the lowest free block. All or nothing.
     */
    public boolean allocPages(MigrateType t, long n) {
        int i = t.ordinal();
        long have = brokenFree[i] + (long) freeCount[i] * blockPages;
        if (have < n) return false;
        while (brokenFree[i] < n) {
            int b = lowestFree(i);
            clearFree(i, b);
            setBroken(i, b);
            brokenFree[i] += blockPages;
        }
        brokenFree[i] -= n;
        freePages -= n;
        return true;
    }

    /** Frees 4 KiB pages of type {@code t}; blocks whose pages are all free again become whole free blocks. */
    public void freePages(MigrateType t, long n) {
        int i = t.ordinal();
        brokenFree[i] += n;
        freePages += n;
        long inUse = (long) brokenCount[i] * blockPages - brokenFree[i];
        if (inUse < 0) throw new IllegalStateException("freed more " + t + " pages than were allocated");
        long needed = (inUse + blockPages - 1) / blockPages;
        long surplus = brokenCount[i] - needed;
        for (long k = 0; k < surplus; k++) {
            int b = broken[i].previousSetBit(nrBlocks - 1);
            clearBroken(i, b);
            setFree(i, b);
            brokenFree[i] -= blockPages;
        }
    }

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
