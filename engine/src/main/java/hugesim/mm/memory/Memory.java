package hugesim.mm.memory;

import hugesim.mm.Fault;
import hugesim.mm.KernelVersion;
import hugesim.mm.VmStat;
import hugesim.mm.model.MemoryModel;
import hugesim.mm.page.AllocRequest;
import hugesim.mm.page.Allocation;
import hugesim.mm.page.Gfp;
import hugesim.mm.page.PageAllocator;
import hugesim.mm.page.PageRuns;
import hugesim.mm.reclaim.Reclaim;
import hugesim.mm.rthp.ReservedThpFault;
import hugesim.mm.swap.SwapReadahead;
import hugesim.mm.thp.HugePmdFault;
import hugesim.mm.thp.Khugepaged;
import hugesim.mm.vma.LruFolio;
import hugesim.mm.vma.Mm;
import hugesim.mm.vma.Vma;
import hugesim.mm.vma.VmFlags;

/**
 * The page-fault path for one PMD window (mm/memory.c handle_mm_fault(), do_anonymous_page(),
 * do_swap_page()): it hands THP faults to {@link HugePmdFault}, reserved VMAs' faults to
 * {@link ReservedThpFault} and HugeTLB faults to {@link HugetlbFault}, and maps 4 KiB pages itself.
 *
 * <p>Simplification: a fault maps the whole window: every base page of it for 4 KiB faults.
 */
public final class Memory {
    private final MemoryModel m;
    private final Reclaim reclaim;
    private final Cow cow;
    private final HugetlbFault hugetlb;
    private final ShmemFault shmem;
    private final HugePmdFault hugePmd;
    private final ReservedThpFault reservedThp;
    private final Khugepaged khugepaged;

    /** @param processes live processes, for HugeTLB COW to unmap a page from the owner's children */
    public Memory(MemoryModel m, Reclaim reclaim, Khugepaged khugepaged, java.util.function.Supplier<java.util.List<Mm>> processes) {
        this.m = m;
        this.reclaim = reclaim;
        this.khugepaged = khugepaged;
        this.cow = new Cow(m);
        this.hugetlb = new HugetlbFault(m, cow, processes);
        this.shmem = new ShmemFault(m, reclaim.memcg);
        this.hugePmd = new HugePmdFault(m.alloc, m.thp, m::count, m.env, m.nosplit::mayUse, m.nosplit::holds, reclaim.memcg,
                m.geometry.pmdPages(), m::freeThpBlock);
        this.reservedThp = new ReservedThpFault(m.alloc, m.pages, m.rthp, m.swap, m.env, m.geometry, m::count, m::reservedBlockFreed, reclaim.memcg);
    }

    /**
     * Faults window {@code i} of {@code v} in.
     *
     * @param retry runs when a WAIT or STALL is over, to fault again
     * @param user  a user fault (may stall on VM_FAULT_OOM) rather than a kernel-initiated one (gets OOM)
     * @return one of {@link Fault}'s codes
     */
    public int fault(Mm mm, Vma v, int i, boolean write, Runnable retry, boolean user) {
        reclaim.memcg.forgetOverHigh();
        int t = pteAlloc(mm, v, i, retry);
        if (t != Fault.DONE) return t;
        int r = handle(mm, v, i, write, retry, user);
        mm.tables.faultDone();
        if (r == Fault.DONE) {
            // the access sets the young bit; a new folio goes onto the LRU
            reclaim.lru.accessed(mm, v, i, false);
            // do_wp_page(): a write to a folio still in the swap cache frees its slots (folio_free_swap())
            if (write) reclaim.swapCache.release(v.lru(i));
            // back to user space over memory.high: mem_cgroup_handle_over_high() reclaims and throttles;
            // the retry finds the window mapped
            return reclaim.memcg.handleOverHigh(retry);
        }
        return r;
    }

    /**
     * __pte_alloc() before a 4 KiB fault into an empty window, and any table still owed: the page comes from the
     * per-CPU list, filled with reclaim when it is empty (GFP_PGTABLE_USER). A fault that may map a huge page
     * takes its table after the folio (__do_huge_pmd_anonymous_page()), from the list without waiting.
     * Simplification: a table that cannot be had then (nor after a THP fault's fallback) is owed, and the next
     * fault takes it with reclaim.
     */
    private int pteAlloc(Mm mm, Vma v, int i, Runnable retry) {
        if (mm.tables.owed() > 0) {
            if (mm.tables.payOwed()) return Fault.DONE;   // else the list is empty: it is filled with reclaim
        } else if (v.kind(i) != Vma.EMPTY || m.alloc.pgtableReady(mm.node) || mm.tables.hasSpare() || mayMapHuge(mm, v, i)) {
            return Fault.DONE;   // cheapest tests first: the list usually has a page
        }
        Allocation a = m.alloc.allocPages(AllocRequest.pages(1, mm.node, Gfp.PGTABLE).reclaiming(mm.pid, retry));
        if (!a.ok()) return a.status().fault();
        mm.tables.prealloc(PageRuns.firstPage(a.runs(), 0));
        return Fault.DONE;
    }

