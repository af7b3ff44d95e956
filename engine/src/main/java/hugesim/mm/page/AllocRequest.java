package hugesim.mm.page;

/**
 * One call of __alloc_pages(): {@code nrPages} order-0 pages, or one PMD-order block when {@code pmd}.
 *
 * @param pmd       a PMD-order folio (a THP, a HugeTLB page from the buddy allocator) rather than 4 KiB pages
 * @param nrPages   order-0 pages asked for (ignored for a PMD-order request)
 * @param nid       the preferred node (numa_node_id() of the caller, or the migration target)
 * @param gfp       {@link Gfp} flags
 * @param pid       the allocating task, so that the OOM killer can tell whether it chose the caller
 * @param retry     runs when the slow path's reclaim has completed or memory was freed, to try again
 */
public record AllocRequest(boolean pmd, long nrPages, int nid, int gfp, int pid, Runnable retry) {
    public static AllocRequest pmd(int nid, int gfp) {
        return new AllocRequest(true, 0, nid, gfp, 0, null);
    }

    public static AllocRequest pages(long nrPages, int nid, int gfp) {
        return new AllocRequest(false, nrPages, nid, gfp, 0, null);
    }

    /** The request, allowed the slow path's direct reclaim on behalf of task {@code pid}. */
    public AllocRequest reclaiming(int pid, Runnable retry) {
        return new AllocRequest(pmd, nrPages, nid, gfp | Gfp.DIRECT_RECLAIM, pid, retry);
    }

    public boolean has(int flag) { return (gfp & flag) != 0; }
}
