package hugesim.mm.hugetlb;

import java.util.Arrays;
import java.util.BitSet;

/**
 * A hugetlbfs file (fs/hugetlbfs/inode.c): a memfd created with MFD_HUGETLB, or the hidden file behind a
 * MAP_SHARED|MAP_ANONYMOUS|MAP_HUGETLB mapping. Its pages live in its page cache, not in the mappings,
 * and its reservation map records which indices hold a reservation not yet consumed by a page.
 */
public final class HugetlbFile {
    public final Hstate hstate;
    public final String name;
    private long[] pages = new long[0];
    private final BitSet resv = new BitSet();
    private long size;
    /** Open file descriptors and mappings that keep the file alive. */
    private int refs;

    public HugetlbFile(Hstate hstate, String name) {
        this.hstate = hstate;
        this.name = name;
    }

    public long size() { return size; }

    public void setSize(long bytes) { size = bytes; }

    public void get() { refs++; }

    /** Drops a reference; the last one frees every page and reservation the file holds. */
    public void put() {
        if (--refs > 0) return;
        removeRange(0, Long.MAX_VALUE / hstate.size);
    }

    public long page(long index) {
        return index < pages.length ? pages[(int) index] : -1;
    }

    public void setPage(long index, long handle) {
        if (index >= pages.length) {
            int old = pages.length;
            pages = Arrays.copyOf(pages, (int) Math.max(index + 1, old * 2L));
            Arrays.fill(pages, old, pages.length, -1);
        }
        pages[(int) index] = handle;
    }

    public boolean reserved(long index) { return resv.get((int) index); }

    /**
     * hugetlb_reserve_pages() for a shared mapping of [from, to): reserves the indices that have neither a
     * page nor a reservation (region_chg), surplus pages coming from node {@code nid}'s zonelist first.
     * Returns 0, or -ENOMEM and nothing changes.
     */
    public int reserve(long from, long to, int nid) {
        long need = 0;
        for (long i = from; i < to; i++) if (page(i) < 0 && !reserved(i)) need++;
        int r = hstate.reserve(need, nid);
        if (r != 0) return r;
        for (long i = from; i < to; i++) if (page(i) < 0) resv.set((int) i);
        return 0;
    }

    /**
     * A page for index {@code i} (a fault or fallocate): its reservation is consumed if it has one.
     * Returns the handle, or -1 when the pool has no page for it.
     */
    public long allocate(long i, HugetlbCgroup cg, int nid) {
        long p = page(i);
        if (p >= 0) return p;
        boolean reserved = reserved(i);
        p = hstate.allocForFault(reserved, cg, nid);
        if (p < 0) return -1;
        if (reserved) resv.clear((int) i);
        setPage(i, p);
        return p;
    }

    /**
     * remove_inode_hugepages() for [from, to) in huge pages (truncate, hole punch): pages go back to the
     * pool and reservations not yet consumed are returned. Returns the number of pages freed.
     */
    public long removeRange(long from, long to) {
        long freed = 0, unreserved = 0;
        long end = Math.min(to, Math.max(pages.length, resv.length()));
        for (long i = from; i < end; i++) {
            long p = page(i);
            if (p >= 0) {
                hstate.freePage(p);
                pages[(int) i] = -1;
                freed++;
            }
            if (reserved(i)) {
                resv.clear((int) i);
                unreserved++;
            }
        }
        hstate.unreserve(unreserved);
        return freed;
    }
}
