package hugesim.mm.thp;

import hugesim.mm.Fault;
import hugesim.mm.VmStat;
import hugesim.mm.page.AllocRequest;
import hugesim.mm.page.Allocation;
import hugesim.mm.page.Gfp;
import hugesim.mm.page.PageAlloc;
import hugesim.mm.vma.Mm;
import hugesim.mm.vma.Vma;
import hugesim.mm.vma.VmFlags;
import hugesim.sim.Environment;

import java.util.function.ObjLongConsumer;

/**
 * The anonymous THP fault (mm/huge_memory.c do_huge_pmd_anonymous_page(), __thp_vma_allowable_orders(),
 * do_huge_pmd_wp_page() on the huge zero page). A fault it cannot serve with a THP falls back to
 * 4 KiB pages ({@link #FALLBACK}), which the fault path maps.
 */
public final class HugePmdFault {
    /** VM_FAULT_FALLBACK: no THP for this fault, map 4 KiB pages instead. */
    public static final int FALLBACK = -1;

    private final PageAlloc alloc;
    private final ThpSettings thp;
    private final ObjLongConsumer<VmStat> count;
    private final Environment env;
    private boolean hugeZeroPageAllocated;
    /** Whether a THP for this VMA may come from ZONE_NOSPLIT (docs/model.md rule 66). */
    private final java.util.function.Predicate<Vma> mayUseNosplit;
    /** Whether a block is ZONE_NOSPLIT's: its window is marked as holding a reserved-type block. */
    private final java.util.function.LongPredicate nosplit;

    /** The memory controller, which the new THP is charged to. */
    private final hugesim.mm.memcg.MemcgCharge memcg;
    private final int pmdPages;
    /** folio_put() of a THP whose charge failed. */
    private final java.util.function.LongConsumer freeBlock;

    public HugePmdFault(PageAlloc alloc, ThpSettings thp, ObjLongConsumer<VmStat> count, Environment env,
                        java.util.function.Predicate<Vma> mayUseNosplit, java.util.function.LongPredicate nosplit,
                        hugesim.mm.memcg.MemcgCharge memcg, int pmdPages, java.util.function.LongConsumer freeBlock) {
        this.memcg = memcg;
        this.freeBlock = freeBlock;
        this.pmdPages = pmdPages;
        this.mayUseNosplit = mayUseNosplit;
        this.nosplit = nosplit;
        this.env = env;
        this.alloc = alloc;
        this.thp = thp;
        this.count = count;
    }

    /** __thp_vma_allowable_orders(): vma_thp_disabled(), then the sysfs mode and the VMA's advice decide. */
    public boolean allowed(Mm mm, Vma v) {
        if (mm.thpDisabled(v.flags, false)) return false;
        return switch (thp.enabled) {
            case "always" -> true;
            case "madvise" -> v.has(VmFlags.VM_HUGEPAGE);
            default -> false;
        };
    }

    /**
     * do_huge_pmd_anonymous_page() for an empty window wholly inside a VMA that allows THP: read faults
     * map the huge zero page; a write gets a new THP, reclaiming once first when the defrag setting lets
     * this fault (vma_thp_gfp_mask()). Returns {@link Fault#DONE}, {@link Fault#WAIT} or {@link #FALLBACK}.
     */
    public int fault(Mm mm, Vma v, int i, boolean write, Runnable retry) {
        if (!write && thp.useZeroPage) {
            if (!hugeZeroPageAllocated) {
                hugeZeroPageAllocated = true;
                count.accept(VmStat.thp_zero_page_alloc, 1);
            }
            v.mapZeroPage(i);
            return Fault.DONE;
        }
        // one round of direct reclaim per fault: the window remembers it had it until the retry
        boolean reclaimed = v.is(i, Vma.THP_RECLAIMED);
        v.clear(i, Vma.THP_RECLAIMED);
        boolean madvised = v.has(VmFlags.VM_HUGEPAGE);
        AllocRequest r = AllocRequest.pmd(mm.node, (thp.kswapdReclaim(madvised) ? Gfp.KSWAPD_RECLAIM : 0) | gfp(v));
        if (!reclaimed && thp.directReclaim(madvised)) r = r.reclaiming(mm.pid, retry);
        Allocation a = alloc.allocPages(r);
        if (a.compacted()) mm.compactStall(a.stallNanos());
        if (a.ok()) {
            // vma_alloc_anon_folio_pmd(): mem_cgroup_charge() with the fault's mask, which reclaims only when
            // the defrag setting lets this fault reclaim (one round here, as for the allocation)
            int c = memcg.tryCharge(mm.memcg, pmdPages, true, !reclaimed && thp.directReclaim(madvised), mm.pid, retry);
            if (c != Fault.DONE) {
                freeBlock.accept(a.handle());
                if (c == Fault.WAIT) {
                    v.set(i, Vma.THP_RECLAIMED);
                    return Fault.WAIT;
                }
                count.accept(VmStat.thp_fault_fallback, 1);
                count.accept(VmStat.thp_fault_fallback_charge, 1);
                return FALLBACK;
            }
            map(mm, v, i, a.handle());
            if (a.stallNanos() == 0) return Fault.DONE;
            // the fault returns once direct compaction's migrations are done: the retry finds the THP mapped
            env.scheduleIn(a.stallNanos(), retry);
            return Fault.WAIT;
        }
        if (a.status() == Allocation.Status.WAIT) {
            v.set(i, Vma.THP_RECLAIMED);
            return Fault.WAIT;
        }
        if (a.stallNanos() > 0) {
            // a failed compaction with nothing to reclaim: the fault falls back once its migrations are done
            v.set(i, Vma.THP_RECLAIMED);
            env.scheduleIn(a.stallNanos(), retry);
            return Fault.WAIT;
        }
        count.accept(VmStat.thp_fault_fallback, 1);
        return FALLBACK;
    }

    /**
     * do_huge_pmd_wp_page() on the huge zero page: a new THP without reclaim, else the PMD is split and
     * the write falls back to 4 KiB pages. Returns {@link Fault#DONE} or {@link #FALLBACK}.
     */
    public int zeroPageWrite(Mm mm, Vma v, int i) {
        v.unmapZeroPage(i);
        Allocation a = alloc.allocPages(AllocRequest.pmd(mm.node, (thp.kswapdReclaim(v.has(VmFlags.VM_HUGEPAGE)) ? Gfp.KSWAPD_RECLAIM : 0) | gfp(v)));
        boolean charged = a.ok() && memcg.tryCharge(mm.memcg, pmdPages, true, false, mm.pid, null) == Fault.DONE;
        if (charged) {
            map(mm, v, i, a.handle());
            return Fault.DONE;
        }
        if (a.ok()) {
            freeBlock.accept(a.handle());
            count.accept(VmStat.thp_fault_fallback_charge, 1);
        }
        count.accept(VmStat.thp_fault_fallback, 1);
        count.accept(VmStat.thp_split_pmd, 1);
        return FALLBACK;
    }

    private int gfp(Vma v) { return mayUseNosplit.test(v) ? Gfp.NOSPLIT : 0; }

    /** Maps the new order-9 folio {@code h}, movable or ZONE_NOSPLIT's. */
    private void map(Mm mm, Vma v, int i, long h) {
        v.mapPmd(i, h);
        if (nosplit.test(h)) v.set(i, Vma.RESERVED_BLOCK);
        mm.addThps(1);
        count.accept(VmStat.thp_fault_alloc, 1);
        if (mm.memcg != null) mm.memcg.thpFaultAlloc();
    }
}
