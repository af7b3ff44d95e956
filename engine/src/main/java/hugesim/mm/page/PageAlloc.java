package hugesim.mm.page;

import hugesim.mm.VmStat;
import hugesim.sim.Environment;
import hugesim.sim.WaitQueue;

import java.util.function.ObjLongConsumer;

import static hugesim.mm.page.Allocation.Status.*;

/**
 * The one allocation entry point, as __alloc_pages() in mm/page_alloc.c: the fast path over the zonelist
 * at the low watermark (get_page_from_freelist()), then the slow path (__alloc_pages_slowpath()). Faults
 * of every kind, copy-on-write, migration targets, HugeTLB pool pages and swap-in all allocate here.
 */
public final class PageAlloc {
    private final PageAllocator pages;
    private final int pmdPages;
    private final Environment env;
    private final WaitQueue memoryWaiters;
    private final ObjLongConsumer<VmStat> count;
    private DirectReclaim reclaim;
    private DirectCompaction compaction;

    /** @param memoryWaiters tasks stalled until memory is freed, when neither reclaim nor the OOM killer could help */
    public PageAlloc(PageAllocator pages, int pmdPages, Environment env, WaitQueue memoryWaiters, ObjLongConsumer<VmStat> count) {
        this.pages = pages;
        this.pmdPages = pmdPages;
        this.env = env;
        this.memoryWaiters = memoryWaiters;
        this.count = count;
    }

    /** Reclaim and the OOM killer, which are built on top of the allocator. */
    public void setDirectReclaim(DirectReclaim reclaim) { this.reclaim = reclaim; }

    /** Reclaim, for a pool that is not the buddy allocator's but reclaims as it does (the shared pool's overcommit). */
    public DirectReclaim directReclaim() { return reclaim; }

    /** Direct compaction, built on page migration above the allocator. */
    public void setDirectCompaction(DirectCompaction compaction) { this.compaction = compaction; }

    /** wakeup_kcompactd(), for reclaim, which sits below compaction. */
    public void wakeupKcompactd(int nid, int order) {
        if (compaction != null) compaction.wakeupKcompactd(nid, order);
    }

    /** __alloc_pages(). */
    public Allocation allocPages(AllocRequest r) {
        Allocation a = getPageFromFreelist(r, r.has(Gfp.WMARK_MIN) ? PageAllocator.Mark.MIN : PageAllocator.Mark.LOW);
        if (!a.ok()) a = slowpath(r);
        if (!r.pmd() && reclaim != null) wakeKswapd(r);
        if (a.ok() && reclaim != null && allocKswapd(r) && pages.zone(a.node()).testAndClearBoostedWatermark()) {
            // rmqueue(): a boost set by a fallback wakes kswapd, which may find the node balanced otherwise
            reclaim.wakeupKswapd(a.node(), 0, false);
        }
        return a;
    }

    /**
     * A page for a page table that must not wait: from the per-CPU list, filled at the min watermark, with
     * no reclaim (a fork copying its tables, a second level of table under one fault). {@code node << 48 | pfn}, or -1.
     */
    public long allocPgtableNowait(int nid) {
        return pages.allocPcpPage(nid, PageAllocator.Mark.MIN, false);
    }

    /**
     * drain_all_pages(): every per-CPU list's pages go back to the buddy lists. True when a list held one. It
     * wakes nothing that stalled: the pages were free already, on another list, and a stalled fault woken by
     * each drain could refill a list that the next one drains again, both at the same instant, for ever.
     */
    public boolean drainAllPages() {
        return pages.drainPcp();
    }

    /** Pages came back to the buddy lists: what stalled waiting for memory tries again. */
    private void memoryFreed() {
        while (!memoryWaiters.isEmpty()) memoryWaiters.wakeOne(env);
    }

    /** Whether {@code nid}'s per-CPU list has a page for a table now. */
    public boolean pgtableReady(int nid) { return pages.pcpCount(nid) > 0; }

