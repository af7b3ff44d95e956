package hugesim.mm.memory;

import hugesim.mm.hugetlb.Hstate;
import hugesim.mm.hugetlb.HugetlbFile;
import hugesim.mm.page.AllocRequest;
import hugesim.mm.page.Allocation;
import hugesim.mm.page.Gfp;
import hugesim.mm.reclaim.Reclaim;
import hugesim.mm.vma.Mm;
import hugesim.mm.vma.Vma;
import hugesim.mm.vma.VmFlags;
import hugesim.mm.model.MemoryModel;
import hugesim.mm.VmStat;
import hugesim.mm.Fault;

/**
 * The page-fault path for one PMD window (mm/memory.c handle_mm_fault, mm/huge_memory.c
 * do_huge_pmd_anonymous_page, mm/hugetlb.c hugetlb_fault, the RFC's patch 7/8 for reserved VMAs).
 *
 * <p>Simplification: a fault maps the whole window: every base page of it for 4 KiB faults.
 */
public final class Memory {
    private final MemoryModel m;
    private final Reclaim reclaim;
    private final Cow cow;
    private final java.util.function.Supplier<java.util.List<Mm>> processes;

    /** @param processes live processes, for HugeTLB COW to unmap a page from the owner's children */
    public Memory(MemoryModel m, Reclaim reclaim, java.util.function.Supplier<java.util.List<Mm>> processes) {
        this.m = m;
        this.reclaim = reclaim;
        this.cow = new Cow(m);
        this.processes = processes;
    }

    /**
     * Faults window {@code i} of {@code v} in.
     *
     * @param retry runs when a WAIT or STALL is over, to fault again
     * @param user  a user fault (may stall on VM_FAULT_OOM) rather than a kernel-initiated one (gets OOM)
     * @return one of {@link Fault}'s codes
     */
    public int fault(Mm mm, Vma v, int i, boolean write, Runnable retry, boolean user) {
        if (v.underIo(i)) {
            // folio_wait_writeback(): the window is under swap I/O; look again a millisecond later
            m.env.scheduleIn(WRITEBACK_POLL_NANOS, retry);
            return Fault.WAIT;
        }
        // a HugeTLB child whose page the owner took back on COW (HPAGE_RESV_UNMAPPED)
        if (v.is(i, Vma.UNMAPPED)) return Fault.SIGBUS;
        if (m.sharers(v.share[i]) > 1 && (write || v.swp[i] > 0 || missingPages(v, i))) {
            // a window shared after fork that this fault would change: this side gets its own copy
            // first (a write, a swap-in, pages added), then the fault goes on in the private window
            if (v.kind[i] == Vma.HUGETLB) return copyOnWrite(mm, v, i, retry);
            Allocation.Status s = cow.copy(mm, v, i, retry);
            if (s != Allocation.Status.OK) return fault(s);
        }
        if (v.has(VmFlags.VM_HUGETLB)) return hugetlbFault(mm, v, i, write);
        switch (v.kind[i]) {
            case Vma.PMD_THP:
            case Vma.HUGETLB:
                return Fault.DONE;
            case Vma.ZERO_THP:
                if (!write) return Fault.DONE;
                return zeroPageWrite(mm, v, i, retry, user);
            case Vma.PTE:
                return pteFault(mm, v, i, retry, user);
            case Vma.PTE_THP:
                if (!missingPages(v, i)) return Fault.DONE;
                if (v.has(VmFlags.VM_RESERVED_THP)) return vmFaultOom(retry, user);   // rule 52
                m.deferredSplit.toBasePages(mm, v, i);
                return pteFault(mm, v, i, retry, user);
            default:
                break;
        }
        if (v.has(VmFlags.VM_RESERVED_THP)) {
            // no PMD order allowed (PR_SET_THP_DISABLE completely): do_anonymous_page() is VM_FAULT_OOM (rule 43)
            if (mm.thpDisabled(v.flags, false)) return vmFaultOom(retry, user);
            return reservedThpFault(mm, v, i, retry, user);
        }
        if (thpAllowed(mm, v) && v.windowInside(i)) {
            if (!write && m.thp.useZeroPage) {
                // do_huge_pmd_anonymous_page(): read faults map the shared huge zero page
                if (!hugeZeroPageAllocated) {
                    hugeZeroPageAllocated = true;
                    m.count(VmStat.thp_zero_page_alloc);
                }
                v.kind[i] = Vma.ZERO_THP;
                return Fault.DONE;
            }
            // vma_thp_gfp_mask(): whether the defrag setting lets this fault reclaim; one round per fault
            boolean reclaimed = v.is(i, Vma.THP_RECLAIMED);
            v.clear(i, Vma.THP_RECLAIMED);
            AllocRequest r = AllocRequest.pmd(mm.node, 0);
            if (!reclaimed && m.thp.directReclaim(v.has(VmFlags.VM_HUGEPAGE))) r = r.reclaiming(mm.pid, retry);
            Allocation a = m.alloc.allocPages(r);
            if (a.ok()) {
                mapNewThp(mm, v, i, a.handle());
                return Fault.DONE;
            }
            if (a.status() == Allocation.Status.WAIT) {
                v.set(i, Vma.THP_RECLAIMED);
                return Fault.WAIT;
            }
            m.count(VmStat.thp_fault_fallback);
        }
        return pteFault(mm, v, i, retry, user);
    }

