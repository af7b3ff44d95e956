package hugesim.mm.shmem;

import hugesim.mm.memcg.MemCgroup;
import hugesim.mm.page.PageRuns;

/**
 * What a shmem file holds at one PMD-sized index: one THP (a PMD-order folio), or 4 KiB folios, which the
 * model keeps together as it keeps an anonymous window's (counted and placed, not tracked page by page).
 * Written only by {@link Shmem}.
 */
public final class ShmemFolio {
    public final ShmemFile file;
    /** Which stretch of the file: pages [index × HPAGE_PMD_NR, (index + 1) × HPAGE_PMD_NR). */
    public final long index;
    /** The THP's block handle, or -1 for 4 KiB folios. */
    long block = -1;
    /** Where the 4 KiB folios are ({@link PageRuns}). */
    long[] runs = PageRuns.NONE;
    int pages;
    /** The memory cgroup the pages are charged to (the allocating task's), or null: the root. */
    MemCgroup memcg;
    /** PMD mappings of the THP, over every process (its entire mapcount). */
    int pmdMaps;

    ShmemFolio(ShmemFile file, long index) {
        this.file = file;
        this.index = index;
    }

    /** Whether it is a THP. */
    public boolean huge() { return block >= 0; }

    /** Pages held: HPAGE_PMD_NR for a THP. */
    public int pages() { return pages; }

    public long block() { return block; }

    public long[] runs() { return runs; }
}
