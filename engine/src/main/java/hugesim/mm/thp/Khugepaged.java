package hugesim.mm.thp;

import hugesim.mm.Geometry;
import hugesim.mm.VmStat;
import hugesim.mm.page.AllocRequest;
import hugesim.mm.page.Allocation;
import hugesim.mm.page.Gfp;
import hugesim.mm.page.PageAlloc;
import hugesim.mm.swap.SwapDevice;
import hugesim.mm.swap.SwapReadahead;
import hugesim.mm.vma.Mm;
import hugesim.mm.vma.Vma;
import hugesim.sim.Environment;
import hugesim.uapi.Errno;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ObjLongConsumer;

import static hugesim.mm.vma.VmFlags.*;

/**
 * khugepaged and MADV_COLLAPSE (mm/khugepaged.c): the kernel thread that wakes every
 * {@code scan_sleep_millisecs}, scans {@code pages_to_scan} pages' worth of PMD ranges over the mms
 * registered by khugepaged_enter_vma() (khugepaged_do_scan(), khugepaged_scan_mm_slot()), and collapses a
 * range of 4 KiB pages into a new THP when the limits allow it (hpage_collapse_scan_pmd(),
 * collapse_huge_page()); madvise_collapse() shares the collapse.
 *
 * <p>It runs on the simulation's clock as the kernel thread's steps: a scan pass takes no simulated
 * time; its allocation may wait for direct reclaim, and the scan goes on when it returns.
 *
 * <p>Reserved THP (RFC patch 7/8): thp_vma_allowable_orders() adds PMD order for VM_RESERVED_THP whatever
 * {@code enabled} says, and the reserved fault still calls khugepaged_enter_vma(), so khugepaged scans
 * reserved VMAs; its allocation (alloc_hugepage_khugepaged_gfpmask()) carries no __GFP_RESERVED_THP, so
 * the collapsed THP is an ordinary one outside the reserve. Only MADV_COLLAPSE is refused (patch 8/8, rule 33).
 */
public final class Khugepaged {
    /** enum scan_result, the values the model reaches. */
    enum Scan {
        SUCCEED, FAIL, PMD_NULL, PMD_NONE, PMD_MAPPED, EXCEED_NONE_PTE, EXCEED_SWAP_PTE, EXCEED_SHARED_PTE,
        PAGE_RO, LACK_REFERENCED_PAGE, PAGE_LOCK, VMA_CHECK, ANY_PROCESS, ALLOC_HUGE_PAGE_FAIL, CGROUP_CHARGE_FAIL
    }

    /** What the collapse needs from the layers above: sharing after fork, zapping PTEs, freeing a folio, the LRU. */
    public interface Pages {
        /** Mappings holding the memory of COW share {@code id} (MemoryModel.sharers()). */
        int sharers(long id);

        /** The window's PTEs are zapped and their pages freed (a PTE-mapped THP's go back to its folio). */
        void zapPtes(Mm mm, Vma v, int i);

        /** A PMD-order folio allocated for a collapse that did not happen goes back (folio_put()). */
        void putFolio(long block);

        /** The new THP of window {@code i} joins the LRU (folio_add_lru_vma() in collapse_huge_page()). */
        void collapsed(Mm mm, Vma v, int i);
    }

    // ---- /sys/kernel/mm/transparent_hugepage/khugepaged (khugepaged_init() defaults) ----
    public int pagesToScan, maxPtesNone, maxPtesSwap, maxPtesShared;
    public long scanSleepMillisecs = 10_000, allocSleepMillisecs = 60_000;
    /** khugepaged/defrag: 1 lets the collapse allocation reclaim and compact (GFP_TRANSHUGE), 0 not (_LIGHT). */
    public boolean defrag = true;
    /** khugepaged/pages_collapsed, khugepaged/full_scans (read-only). */
    public long pagesCollapsed, fullScans;

