package hugesim.mm.filemap;

import hugesim.mm.vma.LruFolio;

/**
 * Page-cache folios of one file over one PMD-sized stretch of it (2 MiB on x86_64): what the model ages on
 * the file LRU lists as one entry, as it ages a window's 4 KiB anonymous pages together. Its pages are
 * movable order-0 pages wherever the allocator placed them. Written only by {@link PageCache} (its pages
 * and state) and mm.reclaim's LRU code (its place on a list).
 */
public final class FileFolio extends LruFolio {
    public final AddressSpace file;
    /** Which stretch of the file: pages [index × stretch, (index + 1) × stretch). */
    public final int index;
    /** Where its pages are ({@link hugesim.mm.page.PageRuns}; offsets count pages within the stretch). */
    long[] runs;
    int pages;
    /** PG_dirty: written and not yet written back (simplification: the stretch is dirty or clean as a whole). */
    boolean dirty;
    /** PG_writeback: its write to the disk is in flight. */
    boolean writeback;
    /** When it was first dirtied since it was last clean (the flusher writes back what is older than dirty_expire). */
    long dirtiedAt;
    /** Gone from the cache (evicted, dropped or truncated) while something still held it. */
    boolean gone;

    FileFolio(AddressSpace file, int index, int node) {
        super(null, 0, node);
        this.file = file;
        this.index = index;
    }

    public int pages() { return pages; }

    public long[] runs() { return runs; }

    public boolean dirty() { return dirty; }

    public boolean writeback() { return writeback; }

    public boolean gone() { return gone; }
}
