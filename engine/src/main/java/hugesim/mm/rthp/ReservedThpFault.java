package hugesim.mm.rthp;

import hugesim.mm.Fault;
import hugesim.mm.Geometry;
import hugesim.mm.VmStat;
import hugesim.mm.page.AllocRequest;
import hugesim.mm.page.Allocation;
import hugesim.mm.page.Gfp;
import hugesim.mm.page.PageAlloc;
import hugesim.mm.page.PageAllocator;
import hugesim.mm.swap.SwapDevice;
import hugesim.mm.vma.Mm;
import hugesim.mm.vma.Vma;
import hugesim.sim.Environment;

import java.util.function.ObjLongConsumer;

/**
 * The fault of a reserved VMA (RFC patch 7/8): the PMD order always (rule 43), only from reserved
 * pageblocks of the local node (rule 50), no huge zero page (rule 45), and a miss is VM_FAULT_OOM
 * ({@link Fault#OOM}), never a fallback (rules 44, 47). Also the author's plan for swapping a whole
 * reserved THP back in.
 */
public final class ReservedThpFault {
    private final PageAlloc alloc;
    private final PageAllocator pages;
    private final ReservedThp rthp;
    private final SwapDevice swap;
    private final Environment env;
    private final Geometry geometry;
    private final ObjLongConsumer<VmStat> count;
    private final Runnable reservedBlockFreed;
    private final hugesim.mm.memcg.MemcgCharge memcg;

    public ReservedThpFault(PageAlloc alloc, PageAllocator pages, ReservedThp rthp, SwapDevice swap, Environment env,
                            Geometry geometry, ObjLongConsumer<VmStat> count, Runnable reservedBlockFreed,
                            hugesim.mm.memcg.MemcgCharge memcg) {
        this.memcg = memcg;
        this.alloc = alloc;
        this.pages = pages;
        this.rthp = rthp;
        this.swap = swap;
        this.env = env;
        this.geometry = geometry;
        this.count = count;
        this.reservedBlockFreed = reservedBlockFreed;
    }

    /** An empty window of a reserved VMA: {@link Fault#DONE}, {@link Fault#WAIT} or {@link Fault#OOM}. */
    public int fault(Mm mm, Vma v, int i, Runnable retry) {
        if (!v.windowInside(i)) return Fault.OOM;
        Allocation a = take(mm, retry);
        if (a.ok() && !charged(mm, a.handle())) {
            // rule 47: the charge failing counts as the fallback does, and the fault is VM_FAULT_OOM
            count.accept(VmStat.thp_fault_fallback, 1);
            count.accept(VmStat.thp_fault_fallback_charge, 1);
            return Fault.OOM;
        }
        if (a.ok()) {
            v.mapPmd(i, a.handle());
            v.set(i, Vma.RESERVED_BLOCK);
            mm.addThps(1);
            count.accept(VmStat.thp_fault_alloc, 1);
            if (mm.memcg != null) mm.memcg.thpFaultAlloc();
            return Fault.DONE;
        }
        // the shared allocation helper counts the fallback before the RFC turns it into VM_FAULT_OOM
        count.accept(VmStat.thp_fault_fallback, 1);
        return a.status() == Allocation.Status.WAIT ? Fault.WAIT : Fault.OOM;
    }

    /**
     * The page for a reserved THP: from reserved pageblocks through the allocation entry point, or in the
     * shared pool from HugeTLB's pool (rule 60), where an overcommitted charge reclaims a cold pool THP
     * (swapped out whole, its page back to the pool, rule 63) as the reserved pageblocks' slow path does.
     */
    private Allocation take(Mm mm, Runnable retry) {
        if (!rthp.pooled()) return alloc.allocPages(request(mm, retry));
        long h = rthp.takePoolPage(mm.node);
        if (h >= 0) return new Allocation(Allocation.Status.OK, h, PageAllocator.node(h), geometry.pmdPages(), hugesim.mm.page.PageRuns.NONE);
        boolean reclaiming = rthp.overcommit() && alloc.directReclaim().reclaimReservedThp(mm.node, retry);
        return new Allocation(reclaiming ? Allocation.Status.WAIT : Allocation.Status.FAILED, -1, -1, 0, hugesim.mm.page.PageRuns.NONE);
    }

    /**
     * mem_cgroup_charge() of the reserved THP {@code h} with the reserved fault's mask, which does not
     * reclaim (no VM_HUGEPAGE: rule 50); on failure the page goes back where it came from.
     */
    private boolean charged(Mm mm, long h) {
        if (memcg.tryCharge(mm.memcg, geometry.pmdPages(), true, false, mm.pid, null) == Fault.DONE) return true;
        if (!rthp.putPoolPage(h)) pages.freeBlock(h);
        reservedBlockFreed.run();
        return false;
    }

    /** A reserved THP on the local node; the author's plan lets an overcommitted reserve reclaim. */
    private AllocRequest request(Mm mm, Runnable retry) {
        AllocRequest r = AllocRequest.pmd(mm.node, Gfp.RESERVED_THP | Gfp.THISNODE);
        return rthp.overcommit() ? r.reclaiming(mm.pid, retry) : r;
    }

    /**
     * The author's plan for swapped-out reserved THPs ("swap-in is not guaranteed"): with swapIn 'wait',
     * the THP comes back whole into a reserved block, reclaiming a cold one when none is free (overcommit)
     * and stalling otherwise; with 'fail', the fault is VM_FAULT_OOM until the range is unmapped.
     * Returns {@link Fault#WAIT} or {@link Fault#OOM}.
     */
    public int swapIn(Mm mm, Vma v, int i, Runnable retry) {
        if (rthp.swapIn().equals("fail")) return Fault.OOM;
        Allocation a = take(mm, retry);
        if (!a.ok()) return a.status() == Allocation.Status.WAIT ? Fault.WAIT : Fault.OOM;
        if (!charged(mm, a.handle())) return Fault.OOM;   // mem_cgroup_swapin_charge_folio() failed
        long h = a.handle();
        int nr = geometry.pmdPages();
        int cluster = (int) v.page(i);
        v.set(i, Vma.READING);
        long done = swap.read(env.now(), geometry.pmdSize());
        mm.swapIoInFlight++;
        env.schedule(done, () -> {
            mm.swapIoInFlight--;
            count.accept(VmStat.pswpin, nr);
            count.accept(VmStat.workingset_refault_anon, nr);
            count.accept(VmStat.pgmajfault, 1);
            if (v.dead || mm.exited || !v.is(i, Vma.READING)) {
                if (!rthp.putPoolPage(h)) pages.freeBlock(h);   // released while the read was in flight
                reservedBlockFreed.run();
            } else {
                v.clear(i, Vma.READING);
                swap.freeCluster(cluster);
                v.swapInWhole(i, h);
                v.set(i, Vma.RESERVED_BLOCK);
                mm.addThps(1);
                mm.swapEntries -= nr;
            }
            retry.run();
        });
        return Fault.WAIT;
    }
}