    private final Environment env;
    private final PageAlloc alloc;
    private final SwapDevice swap;
    private final ThpSettings thp;
    private final ObjLongConsumer<VmStat> count;
    private final Pages pages;
    private final long pmd;
    private final int pmdNr;
    private final int pageSize;

    // khugepaged_scan: the mm_slot list (registration order), the cursor and its address
    private final List<Mm> mmHead = new ArrayList<>();
    private Mm scanSlot;
    private long scanAddress;

    /** Where the thread is: its timer or wait tells what wakes it. */
    private enum State { STOPPED, SCANNING, SCAN_SLEEP, WAIT_WORK, ALLOC_SLEEP }
    private State state = State.STOPPED;
    /** Bumped whenever the thread leaves a sleep: a timer of an earlier sleep finds it changed and does nothing. */
    private long sleeps;
    // khugepaged_do_scan()'s locals, kept while the scan waits for an allocation
    private int toScan, progress, passThroughHead;
    private boolean allocWait;

    public Khugepaged(Environment env, Geometry g, PageAlloc alloc, SwapDevice swap, ThpSettings thp,
                      ObjLongConsumer<VmStat> count, Pages pages) {
        this.env = env;
        this.alloc = alloc;
        this.swap = swap;
        this.thp = thp;
        this.count = count;
        this.pages = pages;
        this.pmd = g.pmdSize();
        this.pageSize = g.pageSize();
        this.pmdNr = g.pmdPages();
        pagesToScan = pmdNr * 8;
        maxPtesNone = pmdNr - 1;
        maxPtesSwap = pmdNr / 8;
        maxPtesShared = pmdNr / 2;
    }

    /** HPAGE_PMD_NR: base pages per PMD, the limit of the max_ptes_* knobs. */
    public int hpagePmdNr() { return pmdNr; }

    // ---- eligibility ----------------------------------------------------------------------------

    /** hugepage_pmd_enabled(): PMD-sized anonymous THP is on (no per-size controls in the model). */
    public boolean hugepagePmdEnabled() {
        return !thp.enabled.equals("never");
    }

    /**
     * thp_vma_allowable_order(…, TVA_ENFORCE_SYSFS, PMD_ORDER) for khugepaged: private anonymous memory,
     * {@code always}, or {@code madvise} with VM_HUGEPAGE, or VM_RESERVED_THP (RFC patch 7/8), not
     * disabled by VM_NOHUGEPAGE or prctl, and an anon_vma (memory faulted in at some time).
     * Simplification: the anon_vma is taken as present when some window holds or held something.
     */
    boolean allowable(Mm mm, Vma v) {
        if (v.has(VM_HUGETLB) || v.has(VM_SHARED) || v.file != null || v.dead) return false;
        boolean sysfs = thp.enabled.equals("always") || (thp.enabled.equals("madvise") && v.has(VM_HUGEPAGE))
                || v.has(VM_RESERVED_THP);
        if (!sysfs || mm.thpDisabled(v.flags, false)) return false;
        for (int i = 0; i < v.slots(); i++) if (v.kind(i) != Vma.EMPTY) return true;
        return false;
    }

    // ---- mm slots ---------------------------------------------------------------------------------

    /** khugepaged_enter_vma(): registers the mm once a VMA of it is eligible (MADV_HUGEPAGE, a merge). */
    public void enterVma(Mm mm, Vma v) {
        if (!mm.vmHugepage && hugepagePmdEnabled() && allowable(mm, v)) enter(mm);
    }

    /**
     * khugepaged_enter_vma() from do_huge_pmd_anonymous_page(): the fault has just prepared the anon_vma,
     * so only the sysfs mode, the advice and the THP-disable flags decide.
     */
    public void enterFault(Mm mm, Vma v) {
        if (mm.vmHugepage || !hugepagePmdEnabled() || v.has(VM_SHARED) || v.has(VM_HUGETLB)) return;
        boolean sysfs = thp.enabled.equals("always") || v.has(VM_HUGEPAGE) || v.has(VM_RESERVED_THP);
        if (sysfs && !mm.thpDisabled(v.flags, false)) enter(mm);
    }