    private static final long WRITEBACK_POLL_NANOS = 1_000_000;
    private boolean hugeZeroPageAllocated;

    /** __thp_vma_allowable_orders(): vma_thp_disabled(), then the sysfs mode and the VMA's advice decide. */
    public boolean thpAllowed(Mm mm, Vma v) {
        if (mm.thpDisabled(v.flags, false)) return false;
        return switch (m.thp.enabled) {
            case "always" -> true;
            case "madvise" -> v.has(VmFlags.VM_HUGEPAGE);
            default -> false;
        };
    }

    /** Maps the new order-9 movable folio {@code h} (do_huge_pmd_anonymous_page()). */
    private void mapNewThp(Mm mm, Vma v, int i, long h) {
        v.kind[i] = Vma.PMD_THP;
        v.page[i] = h;
        mm.thps++;
        m.count(VmStat.thp_fault_alloc);
    }

    private int zeroPageWrite(Mm mm, Vma v, int i, Runnable retry, boolean user) {
        v.kind[i] = Vma.EMPTY;
        Allocation a = m.alloc.allocPages(AllocRequest.pmd(mm.node, 0));
        if (a.ok()) {
            mapNewThp(mm, v, i, a.handle());
            return Fault.DONE;
        }
        m.count(VmStat.thp_fault_fallback);
        m.count(VmStat.thp_split_pmd);
        return pteFault(mm, v, i, retry, user);
    }

    private boolean missingPages(Vma v, int i) {
        return (v.kind[i] == Vma.PTE || v.kind[i] == Vma.PTE_THP) && v.pte[i] + v.swp[i] < v.pagesIn(i, m.geometry.pageSize());
    }

    /**
     * A write to a window shared after fork. Anonymous memory: the writer copies into ordinary 4 KiB
     * pages (a shared THP is split at PMD level; rule 51). HugeTLB (hugetlb_wp): a new page from
     * free − resv; when there is none, the owner of the reservation takes the page and unmaps it from
     * the children, who get SIGBUS on their next access, and a child gets SIGBUS.
     */
    private int copyOnWrite(Mm mm, Vma v, int i, Runnable retry) {
        if (v.kind[i] != Vma.HUGETLB) {
            return fault(cow.copy(mm, v, i, retry));
        }
        long page = v.hstate.allocForFault(false, mm.cgroup, mm.node);
        if (page >= 0) {
            m.unshare(v.share[i]);
            v.share[i] = 0;
            v.page[i] = page;
            return Fault.DONE;
        }
        if (!v.resvOwner) return Fault.SIGBUS;
        long id = v.share[i];
        for (Mm other : processes.get()) {
            if (other == mm || other.exited) continue;
            // unmap_ref_private() finds the children's mappings through the rmap, wherever they moved
            for (Vma o : other.vmas()) {
                if (!o.has(VmFlags.VM_HUGETLB)) continue;
                for (int k = 0; k < o.slots(); k++) {
                    if (o.share[k] != id) continue;
                    cow.dropView(other, o, k);
                    o.set(k, Vma.UNMAPPED);
                }
            }
        }
        m.unshare(id);
        v.share[i] = 0;
        return Fault.DONE;
    }