    /** Whether a fault into window {@code i} may map a huge page (a HugeTLB page, a reserved THP or a THP). */
    private boolean mayMapHuge(Mm mm, Vma v, int i) {
        return v.has(VmFlags.VM_HUGETLB) || (v.windowInside(i) && (v.shmem != null || v.has(VmFlags.VM_RESERVED_THP) || hugePmd.allowed(mm, v)));
    }

    private int handle(Mm mm, Vma v, int i, boolean write, Runnable retry, boolean user) {
        if (v.underIo(i)) {
            // folio_wait_writeback(): the window is under swap I/O; look again a millisecond later
            m.env.scheduleIn(WRITEBACK_POLL_NANOS, retry);
            return Fault.WAIT;
        }
        // a HugeTLB child whose page the owner took back on COW (HPAGE_RESV_UNMAPPED)
        if (v.is(i, Vma.UNMAPPED)) return Fault.SIGBUS;
        // a shared mapping of a shmem file maps the file's pages: never shared copy-on-write
        if (v.shmem != null) return oomOfCgroup(shmem.fault(mm, v, i, write, retry), retry, user);
        if (m.sharers(v.share(i)) > 1 && (write || v.swp(i) > 0 || missingPages(v, i))) {
            // a window shared after fork that this fault would change: this side gets its own copy
            // first (a write, a swap-in, pages added), then the fault goes on in the private window
            if (v.kind(i) == Vma.HUGETLB) return hugetlb.wp(mm, v, i);
            // wp_page_copy(): the writer copies into ordinary 4 KiB pages (a shared THP is split at PMD level; rule 51)
            Allocation.Status s = cow.copy(mm, v, i, retry);
            if (s != Allocation.Status.OK) return s.fault();
        }
        if (v.has(VmFlags.VM_HUGETLB)) return hugetlb.fault(mm, v, i, write);
        switch (v.kind(i)) {
            case Vma.PMD_THP:
            case Vma.HUGETLB:
                return Fault.DONE;
            case Vma.ZERO_THP:
                if (!write) return Fault.DONE;
                return zeroPageWrite(mm, v, i, retry, user);
            case Vma.PTE:
                return pteFault(mm, v, i, write, retry, user);
            case Vma.PTE_THP:
                if (!missingPages(v, i)) return Fault.DONE;
                if (v.has(VmFlags.VM_RESERVED_THP)) return vmFaultOom(retry, user);   // rule 52
                if (m.deferredSplit.neverSplit(v.page(i))) {
                    // a ZONE_NOSPLIT folio is not split to make room for new pages (rule 68)
                    int ps = m.geometry.pageSize();
                    long[] back = m.deferredSplit.remap(v.page(i), v.firstPage(i, ps), v.endPage(i, ps));
                    v.addPages(i, back);
                    mm.addAnonPages(PageRuns.pages(back));
                    return Fault.DONE;
                }
                m.deferredSplit.toBasePages(mm, v, i);
                return pteFault(mm, v, i, write, retry, user);
            default:
                break;
        }
        if (v.has(VmFlags.VM_RESERVED_THP)) {
            // no PMD order allowed (PR_SET_THP_DISABLE completely): do_anonymous_page() is VM_FAULT_OOM (rule 43)
            if (mm.thpDisabled(v.flags, false)) return vmFaultOom(retry, user);
            khugepaged.enterFault(mm, v);   // do_huge_pmd_anonymous_page() (RFC patch 7/8 keeps the call)
            return oomStalls(reservedThp.fault(mm, v, i, retry), retry, user);
        }
        if (hugePmd.allowed(mm, v) && v.windowInside(i)) {
            khugepaged.enterFault(mm, v);   // do_huge_pmd_anonymous_page(), before the zero page or a THP
            int r = hugePmd.fault(mm, v, i, write, retry);
            if (r != HugePmdFault.FALLBACK) return r;
        }
        return pteFault(mm, v, i, write, retry, user);
    }

    private static final long WRITEBACK_POLL_NANOS = 1_000_000;

    /** __thp_vma_allowable_orders() for the views. */
    public boolean thpAllowed(Mm mm, Vma v) {
        return hugePmd.allowed(mm, v);
    }