    /** khugepaged_fork(): a child of a registered mm is registered too. */
    public void fork(Mm parent, Mm child) {
        if (parent.vmHugepage && !child.vmHugepage) enter(child);
    }

    /** __khugepaged_enter(): at the list's tail; the thread is woken when the list was empty. */
    private void enter(Mm mm) {
        boolean wakeup = mmHead.isEmpty();
        mm.vmHugepage = true;
        mmHead.add(mm);
        if (wakeup) wakeUp(false);
    }

    /** __khugepaged_exit(): the slot goes, unless the scan is on it (it is collected when the scan leaves it). */
    public void exit(Mm mm) {
        if (mm.vmHugepage && scanSlot != mm) {
            mm.vmHugepage = false;
            mmHead.remove(mm);
        }
    }

    /** Registered mms, in scan order (for specifications). */
    public List<Mm> mmSlots() { return List.copyOf(mmHead); }

    // ---- the thread -------------------------------------------------------------------------------

    /** start_stop_khugepaged() (at boot and when {@code enabled} is written): runs while PMD THP is on. */
    public void startStop() {
        if (hugepagePmdEnabled()) {
            if (state == State.STOPPED) {
                // kthread_run(khugepaged): the new thread scans at once
                state = State.SCANNING;
                sleeps++;
                doScan();
            } else if (!mmHead.isEmpty()) {
                wakeUp(false);
            }
        } else if (state != State.STOPPED) {
            // kthread_stop(): the thread ends where it is; the slot it was on is collected
            sleeps++;
            state = State.STOPPED;
            Mm slot = scanSlot;
            scanSlot = null;
            if (slot != null) collectMmSlot(slot);
        }
    }

    /**
     * wake_up_interruptible(&khugepaged_wait): ends an allocation sleep, and a wait for work once there
     * is some; a scan sleep ends only when a sysfs write reset khugepaged_sleep_expire ({@code sysfs}).
     * The woken thread runs at once, before the waker goes on: on a machine with another CPU it scans
     * within microseconds, sooner than the waker's next system call.
     */
    private void wakeUp(boolean sysfs) {
        boolean run = switch (state) {
            case ALLOC_SLEEP -> true;
            case WAIT_WORK -> !mmHead.isEmpty();
            case SCAN_SLEEP -> sysfs;
            default -> false;
        };
        if (!run) return;
        State was = state;
        state = State.SCANNING;
        sleeps++;
        if (was == State.ALLOC_SLEEP) scanLoop();
        else doScan();
    }

    /** A write to scan_sleep_millisecs or alloc_sleep_millisecs: khugepaged_sleep_expire = 0 and a wake-up. */
    public void sleepSettingWritten() {
        wakeUp(true);
    }

    /** khugepaged_has_work(). */
    private boolean hasWork() {
        return !mmHead.isEmpty() && hugepagePmdEnabled();
    }

    /** khugepaged_do_scan(): up to pages_to_scan pages' worth, at most one pass over the list. */
    private void doScan() {
        if (state != State.SCANNING) return;
        toScan = pagesToScan;
        progress = 0;
        passThroughHead = 0;
        allocWait = true;
        scanLoop();
    }

    /** khugepaged_do_scan()'s loop, entered again when an allocation sleep returns. */
    private void scanLoop() {
        state = State.SCANNING;
        while (true) {
            if (scanSlot == null) passThroughHead++;
            if (!hasWork() || passThroughHead >= 2) {
                progress = toScan;
            } else if (scanMmSlot(toScan - progress)) {
                return;   // a collapse waits for its allocation: collapseDone() goes on from here
            }
            if (!afterSlot()) return;
        }
    }

