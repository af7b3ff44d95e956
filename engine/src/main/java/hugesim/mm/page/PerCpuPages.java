package hugesim.mm.page;

/**
 * A zone's per-CPU list of free unmovable order-0 pages (struct per_cpu_pages, mm/page_alloc.c), from which
 * page tables are taken and to which they are freed. rmqueue_bulk() fills it {@code batch} pages at a time
 * from the buddy lists; pages on it are not in NR_FREE_PAGES (MemFree); free_pcppages_bulk() returns the
 * {@code batch} oldest to the buddy lists when it holds {@code high} or more.
 *
 * <p>Simplifications: one list per node stands for every CPU's (high is the zone's low watermark, as
 * zone_highsize() makes it on a one-CPU node); only page tables use it, other order-0 requests take their
 * pages from the buddy lists at once.
 */
public final class PerCpuPages {
    /** zone_batchsize() (6.1): a quarter of the zone's managed pages / 1024, capped at 1 MiB, as 2^n − 1. */
    final int batch;
    /** Pages, each {@code pfn}; the most recently freed on top (taken first: it is cache-hot). */
    private long[] pages = new long[128];
    private int bottom, top;

    PerCpuPages(long managedPages, int pageSize) {
        long b = Math.min(managedPages >> 10, (1L << 20) / pageSize) / 4;
        b = Math.max(b, 1);
        this.batch = (int) Math.max(1, Long.highestOneBit(b + b / 2) - 1);
    }

    /** Pages on the list (/proc/zoneinfo {@code count}). */
    public int count() { return top - bottom; }

    boolean isEmpty() { return top == bottom; }

    long take() { return pages[--top]; }

    void put(long pfn) {
        if (top == pages.length) {
            if (bottom > pages.length / 2) {
                System.arraycopy(pages, bottom, pages, 0, top - bottom);
                top -= bottom;
                bottom = 0;
            } else {
                pages = java.util.Arrays.copyOf(pages, pages.length * 2);
            }
        }
        pages[top++] = pfn;
    }

    /** The oldest page, leaving the list (free_pcppages_bulk() frees from the tail). */
    long takeOldest() {
        long p = pages[bottom++];
        if (bottom == top) bottom = top = 0;
        return p;
    }
}
