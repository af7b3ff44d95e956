package hugesim.mm.reclaim;

import hugesim.mm.model.MemoryModel;
import hugesim.mm.page.PageRuns;
import hugesim.mm.VmStat;
import hugesim.mm.vma.LruFolio;
import hugesim.mm.vma.Mm;
import hugesim.mm.vma.Vma;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Reclaim (mm/vmscan.c, mm/swapfile.c, mm/oom_kill.c): the LRU lists and their scanning, kswapd per node,
 * direct reclaim for the allocator's slow path, swap-out, and the OOM killer.
 *
 * <p>Simplification: memory shared copy-on-write after fork is not reclaimed (the model keeps no
 * reverse map to unmap it from every sharer).
 */
public final class Reclaim implements hugesim.mm.page.DirectReclaim {
    private final MemoryModel mm;
    /** The LRU lists, as faults and the workload feed them. */
    public final Lru lru;
    private final Vmscan vmscan;
    private final Kswapd[] kswapd;
    private final Supplier<List<Mm>> processes;
    private final Consumer<Mm> oomKill;
    private final Runnable dumpHeader;

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
        int nodes = mm.pages.zones().size();
        this.lru = new Lru(mm, nodes);
        this.vmscan = new Vmscan(mm, lru, this);
        this.kswapd = new Kswapd[nodes];
        for (int n = 0; n < nodes; n++) kswapd[n] = new Kswapd(mm, this, vmscan, n);
    }

    /** Whether window {@code i} can go to swap now: on the evictable lists, not under I/O, not shared after fork. */
    boolean evictable(Vma v, int i) {
        return v != null && Lru.onLru(v, i) && !v.underIo(i) && mm.sharers(v.share(i)) <= 1;
    }

    /**
     * shrink_slab(): the deferred-split shrinker frees the unmapped pages of partly unmapped THPs; the
     * dentry and inode shrinkers free reclaimable slab, their share of what the zones lack to their high
     * watermarks: at one priority do_shrink_slab() scans 2 × freeable >> priority where the LRU scans
     * its size >> priority (no anonymous LRU counts when swap is full or absent: get_scan_count()).
     */
    long shrinkSlab() {
        long freed = mm.deferredSplit.scan();
        long slab = mm.slab.reclaimablePages();
        if (slab == 0) return freed;
        long lack = 0, lru = 0;
        for (var z : mm.pages.zones()) {
            lack += Math.max(0, z.high() + 1 - z.usableFree(false));
            if (mm.swap.freeSlots() > 0) lru += lru(z.node);
        }
        if (lack == 0) return freed;
        long share = (long) Math.ceil((double) lack * 2 * slab / (lru + 2 * slab));
        return freed + mm.slab.shrink(share);
    }

    /** Pages on node {@code node}'s anonymous lists, an entry counted as a PMD's worth (its most). */
    private long lru(int node) {
        return (lru.size(node, LruFolio.INACTIVE) + lru.size(node, LruFolio.ACTIVE)) * mm.geometry.pmdPages();
    }

    /**
     * One round of direct reclaim (try_to_free_pages()) for about {@code target} pages: the shrinkers,
     * then the LRU of node {@code nid} and the others in turn. {@code then} runs once every write
     * started has completed. False when nothing could be reclaimed.
     */
    public boolean reclaimPages(int nid, long target, Runnable then) {
        WriteBatch batch = new WriteBatch(mm.env, then);
        long got = shrinkSlab();
        if (got == 0) got = shrinkNodes(nid, target, Vmscan.ScanControl.DIRECT, batch);
        if (got == 0) return false;
        batch.close();
        return true;
    }

    /**
     * shrink_zones() over node {@code nid} and the others in turn until {@code target} pages are started,
     * in rounds: should_reclaim_retry() retries a round without progress up to MAX_RECLAIM_RETRIES, so that
     * a folio kept for being young once is looked at again. Returns the pages started.
     */
    private long shrinkNodes(int nid, long target, Vmscan.ScanControl sc, WriteBatch batch) {
        int nodes = kswapd.length;
        long got = 0;
        for (int round = 0; round < Kswapd.MAX_RECLAIM_RETRIES && got == 0; round++) {
            long scanned = 0;
            for (int k = 0; k < nodes && got < target; k++) {
                int node = (nid + k) % nodes;
                long started = vmscan.shrinkNode(node, target - got, sc, batch);
                scanned += vmscan.scanned;
                if (started > 0 && !sc.reservedOnly()) kswapd[node].progress();
                got += started;
            }
            if (scanned == 0) break;
        }
        return got;
    }

    /**
     * The author's plan for overcommitted Reserved THP: swap one unreferenced reserved THP out whole,
     * never split, so its pageblock returns to the reserve. The reserved THPs are found on the same LRU
     * lists as any folio (rules 46, 53), node {@code nid}'s first. False when none can go now.
     */
    public boolean swapOutReservedThp(int nid, Runnable then) {
        WriteBatch batch = new WriteBatch(mm.env, then);
        if (shrinkNodes(nid, 1, Vmscan.ScanControl.RESERVED, batch) == 0) return false;
        batch.close();
        return true;
    }

    /** MADV_PAGEOUT (reclaim_pages()): this window goes to swap now, whatever its age. */
    public void pageout(Mm owner, Vma v, int i) {
        if (!evictable(v, i)) return;
        WriteBatch batch = new WriteBatch(mm.env, () -> {});
        LruFolio f = v.lru(i);
        if (swapOut(owner, v, i, null, batch) && f != null && f.mm == owner) lru.isolate(f);
        batch.close();
    }

    /**
     * pageout() of one window: the whole THP when a swap cluster is free, else split first
     * (thp_swpout_fallback), except a reserved THP under the author's plan, which is never split. The
     * write joins {@code batch}; {@code steal} (pgsteal_kswapd or pgsteal_direct, or null) counts the
     * pages when it completes and they are freed. False when swap has no room.
     */
    boolean swapOut(Mm owner, Vma v, int i, VmStat steal, WriteBatch batch) {
        // a shared pool's page is a HugeTLB page: never split (docs/model.md rule 62)
        boolean neverSplit = v.is(i, Vma.RESERVED_BLOCK) && (mm.rthp.overcommit() || mm.rthp.pooled());
        int pmdPages = mm.geometry.pmdPages();
        if (v.kind(i) == Vma.PMD_THP) {
            int cluster = mm.swap.allocCluster();
            if (cluster >= 0) {
                // try_to_unmap(TTU_SPLIT_HUGE_PMD): the PMD becomes 512 swap PTEs, the folio goes whole
                mm.count(VmStat.thp_split_pmd);
                startWholeSwapOut(owner, v, i, cluster, steal, batch);
                return true;
            }
            if (neverSplit || !mm.swap.allocSlots(pmdPages)) return false;
            // split_folio_to_list() before swap-out: unmap_folio() splits the PMD, the THP becomes 512 pages
            mm.count(VmStat.thp_split_pmd);
            mm.count(VmStat.thp_swpout_fallback);
            mm.count(VmStat.thp_split_page);
            startSplitSwapOut(owner, v, i, pmdPages, true, steal, batch);
            return true;
        }
        // shrink_folio_list() splits a large folio mapped by PTEs before its pages go to swap
        if (v.kind(i) == Vma.PTE_THP) mm.deferredSplit.toBasePages(owner, v, i);
        int n = v.pte(i);
        if (!mm.swap.allocSlots(n)) return false;
        startSplitSwapOut(owner, v, i, n, false, steal, batch);
        return true;
    }

    /** The window at {@code addr} of {@code owner} when its write completes: found again by address. */
    private static Vma window(Mm owner, long addr) {
        if (owner.exited) return null;
        Vma v = owner.find(addr);
        return v != null && v.is(v.slotOf(addr), Vma.WRITEBACK) ? v : null;
    }

    private void startWholeSwapOut(Mm owner, Vma v, int i, int cluster, VmStat steal, WriteBatch batch) {
        long addr = Math.max(v.start, v.slotStart(i));
        long block = v.page(i);
        boolean reserved = v.is(i, Vma.RESERVED_BLOCK);
        v.set(i, Vma.WRITEBACK);
        long done = mm.swap.write(mm.env.now(), mm.geometry.pmdSize());
        owner.swapIoInFlight++;
        batch.started(mm.geometry.pmdPages());
        mm.env.schedule(done, () -> {
            owner.swapIoInFlight--;
            mm.freeThpBlock(block);
            if (steal != null) mm.count(steal, mm.geometry.pmdPages());
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
            batch.completed();
            if (reserved) mm.reservedBlockFreed();
            else mm.memoryFreed();
        });
    }

    private void startSplitSwapOut(Mm owner, Vma v, int i, int pages, boolean wasThp, VmStat steal, WriteBatch batch) {
        long addr = Math.max(v.start, v.slotStart(i));
        long block = v.page(i);
        boolean reserved = v.is(i, Vma.RESERVED_BLOCK);
        // the pages written are freed when the write completes, even if the window is gone by then
        long[] written = wasThp ? PageRuns.NONE : v.runs(i);
        v.set(i, Vma.WRITEBACK);
        long done = mm.swap.write(mm.env.now(), (long) pages * mm.geometry.pageSize());
        owner.swapIoInFlight++;
        batch.started(pages);
        mm.env.schedule(done, () -> {
            owner.swapIoInFlight--;
            if (steal != null) mm.count(steal, pages);
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
            batch.completed();
            if (reserved) mm.reservedBlockFreed();
            else mm.memoryFreed();
        });
    }

    @Override
    public boolean tryToFreePages(int nid, long nrPages, Runnable then) {
        return reclaimPages(nid, nrPages, then);
    }

    @Override
    public boolean reclaimReservedThp(int nid, Runnable then) {
        return swapOutReservedThp(nid, then);
    }

    @Override
    public void wakeupKswapd(int nid) {
        kswapd[nid].wake();
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