    /** The loop's tail after a slot's scan: false when the pass is over (the thread sleeps or waits). */
    private boolean afterSlot() {
        if (progress >= toScan) {
            waitWork();
            return false;
        }
        if (lastResult == Scan.ALLOC_HUGE_PAGE_FAIL) {
            // "If fail to allocate the first time, try to sleep for a while. When hit again, cancel the scan."
            if (allocWait) {
                allocWait = false;
                sleep(State.ALLOC_SLEEP, allocSleepMillisecs, this::scanLoop);
            } else {
                waitWork();
            }
            return false;
        }
        return true;
    }

    /** khugepaged_wait_work(): scan_sleep_millisecs when there is work, else until an mm registers. */
    private void waitWork() {
        if (hasWork()) {
            sleep(State.SCAN_SLEEP, scanSleepMillisecs, this::doScan);
        } else if (hugepagePmdEnabled()) {
            state = State.WAIT_WORK;
        } else {
            startStop();
        }
    }

    /**
     * Sleeps {@code millis} (a timeout on khugepaged_wait). Simplification: a scan sleep of 0 ms, where the
     * kernel thread would scan again at once and only cond_resched() lets others run, sleeps 1 ms.
     */
    private void sleep(State s, long millis, Runnable then) {
        state = s;
        long token = ++sleeps;
        env.scheduleIn(Math.max(1, millis) * 1_000_000L, () -> {
            if (token != sleeps) return;
            state = State.SCANNING;
            sleeps++;
            then.run();
        });
    }

    // ---- khugepaged_scan_mm_slot() ----------------------------------------------------------------

    private Scan lastResult = Scan.FAIL;
    /** The slot's scan stopped before its last VMA (the kernel's {@code vma != NULL} at breakouterloop). */
    private boolean slotUnfinished;

    /**
     * khugepaged_scan_mm_slot(): VMAs of the slot's mm from the cursor's address, each eligible one's
     * whole PMD ranges in turn; progress counts 1 per mm and per VMA skipped, HPAGE_PMD_NR per range.
     * After a collapse attempt (the kernel has dropped mmap_lock) the slot's scan ends. Returns true when
     * that collapse waits for its allocation: {@link #collapseDone} goes on from there.
     */
    private boolean scanMmSlot(int budget) {
        lastResult = Scan.FAIL;
        if (scanSlot == null) {
            scanSlot = mmHead.get(0);
            scanAddress = 0;
        }
        Mm mm = scanSlot;
        int step = 1;
        slotUnfinished = false;
        if (!testExitOrDisable(mm)) {
            walk:
            for (Vma v = mm.findVma(scanAddress); v != null; v = mm.findVma(v.end)) {
                slotUnfinished = true;
                if (testExitOrDisable(mm)) {
                    step++;
                    break;
                }
                long hstart = (v.start + pmd - 1) / pmd * pmd, hend = v.end / pmd * pmd;
                if (!allowable(mm, v) || scanAddress > hend) {
                    step++;
                    slotUnfinished = false;
                    continue;
                }
                if (scanAddress < hstart) scanAddress = hstart;
                while (scanAddress < hend) {
                    long address = scanAddress;
                    Scan r = isolate(mm, v, v.slotOf(address), true);
                    scanAddress += pmd;
                    step += pmdNr;
                    if (r == Scan.SUCCEED) {
                        progress += step;
                        collapseRun = sleeps;
                        r = collapseHugePage(mm, address);
                        if (r == null) return true;
                        collapseEnded(mm, r);
                        return false;
                    }
                    lastResult = r;
                    if (step >= budget) break walk;
                }
                slotUnfinished = false;
            }
        }
        progress += step;
        finishSlot(mm);
        return false;
    }

    /** The end of khugepaged_scan_mm_slot(): the cursor leaves a slot scanned to its end or exited. */
    private void finishSlot(Mm mm) {
        if (scanSlot != mm) return;
        if (mm.exited || !slotUnfinished) {
            int at = mmHead.indexOf(mm);
            if (at + 1 < mmHead.size()) {
                scanSlot = mmHead.get(at + 1);
                scanAddress = 0;
            } else {
                scanSlot = null;
                fullScans++;
            }
            collectMmSlot(mm);
        }
    }