    private int zeroPageWrite(Mm mm, Vma v, int i, Runnable retry, boolean user) {
        if (hugePmd.zeroPageWrite(mm, v, i) == Fault.DONE) return Fault.DONE;
        return pteFault(mm, v, i, true, retry, user);
    }

    private boolean missingPages(Vma v, int i) {
        return (v.kind(i) == Vma.PTE || v.kind(i) == Vma.PTE_THP) && v.pte(i) + v.swp(i) < v.pagesIn(i, m.geometry.pageSize());
    }

    /** A memory type's fault whose charge the cgroup's OOM killer could not make room for (see {@link #memcgOom}). */
    private int oomOfCgroup(int fault, Runnable retry, boolean user) {
        return fault == Fault.OOM ? memcgOom(retry, user) : fault;
    }

    /** VM_FAULT_OOM from a memory type's fault: a user fault stalls, a kernel-initiated one fails. */
    private int oomStalls(int fault, Runnable retry, boolean user) {
        return fault == Fault.OOM ? vmFaultOom(retry, user) : fault;
    }

    /**
     * A charge the cgroup's OOM killer could not make room for: VM_FAULT_OOM, which a user fault retries
     * (since 5.16) whenever memory is freed.
     */
    private int memcgOom(Runnable retry, boolean user) {
        if (!user) return Fault.OOM;
        m.memoryWaiters.add(retry);
        return Fault.STALL;
    }

    private int vmFaultOom(Runnable retry, boolean user) {
        if (!user) return Fault.OOM;
        // since 5.16 a user VM_FAULT_OOM is retried ("Huh VM_FAULT_OOM leaked out to the #PF handler")
        m.reservedBlockWaiters.add(retry);
        return Fault.STALL;
    }

    /**
     * do_anonymous_page() / do_swap_page() for a PTE-mapped window: swap entries are read back into
     * ordinary 4 KiB pages (never as a 2 MiB folio, rule 51) with swap readahead's faults and hits
     * (swapin_readahead()), empty PTEs get new ordinary pages, except in
     * a reserved VMA, where an empty PTE is VM_FAULT_OOM (rules 48, 52).
     */
    private int pteFault(Mm mm, Vma v, int i, boolean write, Runnable retry, boolean user) {
        LruFolio cached = v.lru(i);
        if (cached != null && cached.mm == mm && cached.cached() && swapCacheHit(mm, v, i, cached, write)) return Fault.DONE;
        boolean wholeThpSwapped = v.page(i) >= 0 && v.swp(i) == m.geometry.pmdPages() && v.pte(i) == 0;
        if (v.has(VmFlags.VM_RESERVED_THP) && wholeThpSwapped && !m.rthp.swapIn().equals("fallback")) {
            return oomStalls(reservedThp.swapIn(mm, v, i, retry), retry, user);
        }
        int want = v.pagesIn(i, m.geometry.pageSize());
        int swapped = v.swp(i);
        int missing = want - v.pte(i) - swapped;
        if (swapped == 0 && missing > 0 && v.has(VmFlags.VM_RESERVED_THP)) return vmFaultOom(retry, user);
        int need = swapped + (v.has(VmFlags.VM_RESERVED_THP) ? 0 : missing);
        if (need == 0) return Fault.DONE;
        // do_anonymous_page() installs the page table first: a retry is a 4 KiB fault, not a THP one
        v.installPageTable(i);
        // mem_cgroup_charge() (do_anonymous_page()) and mem_cgroup_swapin_charge_folio() (do_swap_page()),
        // GFP_KERNEL: reclaim within the cgroup, then its OOM killer. Simplification: the model charges
        // before it allocates (the kernel allocates, then frees the page when the charge fails: the same outcome)
        int c = reclaim.memcg.tryCharge(mm.memcg, need, false, true, mm.pid, retry);
        if (c == Fault.OOM) return memcgOom(retry, user);
        if (c != Fault.DONE) return c;
        Allocation a = m.alloc.allocPages(AllocRequest.pages(need, mm.node, Gfp.WMARK_MIN).reclaiming(mm.pid, retry));
        if (!a.ok()) return a.status().fault();
        mm.addAnonPages(need);
        v.mapPtes(i);
        int ps = m.geometry.pageSize();
        // the first pages taken go to the empty PTEs now, the rest receive the swapped data when it is read
        long[] read = PageRuns.first(a.runs(), need - swapped, false);
        long[] fresh = PageRuns.first(a.runs(), need - swapped, true);
        if (swapped > 0) {
            // swap-in: the pages are read at the device's read bandwidth and the entries freed
            v.set(i, Vma.READING);
            SwapReadahead.Result ra = v.swapInReadahead(m.swap.readahead, i, swapped, ps);
            long done = m.swap.read(m.env.now(), (long) swapped * ps);
            boolean wholeCluster = v.page(i) >= 0;
            long cluster = v.page(i);
            mm.swapIoInFlight++;
            m.env.schedule(done, () -> {
                mm.swapIoInFlight--;
                m.count(VmStat.pswpin, swapped);
                m.count(VmStat.workingset_refault_anon, swapped);
                m.count(VmStat.pgmajfault, ra.majorFaults());
                m.count(VmStat.swap_ra, ra.readahead());
                m.count(VmStat.swap_ra_hit, ra.hits());
                if (v.dead || mm.exited || !v.is(i, Vma.READING)) {
                    // released while the read was in flight: the entries went with it, the pages read go now
                    reclaim.freeUserPages(mm, read);
                    retry.run();
                    return;
                }
                v.clear(i, Vma.READING);
                v.swappedIn(i, swapped, PageRuns.fillGaps(v.runs(i), read, v.firstPage(i, ps), v.endPage(i, ps), true));
                mm.swapEntries -= swapped;
                reclaim.lru.remapped(mm, v, i);   // do_swap_page(): the folios read join the LRU
                // swapin_readahead() put them in the swap cache: a read keeps their slots (zram skips the cache)
                reclaim.swapCache.mappedBack(v.lru(i), wholeCluster ? cluster : -1, swapped, write);
                retry.run();
            });
            if (!v.has(VmFlags.VM_RESERVED_THP)) v.addPages(i, PageRuns.fillGaps(v.runs(i), fresh, v.firstPage(i, ps), v.endPage(i, ps), true));
            return Fault.WAIT;
        }
        v.addPages(i, PageRuns.fillGaps(v.runs(i), fresh, v.firstPage(i, ps), v.endPage(i, ps), true));
        return Fault.DONE;
    }

