package hugesim.mm.hugetlb;

import hugesim.uapi.Errno;

import java.util.Arrays;
import java.util.BitSet;

/**
 * A hugetlbfs file (fs/hugetlbfs/inode.c): a memfd created with MFD_HUGETLB, or the hidden file behind a
 * MAP_SHARED|MAP_ANONYMOUS|MAP_HUGETLB mapping. Its pages live in its page cache, not in the mappings,
 * and its reservation map records which indices hold a reservation not yet consumed by a page.
 *
 * <p>A pool file of the memPool design (docs/model.md 9, rules 80-84; memfd_create(MFD_POOL)) reserves
 * its size rather than its mappings: each index's reservation is held on a node, and the file's reservations
 * and pages are charged to its memory cgroup's pool counter.
 */
public final class HugetlbFile implements hugesim.mm.Inode {
    public final Hstate hstate;
    public final String name;
    private long[] pages = new long[0];
    private final BitSet resv = new BitSet();
    private long size;
    /** Open file descriptors and mappings that keep the file alive. */
    private int refs;
    /** A pool file's charge (memory.pool.current of its cgroup), null for a hugetlbfs file. */
    private final PoolCharge charge;
    /** A pool file's node for each index's reservation or page. */
    private byte[] nid = new byte[0];

    /**
     * The memory cgroup counter a pool file charges (memory.pool.current, docs/model.md rule 82), one per
     * page reserved or allocated; {@link #tryCharge} refuses over the cgroup's memory.pool.max.
     */
    public interface PoolCharge {
        boolean tryCharge(long pages);

        void uncharge(long pages);

        /** The root cgroup: no limit, nothing counted. */
        PoolCharge ROOT = new PoolCharge() {
            public boolean tryCharge(long pages) { return true; }

            public void uncharge(long pages) {}
        };
    }

    public HugetlbFile(Hstate hstate, String name) {
        this(hstate, name, null);
    }

    /** A pool file ({@code charge} non-null) or a hugetlbfs file. */
    public HugetlbFile(Hstate hstate, String name, PoolCharge charge) {
        this.hstate = hstate;
        this.name = name;
        this.charge = charge;
    }

    /** Whether this is a memPool file (docs/model.md 9): it reserves its size, not its mappings. */
    public boolean pool() { return charge != null; }

    public long size() { return size; }

    public void setSize(long bytes) { size = bytes; }

    @Override
    public void get() { refs++; }

    /** Drops a reference; the last one frees every page and reservation the file holds. */
    @Override
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

    /** Indices holding a reservation not yet consumed by a page. */
    public long reservations() { return resv.cardinality(); }

    /** A pool file's reservations held on node {@code node}. */
    public long reservationsOn(int node) {
        long n = 0;
        for (int i = resv.nextSetBit(0); i >= 0; i = resv.nextSetBit(i + 1)) if (nid[i] == node) n++;
        return n;
    }

    /** The pages in the file's page cache. */
    public java.util.List<Long> pages() {
        java.util.List<Long> l = new java.util.ArrayList<>();
        for (long p : pages) if (p >= 0) l.add(p);
        return l;
    }

    /** Whether a pool file's pages and reservations are charged to a memory cgroup (rule 82): not one made in the root. */
    public boolean chargedToCgroup() { return charge != null && charge != PoolCharge.ROOT; }

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
        if (pool()) return allocatePool(i, cg, nid);
        boolean reserved = reserved(i);
        p = hstate.allocForFault(reserved, cg, nid);
        if (p < 0) return -1;
        if (reserved) resv.clear((int) i);
        setPage(i, p);
        return p;
    }

    /**
     * A pool file's page for index {@code i} (rule 83): its reservation's page from the node it is held on;
     * an index with no reservation (a hole punched) is charged and takes a free page no node's reservation
     * claims, local node first. -1: SIGBUS.
     */
    private long allocatePool(long i, HugetlbCgroup cg, int node) {
        long p;
        if (reserved(i)) {
            p = hstate.allocReserved(nid[(int) i], cg);
            if (p < 0) return -1;
            resv.clear((int) i);
        } else {
            if (!charge.tryCharge(1)) return -1;
            p = hstate.allocForFault(false, cg, node);
            if (p < 0) {
                charge.uncharge(1);
                return -1;
            }
        }
        setPage(i, p);
        setNid(i, hstate.nid(p));
        return p;
    }

    /**
     * A pool file reserves [from, to) (rule 81: its size grew, or fallocate reached beyond it): the indices
     * with neither a page nor a reservation, all or nothing, on node {@code node} alone or, with
     * {@code spill}, on the nodes of its zonelist in turn, charged first (rule 82). Returns 0, -ENOMEM over
     * the cgroup's memory.pool.max, or -ENOSPC when the pool cannot hold them; nothing changes on an error.
     */
    public int reservePool(long from, long to, int node, boolean spill) {
        long need = 0;
        for (long i = from; i < to; i++) if (page(i) < 0 && !reserved(i)) need++;
        if (need == 0) return 0;
        // hugetlb_reserve_pages() charges the cgroup before it asks the pool
        if (!charge.tryCharge(need)) return -Errno.ENOMEM;
        int nodes = hstate.nodes();
        long[] take = new long[nodes];
        long left = need, room = hstate.free() - hstate.resv();
        for (int k = 0; k < (spill ? nodes : 1) && left > 0; k++) {
            int n = (node + k) % nodes;
            take[n] = Math.min(left, Math.min(room, hstate.unclaimed(n)));
            left -= take[n];
            room -= take[n];
        }
        if (left > 0) {
            charge.uncharge(need);
            return -Errno.ENOSPC;
        }
        for (int n = 0; n < nodes; n++) {
            if (hstate.reserveOnNode(take[n], n) != 0) throw new IllegalStateException("node " + n + " cannot hold " + take[n] + " reservations");
        }
        int n = 0;
        for (long i = from; i < to; i++) {
            if (page(i) >= 0 || reserved(i)) continue;
            while (take[n] == 0) n++;
            take[n]--;
            resv.set((int) i);
            setNid(i, n);
        }
        return 0;
    }

    private void setNid(long i, int node) {
        if (i >= nid.length) nid = Arrays.copyOf(nid, (int) Math.max(i + 1, nid.length * 2L));
        nid[(int) i] = (byte) node;
    }

    /**
     * remove_inode_hugepages() for [from, to) in huge pages (truncate, hole punch): pages go back to the
     * pool and reservations not yet consumed are returned (a pool file's to their nodes, its charge with
     * them). Returns the number of pages freed.
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
                if (pool()) hstate.unreserveOnNode(1, nid[(int) i]);
            }
        }
        if (pool()) charge.uncharge(freed + unreserved);
        else hstate.unreserve(unreserved);
        return freed;
    }
}