    /** collect_mm_slot(): an exited mm's slot is freed. */
    private void collectMmSlot(Mm mm) {
        if (mm.exited) {
            mm.vmHugepage = false;
            mmHead.remove(mm);
        }
    }

    /** hpage_collapse_test_exit_or_disable(): the mm is gone or PR_SET_THP_DISABLE disabled THP completely. */
    private static boolean testExitOrDisable(Mm mm) {
        return mm.exited || mm.disableThpCompletely;
    }

    /** The thread's run a pending collapse belongs to: a stop (and start) meanwhile leaves its end to nobody. */
    private long collapseRun;

    /** breakouterloop_mmap_lock after a collapse attempt: the VMA walk did not reach its end. */
    private void collapseEnded(Mm mm, Scan r) {
        if (r == Scan.SUCCEED) pagesCollapsed++;
        lastResult = r;
        slotUnfinished = true;
        finishSlot(mm);
    }

    /** A collapse that waited for its allocation came to {@code r}: the pass goes on. */
    private void collapseDone(Mm mm, Scan r) {
        if (collapseRun != sleeps || state != State.SCANNING) {
            if (r == Scan.SUCCEED) pagesCollapsed++;
            return;
        }
        collapseEnded(mm, r);
        if (afterSlot()) scanLoop();
    }

    // ---- hpage_collapse_scan_pmd() / collapse_huge_page() -----------------------------------------

    /**
     * The checks of hpage_collapse_scan_pmd() ({@code scan}) and of __collapse_huge_page_isolate() after
     * the allocation and the swap-in, on one range: max_ptes_swap (the scan only: the collapse reads every
     * swap entry back), max_ptes_none, max_ptes_shared, a writable PTE, young PTEs (with swap entries, at
     * least half of the range young). Simplification: swap entries are counted, not placed, so the limits
     * are checked on the range's totals, swap first; a window's pages count as young unless it was
     * marked cold (idle, MADV_COLD) since it was last accessed.
     */
    private Scan isolate(Mm mm, Vma v, int i, boolean scan) {
        // find_pmd_or_thp_or_none()
        switch (v.kind(i)) {
            case Vma.EMPTY: return Scan.PMD_NONE;
            case Vma.PMD_THP: case Vma.ZERO_THP: return Scan.PMD_MAPPED;
            case Vma.PTE: case Vma.PTE_THP: break;
            default: return Scan.PMD_NULL;
        }
        int swapped = v.swp(i), present = scan ? v.pte(i) : v.pte(i) + swapped;
        int none = pmdNr - v.pte(i) - swapped;
        if (scan && swapped > maxPtesSwap) {
            count.accept(VmStat.thp_scan_exceed_swap_pte, 1);
            return Scan.EXCEED_SWAP_PTE;
        }
        if (none > maxPtesNone) {
            count.accept(VmStat.thp_scan_exceed_none_pte, 1);
            return Scan.EXCEED_NONE_PTE;
        }
        // folio_trylock() / folio_isolate_lru(): pages under swap I/O are locked
        if (v.underIo(i)) return Scan.PAGE_LOCK;
        // a window shared after fork: every page is mapped shared, and write-protected for copy-on-write
        boolean shared = pages.sharers(v.share(i)) > 1;
        if (shared && present > maxPtesShared) {
            count.accept(VmStat.thp_scan_exceed_share_pte, 1);
            return Scan.EXCEED_SHARED_PTE;
        }
        if (present == 0 || shared || !v.has(VM_WRITE)) return Scan.PAGE_RO;
        // pte_young() or folio_test_referenced(): accessed since reclaim last looked, or seen so once
        hugesim.mm.vma.LruFolio f = v.lru(i);
        int referenced = f != null && (f.referenced || f.young()) ? present : 0;
        if (referenced == 0 || (scan && swapped > 0 && referenced < pmdNr / 2)) return Scan.LACK_REFERENCED_PAGE;
        return Scan.SUCCEED;
    }