    /**
     * do_swap_page() finding the window's folio in the swap cache: mapped back with no I/O (no pswpin, no
     * major fault); a read keeps it in the swap cache with its slots, a write frees them (SwapCache). A
     * whole THP comes back as a large folio mapped by PTEs (its PMD was split at swap-out); in a reserved
     * VMA it is mapped by its PMD again, into the reserved block it never left. True when nothing else of
     * the window is left to fault in.
     */
    private boolean swapCacheHit(Mm mm, Vma v, int i, LruFolio f, boolean write) {
        int n = f.cachePages;
        boolean whole = f.cacheBlock >= 0;
        boolean reserved = f.cacheReserved;
        long cluster = v.page(i);
        if (whole && !reserved && !v.has(VmFlags.VM_RESERVED_THP) && m.swap.version == KernelVersion.V6_1 && copyOut(mm, v, i, f, n, cluster)) return true;
        mm.swapEntries -= n;
        if (whole) {
            long block = reclaim.swapCache.takeBlock(f);
            v.swappedIn(i, n, PageRuns.NONE);
            if (v.has(VmFlags.VM_RESERVED_THP)) {
                v.swapInWhole(i, block);
                mm.addThps(1);
            } else {
                int nr = m.geometry.blockPages();
                long[] all = PageAllocator.pagesOf(block, nr);
                v.pmdSplit(i, m.deferredSplit.pmdSplit(block, nr), all);
                mm.addAnonPages(nr);
            }
            if (reserved) v.set(i, Vma.RESERVED_BLOCK);
        } else {
            v.dropSwapEntries(i, n);
            v.mapPtes(i);
            v.addPages(i, reclaim.swapCache.takeRuns(f));
            mm.addAnonPages(n);
        }
        reclaim.lru.remapped(mm, v, i);
        reclaim.swapCache.mappedBack(f, whole ? cluster : -1, n, write);
        return !missingPages(v, i) && v.swp(i) == 0;
    }

    /**
     * 6.1's do_swap_page() on a swap-cached THP: ksm_might_need_to_copy() compares each tail page's page->index,
     * which only the head holds, with the fault's linear index, so every tail page is copied into a new page;
     * later kernels return a large folio at once. The block stays in the swap cache, unmapped, holding its
     * cluster; the window maps the copies. Simplification: the head page is copied too (4 KiB more per THP), and
     * with no memory free for the copies the block is mapped as later kernels map it. Returns whether it copied.
     */
    private boolean copyOut(Mm mm, Vma v, int i, LruFolio f, int n, long cluster) {
        Allocation a = m.alloc.allocPages(AllocRequest.pages(n, mm.node, Gfp.WMARK_MIN));
        if (!a.ok()) return false;
        mm.swapEntries -= n;
        v.mapPtes(i);
        v.swappedIn(i, n, a.runs());
        mm.addAnonPages(n);
        reclaim.swapCache.copiedOut(f, cluster);
        reclaim.lru.remapped(mm, v, i);
        return true;
    }

}
