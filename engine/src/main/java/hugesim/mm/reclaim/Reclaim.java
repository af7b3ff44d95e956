package hugesim.mm.reclaim;

import hugesim.mm.model.MemoryModel;
import hugesim.mm.page.PageRuns;
import hugesim.mm.VmStat;
import hugesim.mm.vma.Mm;
import hugesim.mm.vma.Vma;
import hugesim.mm.vma.VmFlags;

import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Swap-out of cold anonymous memory and the OOM killer (mm/vmscan.c, mm/swapfile.c, mm/oom_kill.c).
 *
 * <p>Simplification: only memory a workload has marked idle is reclaimable. Memory in use is referenced
 * between scans, so reclaim rotates it back to the active list (folio_referenced) and never evicts it.
 * Cold windows are reclaimed oldest first.
 */
public final class Reclaim implements hugesim.mm.page.DirectReclaim {
    private final MemoryModel mm;
    private final ArrayDeque<ColdRef> coldReserved = new ArrayDeque<>();
    private final ArrayDeque<ColdRef> coldOrdinary = new ArrayDeque<>();
    private final Supplier<List<Mm>> processes;
    private final Consumer<Mm> oomKill;
    private final Runnable dumpHeader;
    private long coldSeq;

    /**
     * @param processes live processes, for the OOM killer's choice
     * @param dumpHeader prints the OOM report's memory dump (show_mem), before the kill
     * @param oomKill   kills a process and tears down its memory
     */
    public Reclaim(MemoryModel mm, Supplier<List<Mm>> processes, Runnable dumpHeader, Consumer<Mm> oomKill) {
        this.mm = mm;
        this.processes = processes;
        this.dumpHeader = dumpHeader;
        this.oomKill = oomKill;
    }

    /** A window stopped being accessed: it moves to the inactive list's tail. */
    public void markCold(Mm owner, Vma v, int slot) {
        if (v.is(slot, Vma.COLD)) return;
        v.set(slot, Vma.COLD);
        ColdRef ref = new ColdRef(owner, Math.max(v.start, v.slotStart(slot)), coldSeq++);
        if (v.is(slot, Vma.RESERVED_BLOCK)) coldReserved.add(ref);
        else coldOrdinary.add(ref);
    }

    /**
     * A migrated window's new folio goes back onto the LRU (migrate_folio_move(): folio_add_lru()) with
     * the old one's active flag (folio_migrate_flags()): a cold window stays cold, as the youngest, and
     * is queued by the type of the block it now holds.
     */
    public void migrated(Mm owner, Vma v, int slot) {
        if (!v.is(slot, Vma.COLD)) return;
        long addr = Math.max(v.start, v.slotStart(slot));
        coldReserved.removeIf(r -> r.mm() == owner && r.addr() == addr);
        coldOrdinary.removeIf(r -> r.mm() == owner && r.addr() == addr);
        v.clear(slot, Vma.COLD);
        markCold(owner, v, slot);
    }

    /** Simplification: memory shared copy-on-write after fork is not reclaimed. */
    private boolean reclaimable(Vma v, int i) {
        return v != null && v.is(i, Vma.COLD) && !v.underIo(i) && mm.sharers(v.share(i)) <= 1
                && !v.has(VmFlags.VM_LOCKED) && !v.has(VmFlags.VM_HUGETLB)
                && (v.kind(i) == Vma.PMD_THP || ((v.kind(i) == Vma.PTE || v.kind(i) == Vma.PTE_THP) && v.pte(i) > 0));
    }

    /**
     * The author's plan for overcommitted Reserved THP: swap one cold reserved THP out whole, never
     * split, so its pageblock returns to the reserve. Returns false when there is no cold reserved THP or
     * no wholly free swap cluster. {@code then} runs when the write has completed and the block is free.
     */
    public boolean swapOutReservedThp(Runnable then) {
        while (!coldReserved.isEmpty()) {
            ColdRef r = coldReserved.poll();
            Vma v = r.vma();
            if (v == null) continue;
            int i = v.slotOf(r.addr());
            if (!reclaimable(v, i) || v.kind(i) != Vma.PMD_THP || !v.is(i, Vma.RESERVED_BLOCK)) continue;
            int cluster = mm.swap.allocCluster();
            if (cluster < 0) {
                coldReserved.addFirst(r);
                return false;
            }
            startWholeSwapOut(r.mm(), v, i, cluster, then);
            return true;
        }
        return false;
    }

    /**
     * Direct reclaim for ordinary memory: swap out the oldest cold window. A THP goes out whole when a
     * cluster is free, else it is split first (thp_swpout_fallback), except a reserved one under the
     * author's plan, which is never split.
     */
    public boolean swapOutOrdinary(Runnable then) {
        return reclaimPages(1, then);
    }