    /**
     * collapse_huge_page(): mmap_lock is dropped and alloc_charge_folio() allocates with khugepaged's own
     * defrag setting; then the VMA and the range are checked again, the swap entries read in
     * (__collapse_huge_page_swapin()) and the pages copied into the new THP. Returns the result, or null
     * while the allocation waits for direct reclaim or compaction's migrations ({@link #collapseDone} follows).
     */
    private Scan collapseHugePage(Mm mm, long address) {
        AllocRequest r = AllocRequest.pmd(mm.node, Gfp.WMARK_MIN | nosplitGfp(mm.find(address)));
        // alloc_hugepage_khugepaged_gfpmask(): GFP_TRANSHUGE (direct reclaim and compaction) with defrag
        if (defrag) r = r.reclaiming(0, () -> collapseDone(mm, allocAgain(mm, address)));
        Allocation a = alloc.allocPages(r);
        if (a.status() == Allocation.Status.WAIT) return null;
        if (!a.ok()) {
            count.accept(VmStat.thp_collapse_alloc_failed, 1);
            return Scan.ALLOC_HUGE_PAGE_FAIL;
        }
        count.accept(VmStat.thp_collapse_alloc, 1);
        if (a.stallNanos() == 0) return collapseAllocated(mm, address, a.handle());
        env.scheduleIn(a.stallNanos(), () -> collapseDone(mm, collapseAllocated(mm, address, a.handle())));
        return null;
    }

    /** After its round of direct reclaim the costly-order allocation is tried once more, without reclaim. */
    private Scan allocAgain(Mm mm, long address) {
        long h = alloc.allocPages(AllocRequest.pmd(mm.node, Gfp.WMARK_MIN | nosplitGfp(mm.find(address)))).handle();
        if (h < 0) {
            count.accept(VmStat.thp_collapse_alloc_failed, 1);
            return Scan.ALLOC_HUGE_PAGE_FAIL;
        }
        count.accept(VmStat.thp_collapse_alloc, 1);
        return collapseAllocated(mm, address, h);
    }

    /** hugepage_vma_revalidate(), find_pmd_or_thp_or_none() and __collapse_huge_page_isolate(), then the collapse. */
    private Scan collapseAllocated(Mm mm, long address, long block) {
        Scan r = Scan.ANY_PROCESS;
        Vma v = testExitOrDisable(mm) ? null : mm.find(address);
        if (v != null && !charged(mm)) {
            r = Scan.CGROUP_CHARGE_FAIL;
        } else if (v != null) {
            boolean fits = address >= v.start && address + pmd <= v.end;
            r = !fits || !allowable(mm, v) ? Scan.VMA_CHECK : isolate(mm, v, v.slotOf(address), false);
            if (r == Scan.SUCCEED) collapse(mm, v, v.slotOf(address), block);
        }
        if (r != Scan.SUCCEED) pages.putFolio(block);
        return r;
    }

    /**
     * alloc_charge_folio()'s mem_cgroup_charge() of the new THP, while the pages it replaces are still
     * charged: SCAN_CGROUP_CHARGE_FAIL when the cgroup has no room. Simplification: the charge does not
     * reclaim within the cgroup.
     */
    private boolean charged(Mm mm) {
        if (mm.memcg == null) return true;
        if (mm.memcg.margin() < pmdNr) return false;
        mm.memcg.thpCollapseAlloc();
        return true;
    }

    /** Whether a collapse for VMA {@code v} may take a ZONE_NOSPLIT block, and which blocks are its (rule 71). */
    private java.util.function.Predicate<Vma> mayUseNosplit = v -> false;
    private java.util.function.LongPredicate nosplit = h -> false;

    /** The zoneNosplit design (docs/model.md 7.3): collapses allocate as THP faults do, the zone first. */
    public void useNosplit(java.util.function.Predicate<Vma> mayUse, java.util.function.LongPredicate holds) {
        mayUseNosplit = mayUse;
        nosplit = holds;
    }

