package hugesim.mm.swap;

/**
 * Swap readahead for 4 KiB swap faults (mm/swap_state.c): a fault that misses the swap cache reads its page
 * and, in the same request, up to {@code 1 << vm.page-cluster} pages around it into the swap cache, marked
 * PG_readahead; a later fault finding one there is a minor fault and a readahead hit, and hits widen the next
 * window (__swapin_nr_pages()). Which pages: on a rotational device, an aligned block of swap slots
 * (swap_cluster_readahead(), its state global); otherwise the swap entries around the faulting address in its
 * VMA and page table (swap_vma_readahead(), its state in vma->swap_readahead_info). zram
 * (SWP_SYNCHRONOUS_IO) reads one page per fault past the swap cache (do_swap_page()).
 *
 * <p>The model faults a PTE-mapped window's swap entries at once, so {@link #swapIn} plays the kernel's faults
 * over them one page after another in address order and says what they came to. Simplifications: the window's
 * swap entries are taken to be its first pages, their slots consecutive in address order; a zram entry is
 * taken to have one user (a forked child's shared entries would be read through the swap cache); the reads of
 * a window still take its pages' time at the device's bandwidth, one request or many.
 */
public final class SwapReadahead {
    // vma->swap_readahead_info packs the last fault's address, its window and the hits since (swap_state.c)
    private static final int PAGE_SHIFT = 12, WIN_SHIFT = PAGE_SHIFT / 2;
    private static final long HITS_MASK = (1L << WIN_SHIFT) - 1, HITS_MAX = HITS_MASK;
    private static final long WIN_MASK = ((1L << PAGE_SHIFT) - 1) & ~HITS_MASK;
    /** SWAP_RA_ORDER_CEILING on 64-bit: the VMA window is at most 32 pages whatever page-cluster says. */
    private static final int ORDER_CEILING = 5;
    /** Initial readahead hits is 4, to start up with a small window (GET_SWAP_RA_VAL()). */
    private static final long INITIAL = 4;
    public static final int PAGE_CLUSTER_MAX = 31;

    private final SwapDevice device;
    /** vm.page-cluster: swap_setup() makes it 3 on any machine of 16 MiB or more. */
    private int pageCluster = 3;
    // swapin_nr_pages()'s statics and swapin_readahead_hits, shared by every fault (cluster readahead)
    private long prevOffset;
    private int lastReadaheadPages;
    private int readaheadHits = (int) INITIAL;
    // scratch for one window's faults: read into the swap cache, and marked PG_readahead
    private boolean[] cached = new boolean[0], readahead = new boolean[0];

    SwapReadahead(SwapDevice device) { this.device = device; }

    public int pageCluster() { return pageCluster; }

    /** vm.page-cluster (proc_dointvec_minmax() with 0 and page_cluster_max); false when out of range. */
    public boolean setPageCluster(long value) {
        if (value < 0 || value > PAGE_CLUSTER_MAX) return false;
        pageCluster = (int) value;
        return true;
    }