    /**
     * hugetlb_fault(): a private window takes a reserved page if it holds a reservation, else one from
     * free − resv or a surplus page; a shared window (or a read through a private mapping of a file page
     * already in the page cache) maps the file's page, allocating it into the file first. No page: SIGBUS.
     */
    private int hugetlbFault(Mm mm, Vma v, int i, boolean write) {
        HugetlbFile f = v.file;
        if (f != null && v.fileIndex(i) * v.hstate.size >= f.size() && v.has(VmFlags.VM_SHARED)) return Fault.SIGBUS;
        if (v.kind[i] == Vma.HUGETLB) {
            if (!write || !v.is(i, Vma.FILE_PAGE) || v.has(VmFlags.VM_SHARED)) return Fault.DONE;
            // hugetlb_wp() on a private mapping of a page-cache page: the writer gets its own copy
            long page = v.hstate.allocForFault(v.is(i, Vma.RESV), mm.cgroup, mm.node);
            if (page < 0) return Fault.SIGBUS;
            v.clear(i, (byte) (Vma.RESV | Vma.FILE_PAGE));
            v.page[i] = page;
            return Fault.DONE;
        }
        if (f != null && (v.has(VmFlags.VM_SHARED) || (!write && f.page(v.fileIndex(i)) >= 0))) {
            long page = v.has(VmFlags.VM_SHARED) ? f.allocate(v.fileIndex(i), mm.cgroup, mm.node) : f.page(v.fileIndex(i));
            if (page < 0) return Fault.SIGBUS;
            v.kind[i] = Vma.HUGETLB;
            v.page[i] = page;
            v.set(i, Vma.FILE_PAGE);
            return Fault.DONE;
        }
        Hstate h = v.hstate;
        boolean reserved = v.is(i, Vma.RESV);
        long page = h.allocForFault(reserved, mm.cgroup, mm.node);
        if (page < 0) return Fault.SIGBUS;
        if (reserved) v.clear(i, Vma.RESV);
        v.kind[i] = Vma.HUGETLB;
        v.page[i] = page;
        return Fault.DONE;
    }

    /**
     * RFC patch 7/8: a reserved VMA always gets the PMD order (rule 43), only from reserved pageblocks,
     * no huge zero page (rule 45), and a miss is VM_FAULT_OOM, never a fallback (rules 44, 47).
     */
    private int reservedThpFault(Mm mm, Vma v, int i, Runnable retry, boolean user) {
        if (!v.windowInside(i)) return vmFaultOom(retry, user);
        // rule 50: a reserved fault is tried on the local node only
        Allocation a = m.alloc.allocPages(reservedThp(mm, retry));
        long h = a.handle();
        if (a.ok()) {
            v.kind[i] = Vma.PMD_THP;
            v.page[i] = h;
            v.set(i, Vma.RESERVED_BLOCK);
            mm.thps++;
            m.count(VmStat.thp_fault_alloc);
            return Fault.DONE;
        }
        // the shared allocation helper counts the fallback before the RFC turns it into VM_FAULT_OOM
        m.count(VmStat.thp_fault_fallback);
        if (a.status() == Allocation.Status.WAIT) return Fault.WAIT;
        return vmFaultOom(retry, user);
    }

    /** A reserved THP on the local node; the author's plan lets an overcommitted reserve reclaim. */
    private AllocRequest reservedThp(Mm mm, Runnable retry) {
        AllocRequest r = AllocRequest.pmd(mm.node, Gfp.RESERVED_THP | Gfp.THISNODE);
        return m.rthp.overcommit() ? r.reclaiming(mm.pid, retry) : r;
    }

    private int vmFaultOom(Runnable retry, boolean user) {
        if (!user) return Fault.OOM;
        // since 5.16 a user VM_FAULT_OOM is retried ("Huh VM_FAULT_OOM leaked out to the #PF handler")
        m.reservedBlockWaiters.add(retry);
        return Fault.STALL;
    }