    /**
     * One round of direct reclaim for about {@code target} pages: the deferred-split shrinker first
     * (shrink_slab), then the oldest cold windows go to swap. {@code then} runs once every write started
     * has completed. False when nothing could be reclaimed.
     */
    public boolean reclaimPages(long target, Runnable then) {
        int[] pending = {1};   // the round itself holds one until it has started everything
        Runnable done = () -> {
            if (--pending[0] == 0) mm.env.schedule(mm.env.now(), then);
        };
        long got = mm.deferredSplit.scan();
        // one inactive list: the LRU does not know pageblock types, so a cold reserved THP is reclaimed
        // in its turn too (rules 46, 53), although its block cannot serve this allocation
        while (got < target && (!coldOrdinary.isEmpty() || !coldReserved.isEmpty())) {
            boolean reservedFirst = coldOrdinary.isEmpty()
                    || (!coldReserved.isEmpty() && coldReserved.peek().seq() < coldOrdinary.peek().seq());
            ArrayDeque<ColdRef> q = reservedFirst ? coldReserved : coldOrdinary;
            ColdRef r = q.poll();
            Vma v = r.vma();
            if (v == null) continue;
            int i = v.slotOf(r.addr());
            if (!reclaimable(v, i)) continue;
            boolean neverSplit = v.is(i, Vma.RESERVED_BLOCK) && mm.rthp.overcommit();
            int pages = v.kind(i) == Vma.PMD_THP ? mm.geometry.pmdPages() : v.pte(i);
            if (!swapOut(r.mm(), v, i, neverSplit, done)) {
                q.addFirst(r);
                break;
            }
            pending[0]++;
            got += pages;
        }
        if (got == 0) return false;
        done.run();
        return true;
    }

    /** MADV_PAGEOUT: reclaim this window now, whatever its age. */
    public void pageout(Mm owner, Vma v, int i) {
        if (!reclaimable(v, i)) return;
        // the author's plan keeps reserved THPs whole: no split when no cluster is free
        boolean neverSplit = v.is(i, Vma.RESERVED_BLOCK) && mm.rthp.overcommit();
        swapOut(owner, v, i, neverSplit, () -> {});
    }

    /** Starts writing one window to swap: whole THP if a cluster is free, else split; false if no room. */
    private boolean swapOut(Mm owner, Vma v, int i, boolean neverSplit, Runnable then) {
        int pmdPages = mm.geometry.pmdPages();
        if (v.kind(i) == Vma.PMD_THP) {
            int cluster = mm.swap.allocCluster();
            if (cluster >= 0) {
                // try_to_unmap(TTU_SPLIT_HUGE_PMD): the PMD becomes 512 swap PTEs, the folio goes whole
                mm.count(VmStat.thp_split_pmd);
                startWholeSwapOut(owner, v, i, cluster, then);
                return true;
            }
            if (neverSplit || !mm.swap.allocSlots(pmdPages)) return false;
            // split_folio_to_list() before swap-out: unmap_folio() splits the PMD, the THP becomes 512 pages
            mm.count(VmStat.thp_split_pmd);
            mm.count(VmStat.thp_swpout_fallback);
            mm.count(VmStat.thp_split_page);
            startSplitSwapOut(owner, v, i, pmdPages, true, then);
            return true;
        }
        // shrink_folio_list() splits a large folio mapped by PTEs before its pages go to swap
        if (v.kind(i) == Vma.PTE_THP) mm.deferredSplit.toBasePages(owner, v, i);
        int n = v.pte(i);
        if (!mm.swap.allocSlots(n)) return false;
        startSplitSwapOut(owner, v, i, n, false, then);
        return true;
    }

    /** The window at {@code addr} of {@code owner} when its write completes: found again by address. */
    private static Vma window(Mm owner, long addr) {
        if (owner.exited) return null;
        Vma v = owner.find(addr);
        return v != null && v.is(v.slotOf(addr), Vma.WRITEBACK) ? v : null;
    }