    /** pte_free(): a page table's page goes back to its per-CPU list (and on to the buddy lists past high). */
    public void freePgtable(long page) {
        if (pages.freePcpPage(page)) memoryFreed();
    }

    /** ALLOC_KSWAPD: order-0 requests in the model, and PMD-order ones with __GFP_KSWAPD_RECLAIM. */
    private static boolean allocKswapd(AllocRequest r) {
        return !r.has(Gfp.RESERVED_THP) && (!r.pmd() || r.has(Gfp.KSWAPD_RECLAIM));
    }

    /**
     * __alloc_pages_slowpath(): the retry at the min watermark, then, when the request may reclaim,
     * direct reclaim and for order 0 the OOM killer. The model's reclaim is asynchronous (swap I/O takes
     * time), so instead of looping here the slow path starts it and the caller's retry runs when it is done.
     */
    private Allocation slowpath(AllocRequest r) {
        if (r.pmd() && r.has(Gfp.KSWAPD_RECLAIM) && reclaim != null) wakeAllKswapds(r);
        if (!r.has(Gfp.WMARK_MIN) && !r.has(Gfp.RESERVED_THP)) {
            Allocation a = getPageFromFreelist(r, PageAllocator.Mark.MIN);
            if (a.ok()) return a;
        }
        if (!r.has(Gfp.DIRECT_RECLAIM)) return Allocation.FAILED;
        if (r.has(Gfp.RESERVED_THP)) {
            // the author's plan for overcommitted Reserved THP: a cold reserved THP goes to swap whole
            return of(reclaim.reclaimReservedThp(r.nid(), r.retry()) ? WAIT : FAILED);
        }
        if (r.pmd() && compaction != null) {
            // __alloc_pages_direct_compact() at INIT_COMPACT_PRIORITY, before reclaim for a costly order
            int order = Integer.numberOfTrailingZeros(pmdPages);
            DirectCompaction.Result c = compaction.tryToCompactPages(r.nid(), order, r.has(Gfp.THISNODE));
            if (c.ran()) {
                Allocation a = c.made() ? getPageFromFreelist(r, PageAllocator.Mark.MIN) : Allocation.FAILED;
                compaction.allocated(r.nid(), order, a.ok());
                if (a.ok()) return a.compacted(c.nanos());
                count.accept(VmStat.allocstall_normal, 1);
                // the failed compaction's time is the caller's too (simplification: a reclaim wait overlaps it)
                return of(reclaim.tryToFreePages(r.nid(), 2L * pmdPages, r.retry()) ? WAIT : FAILED).compacted(c.nanos());
            }
        }
        count.accept(VmStat.allocstall_normal, 1);
        if (r.pmd()) {
            // a costly order: one round of about compact_gap(9) = 1024 pages, then one more attempt by
            // the caller (should_reclaim_retry() does not retry costly orders)
            if (reclaim.tryToFreePages(r.nid(), 2L * pmdPages, r.retry())) return of(WAIT);
            return drainedRetry(r);
        }
        if (reclaim.tryToFreePages(r.nid(), 1, r.retry())) return of(WAIT);
        Allocation drained = drainedRetry(r);
        if (drained.ok()) return drained;
        // __alloc_pages_may_oom()
        int victim = reclaim.outOfMemory();
        if (victim < 0) {
            memoryWaiters.add(r.retry());
            return of(STALL);
        }
        if (victim == r.pid()) return of(KILLED);
        env.schedule(env.now(), r.retry());
        return of(WAIT);
    }

    /**
     * __alloc_pages_direct_reclaim() when reclaim gave no page: drain_all_pages(), the per-CPU lists' pages
     * going back to the buddy lists, and one more attempt at the min watermark.
     */
    private Allocation drainedRetry(AllocRequest r) {
        return drainAllPages() ? getPageFromFreelist(r, PageAllocator.Mark.MIN) : Allocation.FAILED;
    }