    /**
     * do_anonymous_page() / do_swap_page() for a PTE-mapped window: swap entries are read back into
     * ordinary 4 KiB pages (never as a 2 MiB folio, rule 51), empty PTEs get new ordinary pages, except in
     * a reserved VMA, where an empty PTE is VM_FAULT_OOM (rules 48, 52).
     */
    private int pteFault(Mm mm, Vma v, int i, Runnable retry, boolean user) {
        boolean wholeThpSwapped = v.page[i] >= 0 && v.swp[i] == m.geometry.pmdPages() && v.pte[i] == 0;
        if (v.has(VmFlags.VM_RESERVED_THP) && wholeThpSwapped && !m.rthp.swapIn().equals("fallback")) {
            return reservedSwapIn(mm, v, i, retry, user);
        }
        int want = v.pagesIn(i, m.geometry.pageSize());
        int swapped = v.swp[i];
        int missing = want - v.pte[i] - swapped;
        if (swapped == 0 && missing > 0 && v.has(VmFlags.VM_RESERVED_THP)) return vmFaultOom(retry, user);
        int need = swapped + (v.has(VmFlags.VM_RESERVED_THP) ? 0 : missing);
        if (need == 0) return Fault.DONE;
        // do_anonymous_page() installs the page table first: a retry is a 4 KiB fault, not a THP one
        if (v.kind[i] == Vma.EMPTY) v.kind[i] = Vma.PTE;
        Allocation a = m.alloc.allocPages(AllocRequest.pages(need, mm.node, Gfp.WMARK_MIN).reclaiming(mm.pid, retry));
        if (!a.ok()) return fault(a.status());
        mm.cmaPages += a.cmaPages();
        mm.anonPages += need;
        v.kind[i] = Vma.PTE;
        if (swapped > 0) {
            // swap-in: the pages are read at the device's read bandwidth and the entries freed
            v.set(i, Vma.READING);
            long done = m.swap.read(m.env.now(), (long) swapped * m.geometry.pageSize());
            boolean wholeCluster = v.page[i] >= 0;
            long cluster = v.page[i];
            mm.swapIoInFlight++;
            m.env.schedule(done, () -> {
                mm.swapIoInFlight--;
                m.count(VmStat.pswpin, swapped);
                m.count(VmStat.pgmajfault);
                if (v.dead || mm.exited || !v.is(i, Vma.READING)) {
                    // released while the read was in flight: the entries went with it, the pages read go now
                    reclaim.freeUserPages(mm, swapped);
                    retry.run();
                    return;
                }
                v.clear(i, Vma.READING);
                if (wholeCluster) m.swap.freeCluster((int) cluster);
                else m.swap.freeSlots(swapped);
                {
                    v.swp[i] = 0;
                    v.page[i] = -1;
                    v.pte[i] = (short) (v.pte[i] + swapped);
                    mm.swapEntries -= swapped;
                }
                retry.run();
            });
            if (!v.has(VmFlags.VM_RESERVED_THP)) v.pte[i] = (short) (v.pte[i] + missing);
            return Fault.WAIT;
        }
        v.pte[i] = (short) (v.pte[i] + missing);
        return Fault.DONE;
    }

    /**
     * The author's plan for swapped-out reserved THPs ("swap-in is not guaranteed"): with swapIn 'wait',
     * the THP comes back whole into a reserved block, reclaiming a cold one when none is free (overcommit)
     * and stalling otherwise; with 'fail', the fault is VM_FAULT_OOM until the range is unmapped.
     */
    private int reservedSwapIn(Mm mm, Vma v, int i, Runnable retry, boolean user) {
        if (m.rthp.swapIn().equals("fail")) return vmFaultOom(retry, user);
        Allocation a = m.alloc.allocPages(reservedThp(mm, retry));
        if (!a.ok()) return a.status() == Allocation.Status.WAIT ? Fault.WAIT : vmFaultOom(retry, user);
        long h = a.handle();
        int pages = m.geometry.pmdPages();
        int cluster = (int) v.page[i];
        v.set(i, Vma.READING);
        long done = m.swap.read(m.env.now(), m.geometry.pmdSize());
        mm.swapIoInFlight++;
        m.env.schedule(done, () -> {
            mm.swapIoInFlight--;
            m.count(VmStat.pswpin, pages);
            m.count(VmStat.pgmajfault);
            if (v.dead || mm.exited || !v.is(i, Vma.READING)) {
                m.pages.freeBlock(h);   // released while the read was in flight
                m.reservedBlockFreed();
            } else {
                v.clear(i, Vma.READING);
                m.swap.freeCluster(cluster);
                v.kind[i] = Vma.PMD_THP;
                v.page[i] = h;
                v.swp[i] = 0;
                v.set(i, Vma.RESERVED_BLOCK);
                mm.thps++;
                mm.swapEntries -= pages;
            }
            retry.run();
        });
        return Fault.WAIT;
    }

    /** What a fault's order-0 allocation that may reclaim came to (VM_FAULT_OOM is the slow path's OOM kill). */
    private static int fault(Allocation.Status s) {
        return switch (s) {
            case OK -> Fault.DONE;
            case WAIT -> Fault.WAIT;
            case STALL -> Fault.STALL;
            case KILLED -> Fault.KILLED;
            case FAILED -> throw new IllegalStateException("an order-0 allocation that may reclaim does not just fail");
        };
    }
}