    private void startWholeSwapOut(Mm owner, Vma v, int i, int cluster, Runnable then) {
        long addr = Math.max(v.start, v.slotStart(i));
        long block = v.page(i);
        boolean reserved = v.is(i, Vma.RESERVED_BLOCK);
        v.set(i, Vma.WRITEBACK);
        long done = mm.swap.write(mm.env.now(), mm.geometry.pmdSize());
        owner.swapIoInFlight++;
        mm.env.schedule(done, () -> {
            owner.swapIoInFlight--;
            mm.pages.freeBlock(block);
            mm.count(VmStat.thp_swpout);
            mm.count(VmStat.pswpout, mm.geometry.pmdPages());
            Vma w = window(owner, addr);
            if (w == null) {
                mm.swap.freeCluster(cluster);   // unmapped while the write was in flight
            } else {
                int k = w.slotOf(addr);
                w.clear(k, (byte) (Vma.WRITEBACK | Vma.RESERVED_BLOCK));
                // even a whole swap-out replaces the PMD with 512 swap PTEs
                w.swappedOutWhole(k, cluster, mm.geometry.pmdPages());
                owner.addThps(-1);
                owner.swapEntries += mm.geometry.pmdPages();
            }
            then.run();
            if (reserved) mm.reservedBlockFreed();
            else mm.memoryFreed();
        });
    }

    private void startSplitSwapOut(Mm owner, Vma v, int i, int pages, boolean wasThp, Runnable then) {
        long addr = Math.max(v.start, v.slotStart(i));
        long block = v.page(i);
        boolean reserved = v.is(i, Vma.RESERVED_BLOCK);
        // the pages written are freed when the write completes, even if the window is gone by then
        long[] written = wasThp ? PageRuns.NONE : v.runs(i);
        v.set(i, Vma.WRITEBACK);
        long done = mm.swap.write(mm.env.now(), (long) pages * mm.geometry.pageSize());
        owner.swapIoInFlight++;
        mm.env.schedule(done, () -> {
            owner.swapIoInFlight--;
            mm.count(VmStat.pswpout, pages);
            if (wasThp) mm.pages.freeBlock(block);
            else freeUserPages(owner, written);
            Vma w = window(owner, addr);
            if (w == null) {
                mm.swap.freeSlots(pages);
            } else {
                int k = w.slotOf(addr);
                w.clear(k, (byte) (Vma.WRITEBACK | Vma.RESERVED_BLOCK));
                if (wasThp) owner.addThps(-1);
                w.swappedOut(k, pages, wasThp);
                owner.swapEntries += pages;
            }
            then.run();
            if (reserved) mm.reservedBlockFreed();
            else mm.memoryFreed();
        });
    }

    @Override
    public boolean tryToFreePages(long nrPages, Runnable then) {
        return reclaimPages(nrPages, then);
    }

    @Override
    public boolean reclaimReservedThp(Runnable then) {
        return swapOutReservedThp(then);
    }

    @Override
    public int outOfMemory() {
        Mm victim = oomKill();
        return victim == null ? -1 : victim.pid;
    }

    /** Frees 4 KiB pages {@code runs} of a process that no window maps any more (a read that lost its window). */
    public void freeUserPages(Mm owner, long[] runs) {
        owner.addAnonPages(-PageRuns.pages(runs));
        if (mm.pages.freeRuns(runs) > 0) mm.reservedBlockFreed();
    }

    /**
     * Zaps the PTEs of window {@code i} at offsets [from, to) and frees their pages: a PTE-mapped THP's
     * go back to its folio. Returns how many were mapped there.
     */
    public int freePtes(Mm owner, Vma v, int i, int from, int to) {
        long[] gone = v.removePages(i, from, to);
        int n = PageRuns.pages(gone);
        if (n == 0) return 0;
        if (v.kind(i) != Vma.PTE_THP) {
            freeUserPages(owner, gone);
        } else {
            owner.addAnonPages(-n);
            mm.deferredSplit.unmap(v.page(i), gone);
        }
        return n;
    }

    /** Zaps every PTE of window {@code i} (see {@link #freePtes(Mm, Vma, int, int, int)}). */
    public int freePtes(Mm owner, Vma v, int i) {
        return freePtes(owner, v, i, 0, Integer.MAX_VALUE);
    }

    /**
     * out_of_memory(): kills the process with the highest badness (RSS + swap entries), oom_kill +1.
     * Returns the victim, or null when no process holds memory.
     */
    public Mm oomKill() {
        Mm victim = null;
        long worst = 0;
        for (Mm p : processes.get()) {
            if (p.exited) continue;
            long badness = p.anonPages() + p.thps() * mm.geometry.pmdPages() + p.swapEntries;
            if (badness > worst) { worst = badness; victim = p; }
        }
        if (victim == null) return null;
        dumpHeader.run();
        mm.count(VmStat.oom_kill);
        mm.event(mm.env.now(), "oom_kill", victim.name, "Out of memory: Killed process " + victim.pid + " (" + victim.name
                + ") total-vm anon-rss:" + mm.geometry.kB(worst) + "kB", new hugesim.record.EventData.OomKilled(victim.pid, mm.geometry.kB(worst)));
        oomKill.accept(victim);
        return victim;
    }
}