    /**
     * What faulting {@code n} swapped pages in address order came to: major faults (the misses, each one read
     * request), pages read ahead (swap_ra), readahead hits (swap_ra_hit) and the VMA's new readahead state.
     *
     * @param raInfo   vma->swap_readahead_info before the faults (0: none yet)
     * @param first    the first page's virtual page number; its slots follow in the same order
     * @param vmaStart the VMA's first and end page numbers, and the page table's (the PMD's) first page
     */
    public Result swapIn(long raInfo, long first, int n, long vmaStart, long vmaEnd, long pmdStart, int pmdPages) {
        if (device.synchronous()) return new Result(n, 0, 0, raInfo);   // do_swap_page(): skip swapcache
        if (cached.length < n) { cached = new boolean[n]; readahead = new boolean[n]; }
        java.util.Arrays.fill(cached, 0, n, false);
        java.util.Arrays.fill(readahead, 0, n, false);
        boolean vmaRa = device.kind != SwapKind.HDD;   // swap_use_vma_readahead(): no rotational device in use
        int major = 0, ra = 0, hits = 0;
        long info = raInfo;
        for (int k = 0; k < n; k++) {
            long f = first + k;
            if (cached[k]) {
                // lookup_swap_cache(): a readahead page found is a hit; the VMA's state moves to this address
                boolean wasRa = readahead[k];
                readahead[k] = false;
                if (wasRa) hits++;
                if (vmaRa) {
                    long v = info != 0 ? info : INITIAL;
                    long h = wasRa ? Math.min(hits(v) + 1, HITS_MAX) : hits(v);
                    info = val(f, win(v), h);
                } else if (wasRa) {
                    readaheadHits++;
                }
                continue;
            }
            major++;
            cached[k] = true;
            long lo, hi;   // the pages the request covers, [lo, hi)
            if (vmaRa) {
                int maxWin = 1 << Math.min(pageCluster, ORDER_CEILING);
                if (maxWin == 1) continue;
                // swap_ra_info()
                long v = info != 0 ? info : INITIAL;
                long pfn = addr(v);
                int win = nrPages(pfn, f, (int) hits(v), maxWin, win(v));
                info = val(f, win, 0);
                if (win == 1) continue;
                if (f == pfn + 1) { lo = f; hi = f + win; }
                else if (pfn == f + 1) { lo = f - win + 1; hi = f + 1; }
                else { int left = (win - 1) / 2; lo = f - left; hi = f + win - left; }
                lo = Math.max(lo, Math.max(vmaStart, pmdStart));
                hi = Math.min(hi, Math.min(vmaEnd, pmdStart + pmdPages));
            } else {
                // swapin_nr_pages() and swap_cluster_readahead(): an aligned block of slots around the offset
                int maxPages = 1 << pageCluster;
                if (maxPages <= 1) continue;
                int h = readaheadHits;
                readaheadHits = 0;
                int pages = nrPages(prevOffset, f, h, maxPages, lastReadaheadPages);
                if (h == 0) prevOffset = f;
                lastReadaheadPages = pages;
                long mask = pages - 1;
                if (mask == 0) continue;
                lo = f & ~mask;
                hi = (f | mask) + 1;
            }
            // only this window's entries are taken as swapped: other slots are free (skipped)
            for (long p = Math.max(lo, first); p < Math.min(hi, first + n); p++) {
                int j = (int) (p - first);
                if (cached[j]) continue;
                cached[j] = true;
                readahead[j] = true;
                ra++;
            }
        }
        return new Result(major, ra, hits, info);
    }

    /** __swapin_nr_pages(): the readahead window from the hits since the last one, or from adjacency. */
    static int nrPages(long prevOffset, long offset, int hits, int maxPages, int prevWin) {
        int pages = hits + 2;
        if (pages == 2) {
            // no hits to judge by: an adjacent offset still earns a window of two
            if (offset != prevOffset + 1 && offset != prevOffset - 1) pages = 1;
        } else {
            int roundup = 4;
            while (roundup < pages) roundup <<= 1;
            pages = roundup;
        }
        if (pages > maxPages) pages = maxPages;
        // don't shrink readahead too fast
        int lastRa = prevWin / 2;
        return Math.max(pages, lastRa);
    }

    private static long val(long pfn, long win, long hits) {
        return (pfn << PAGE_SHIFT) | ((win << WIN_SHIFT) & WIN_MASK) | (hits & HITS_MASK);
    }

    private static long addr(long v) { return v >>> PAGE_SHIFT; }

    private static int win(long v) { return (int) ((v & WIN_MASK) >>> WIN_SHIFT); }

    private static long hits(long v) { return v & HITS_MASK; }

    /**
     * @param majorFaults faults that missed the swap cache (pgmajfault), each a read request
     * @param readahead   pages read beyond the faulting ones (swap_ra)
     * @param hits        faults that found a readahead page (swap_ra_hit)
     * @param raInfo      vma->swap_readahead_info after the faults
     */
    public record Result(int majorFaults, int readahead, int hits, long raInfo) {}
}