    /**
     * wake_all_kswapds() for a PMD-order request with __GFP_KSWAPD_RECLAIM: wakeup_kswapd() on each node
     * of its zonelist (its own only with __GFP_THISNODE).
     */
    private void wakeAllKswapds(AllocRequest r) {
        int nodes = pages.zones().size(), order = Integer.numberOfTrailingZeros(pmdPages);
        for (int k = 0; k < nodes; k++) {
            if (r.has(Gfp.THISNODE) && k > 0) break;
            reclaim.wakeupKswapd((r.nid() + k) % nodes, order, r.has(Gfp.DIRECT_RECLAIM));
        }
    }

    /**
     * wake_all_kswapds(): an order-0 request whose fast path would fail at the low watermark wakes the
     * kswapd of its node. The model checks order-0 requests against min only and takes a window's pages in
     * one request, so the low check is here, after it: its last pages would have found free below low.
     * PMD-order requests wake kswapd only with __GFP_KSWAPD_RECLAIM ({@link #wakeAllKswapds}).
     */
    private void wakeKswapd(AllocRequest r) {
        if (r.has(Gfp.RESERVED_THP)) return;
        Zone z = pages.zone(r.nid());
        boolean cma = !r.has(Gfp.NO_CMA) && !r.has(Gfp.KERNEL);
        if (!z.watermarkOk(0, z.low(), false, cma)) reclaim.wakeupKswapd(r.nid());
    }

    private static Allocation of(Allocation.Status s) { return Allocation.of(s); }

    /**
     * The zonelist of a THP allocation that may use ZONE_NOSPLIT (docs/model.md rule 66): node by node from the
     * preferred one, the node's nosplit blocks (the highest zone, no watermark of its own in the model), then the
     * node's ordinary memory at {@code mark}.
     */
    private Allocation nosplitFirst(AllocRequest r, PageAllocator.Mark mark) {
        int nodes = pages.zones().size();
        for (int k = 0; k < nodes; k++) {
            int nid = (r.nid() + k) % nodes;
            if (k > 0 && r.has(Gfp.THISNODE)) break;
            long h = pages.allocReservedThpBlock(nid, true);
            if (h < 0) h = pages.allocMovableBlock(nid, mark, true);
            if (h >= 0) return new Allocation(OK, h, nid, pages.zone(nid).blockPages, PageRuns.NONE);
        }
        return Allocation.FAILED;
    }

    /** get_page_from_freelist() at watermark {@code mark}. */
    private Allocation getPageFromFreelist(AllocRequest r, PageAllocator.Mark mark) {
        if (r.pmd() && r.has(Gfp.NOSPLIT)) return nosplitFirst(r, mark);
        if (r.pmd()) {
            long h = r.has(Gfp.RESERVED_THP) ? pages.allocReservedThpBlock(r.nid(), r.has(Gfp.THISNODE))
                    : pages.allocMovableBlock(r.nid(), mark, r.has(Gfp.THISNODE));
            if (h < 0) return Allocation.FAILED;
            return new Allocation(OK, h, PageAllocator.node(h), pages.zone(PageAllocator.node(h)).blockPages, PageRuns.NONE);
        }
        if (r.has(Gfp.PGTABLE)) {
            long page = pages.allocPcpPage(r.nid(), mark, r.has(Gfp.THISNODE));
            if (page < 0) return Allocation.FAILED;
            int node = PageRuns.pageNode(page);
            return new Allocation(OK, -1, node, 1, new PageRuns.Builder().add(node, PageRuns.pagePfn(page), 0, 1).build());
        }
        if (r.has(Gfp.KERNEL)) {
            MigrateType t = r.has(Gfp.RECLAIMABLE) ? MigrateType.RECLAIMABLE : MigrateType.UNMOVABLE;
            return pages.allocKernelPages(r.nid(), r.nrPages(), t, mark, r.has(Gfp.THISNODE));
        }
        if (r.has(Gfp.BULK)) return pages.allocUserPagesThisNode(r.nid(), r.nrPages());
        if (r.has(Gfp.NO_CMA)) return pages.allocMovableOnly(r.nid(), r.nrPages(), mark);
        return pages.allocUserPages(r.nid(), r.nrPages(), mark, r.has(Gfp.THISNODE));
    }
}