    private int nosplitGfp(Vma v) { return v != null && mayUseNosplit.test(v) ? Gfp.NOSPLIT : 0; }

    // ---- madvise_collapse() and the collapse itself ----------------------------------------------

    /**
     * madvise_collapse(): synchronous, whatever the sysfs settings say; refused for VM_NOHUGEPAGE,
     * PR_SET_THP_DISABLE "completely" (vma_thp_disabled() with a forced collapse), HugeTLB and shared VMAs
     * (EINVAL); the range is clamped inward to whole PMD windows (EINVAL when none is left), and each
     * window's pages, swapped ones read back, are copied into a new THP: thp_collapse_alloc, or
     * thp_collapse_alloc_failed and ENOMEM when no free pageblock is left. No max_ptes_* limits apply
     * (they are khugepaged's only). Simplification: no direct reclaim or compaction for the allocation.
     */
    public int madviseCollapse(Mm mm, Vma v, long from, long to) {
        if (mm.thpDisabled(v.flags, true) || v.has(VM_HUGETLB) || v.has(VM_SHARED)) return -Errno.EINVAL;
        long first = (from + pmd - 1) / pmd * pmd, last = to / pmd * pmd;
        // madvise_collapse() returns 0 when the windows collapsed are (hend - hstart) >> HPAGE_PMD_SHIFT: 0 of 0
        // when hstart == hend; when the range lies inside one window hend - hstart wraps (unsigned): -EINVAL
        if (first > last) return -Errno.EINVAL;
        for (long a = first; a < last; a += pmd) {
            int i = v.slotOf(a);
            if (v.kind(i) == Vma.PMD_THP) continue;
            if (v.underIo(i) || pages.sharers(v.share(i)) > 1) return -Errno.EAGAIN;
            long h = alloc.allocPages(AllocRequest.pmd(mm.node, Gfp.WMARK_MIN | nosplitGfp(v))).handle();
            if (h < 0) {
                count.accept(VmStat.thp_collapse_alloc_failed, 1);
                return -Errno.ENOMEM;
            }
            if (!charged(mm)) {
                count.accept(VmStat.thp_collapse_alloc, 1);
                pages.putFolio(h);
                return -Errno.EBUSY;   // SCAN_CGROUP_CHARGE_FAIL
            }
            collapse(mm, v, i, h);
            count.accept(VmStat.thp_collapse_alloc, 1);
        }
        return 0;
    }

    /**
     * The collapse proper, for both callers: the window's swap entries are read back and freed, its PTEs
     * zapped and their pages freed, and THP {@code block} mapped by the PMD. Simplification: the swap-in
     * and the copy take no simulated time.
     */
    private void collapse(Mm mm, Vma v, int i, long block) {
        if (v.swp(i) > 0) {
            // __collapse_huge_page_swapin(): do_swap_page() on each swap entry, with its readahead
            SwapReadahead.Result ra = v.swapInReadahead(swap.readahead, i, v.swp(i), pageSize);
            count.accept(VmStat.pswpin, v.swp(i));
            count.accept(VmStat.pgmajfault, ra.majorFaults());
            count.accept(VmStat.swap_ra, ra.readahead());
            count.accept(VmStat.swap_ra_hit, ra.hits());
            count.accept(VmStat.workingset_refault_anon, v.swp(i));
            if (v.page(i) >= 0) swap.freeCluster((int) v.page(i));
            else swap.freeSlots(v.swp(i));
            mm.swapEntries -= v.swp(i);
        }
        if (v.pte(i) > 0) pages.zapPtes(mm, v, i);
        v.clear(i, Vma.RESERVED_BLOCK);
        v.collapse(i, block);
        if (nosplit.test(block)) v.set(i, Vma.RESERVED_BLOCK);
        pages.collapsed(mm, v, i);
        mm.addThps(1);
    }
}
