package hugesim.mm.reclaim;

import hugesim.mm.KernelVersion;
import hugesim.mm.VmStat;
import hugesim.mm.memcg.MemCgroup;
import hugesim.mm.memcg.MemcgReclaimer;
import hugesim.mm.model.MemoryModel;
import hugesim.mm.page.PageRuns;
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
public final class Reclaim implements hugesim.mm.page.DirectReclaim, MemcgReclaimer {
    /** What {@link #reclaimFolio} answers when the folio's cgroup is at memory.swap.max: it stays, and is activated. */
    static final long MEMCG_SWAP_MAX = -2;

    private final MemoryModel mm;
    /** The LRU lists, as faults and the workload feed them. */
    public final Lru lru;
    /** The memory controller's charges, whose reclaim and OOM kills this class does. */
    public final hugesim.mm.memcg.MemcgCharge memcg;
    private final Vmscan vmscan;
    private final Kswapd[] kswapd;
    private final Supplier<List<Mm>> processes;
    private final Consumer<Mm> oomKill;
    private final Runnable dumpHeader;
    /** Written folios kept in memory until freed or faulted back. */
    public final SwapCache swapCache;
    /** zram's compressed memory, or null for a disk. */
    private final Zram zram;
    /** vm.swappiness: anonymous memory's weight against file pages' (200 − it) when both may be reclaimed. */
    private int swappiness = 60;

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
        this.swapCache = new SwapCache(mm);
        this.lru = new Lru(mm, nodes, swapCache);
        this.zram = mm.swap.kind == hugesim.mm.swap.SwapKind.ZRAM ? new Zram(mm) : null;
        if (zram != null) mm.swap.onFree(zram::shrink);
        this.vmscan = new Vmscan(mm, lru, this);
        this.memcg = new hugesim.mm.memcg.MemcgCharge(mm.env, this);
        this.kswapd = new Kswapd[nodes];
        for (int n = 0; n < nodes; n++) kswapd[n] = new Kswapd(mm, this, vmscan, n);
    }

    public int swappiness() { return swappiness; }

    /** vm.swappiness (0 to 200); false when out of range (proc_dointvec_minmax() with 0 and 200). */
    public boolean setSwappiness(long value) {
        if (value < 0 || value > 200) return false;
        swappiness = (int) value;
        return true;
    }

    /**
     * vm.drop_caches (drop_caches_sysctl_handler()): 1 drops the clean page cache (invalidate_mapping_pages()
     * on every file: dirty and writeback pages stay), 2 the reclaimable slab (drop_slab()), 3 both.
     * Returns the pages freed.
     */
    public long dropCaches(int mode) {
        long freed = 0;
        if ((mode & 1) != 0) {
            for (hugesim.mm.filemap.FileFolio f : mm.pageCache.folios()) {
                if (f.dirty() || f.writeback()) continue;
                long n = f.pages();
                lru.fileRemoved(f);
                mm.pageCache.drop(f);
                freed += n;
            }
            mm.count(VmStat.drop_pagecache);
        }
        if ((mode & 2) != 0) {
            freed += mm.slab.shrink(Long.MAX_VALUE);
            mm.count(VmStat.drop_slab);
        }
        if (freed > 0) mm.memoryFreed();
        return freed;
    }

    /** unlink() of a file: its page cache goes, off the LRU first. */
    public void truncate(hugesim.mm.filemap.AddressSpace file) {
        for (hugesim.mm.filemap.FileFolio f : mm.pageCache.folios(file)) lru.fileRemoved(f);
        mm.pageCache.truncate(file);
        mm.memoryFreed();
    }

    /** zram's RAM in pages (mem_used_total), 0 on a disk. */
    public long zramPages() { return zram == null ? 0 : zram.pages(); }

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
            lru += this.lru.filePages(z.node, LruFolio.INACTIVE_FILE) + this.lru.filePages(z.node, LruFolio.ACTIVE_FILE);
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
        if (got == 0 && mm.pageCache.writebackPages() > 0) {
            // reclaim_throttle(VMSCAN_THROTTLE_WRITEBACK): what is left is being written back; wait for it
            // (at most HZ/10) and look again rather than call the OOM killer
            mm.env.scheduleIn(Kswapd.HZ_10, then);
            return true;
        }
        if (got == 0) return false;
        batch.close();
        return true;
    }

    /**
     * try_to_free_mem_cgroup_pages(): the cgroup's own folios on every node's lists, in rounds as
     * {@link #shrinkNodes} makes them (MAX_RECLAIM_RETRIES without progress), from node 0. The model keeps
     * one set of LRU lists per node and scans only the cgroup's folios on them; the sizes a pass works
     * with are the cgroup's own, as its lruvec's would be.
     */
    @Override
    public long tryToFreeMemCgroupPages(MemCgroup memcg, long nrPages, boolean maySwap, Runnable then) {
        WriteBatch batch = new WriteBatch(mm.env, then);
        memcgReclaiming = true;
        long got;
        try {
            got = shrinkNodes(0, nrPages, Vmscan.ScanControl.memcg(memcg, maySwap), batch);
        } finally {
            memcgReclaiming = false;
        }
        if (got == 0) return 0;
        batch.close();
        return got;
    }

    /** A cgroup's reclaim is scanning: the writes it starts are waited for by the charge (or the writer) that asked. */
    private boolean memcgReclaiming;

    @Override
    public boolean writebackInFlight(MemCgroup memcg) {
        for (Mm p : processes.get()) if (p.memcg == memcg && !p.exited && p.swapIoInFlight > 0) return true;
        return false;
    }

    /**
     * mem_cgroup_out_of_memory(): out_of_memory() with the choice limited to the cgroup's processes
     * (mem_cgroup_scan_tasks()), by the same badness. Returns the victim's pid, or -1.
     */
    @Override
    public int outOfMemory(MemCgroup memcg) {
        Mm victim = oomKill(memcg);
        return victim == null ? -1 : victim.pid;
    }

    /**
     * Direct reclaim for a migration target (cma_alloc()'s and compaction's), which waits for nothing: the
     * clean page cache of node {@code nid}, up to {@code target} pages (a scan with may_swap off).
     * Returns the pages freed.
     */
    public long reclaimClean(int nid, long target) {
        WriteBatch none = new WriteBatch(mm.env, () -> {});
        return vmscan.shrinkNode(nid, target, Vmscan.ScanControl.NO_SWAP, none);
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

    /**
     * MADV_COLD and MADV_PAGEOUT of pages [from, to) of window {@code i} (madvise_cold_or_pageout_pte_range()):
     * a THP the range covers only in part is split first (split_folio(): thp_split_pmd, thp_split_page);
     * the window is deactivated; with {@code pageout} the pages in range are unmapped and written now
     * (reclaim_pages()), whatever their age.
     */
    public void coldOrPageout(Mm owner, Vma v, int i, int from, int to, boolean pageout) {
        int ps = mm.geometry.pageSize();
        boolean whole = from <= v.firstPage(i, ps) && to >= v.endPage(i, ps);
        boolean shared = mm.sharers(v.share(i)) > 1;   // folio_maybe_mapped_shared(): left alone
        if (!whole && !shared && !v.underIo(i)) {
            if (neverSplit(v, i)) return;   // split_folio() fails on a ZONE_NOSPLIT folio: the range is skipped (rule 69)
            boolean pmdMapped = v.kind(i) == Vma.PMD_THP;
            if (pmdMapped) mm.deferredSplit.splitHugePmd(owner, v, i);
            if (v.kind(i) == Vma.PTE_THP) {
                mm.deferredSplit.toBasePages(owner, v, i);
                if (pmdMapped) splitQueued61();   // a folio already queued is not counted again
            }
        }
        lru.cold(owner, v, i);
        if (!pageout || !evictable(v, i) || v.lru(i) == null || v.lru(i).mm != owner) return;
        LruFolio f = v.lru(i);
        WriteBatch batch = new WriteBatch(mm.env, () -> {});
        if (v.kind(i) == Vma.PMD_THP || (whole && v.pte(i) > 0)) {
            if (swapOut(owner, v, i, null, batch) > 0) lru.isolate(f);
        } else if (v.kind(i) == Vma.PTE && v.pte(i) > 0) {
            long[] range = PageRuns.select(v.runs(i), from, to, true);
            int n = swapRoom(f.memcg, PageRuns.pages(range));
            if (n > 0 && zramStore(v, i, n) && mm.swap.allocSlots(n)) startWrite(owner, v, i, -1, from, endOffset(range, n, to), n, false, null, batch);
        }
        batch.close();
    }

    /**
     * shrink_folio_list() for one window: pages the swap cache holds already are freed; mapped ones are
     * unmapped at once (their PTEs become swap entries) and written, a THP whole when the device gives it
     * a cluster, else split first (thp_swpout_fallback), except a reserved THP under the author's plan,
     * which is never split. The write joins {@code batch}; {@code steal} (a scan's, or null) counts the pages
     * when they are freed. Returns the pages freed or started, -1 when swap (or
     * zram's memory) has no room.
     */
    long reclaimFolio(Mm owner, Vma v, int i, Steal steal, WriteBatch batch) {
        LruFolio f = v.lru(i);
        long freed = swapCache.free(f);
        if (steal != null) steal.count(mm, f, freed);
        long mapped = v.kind(i) == Vma.PMD_THP ? mm.geometry.pmdPages() : v.pte(i);
        if (mapped == 0) return freed;
        if (f.keptSlots == mapped) {
            freeClean(owner, v, i, f);
            if (steal != null) steal.count(mm, f, mapped);
            return freed + mapped;
        }
        swapCache.release(f);   // written to since it was read back: the copy in swap is stale
        long started = swapOut(owner, v, i, steal, batch);
        if (started > 0) return freed + started;
        if (freed > 0) return freed;
        return started == MEMCG_SWAP_MAX ? MEMCG_SWAP_MAX : -1;
    }

    /**
     * __mem_cgroup_try_charge_swap() page by page for {@code n} pages of a folio of {@code memcg}: how many
     * fit under its memory.swap.max; each page refused counts memory.swap.events max and fail.
     */
    private static int swapRoom(MemCgroup memcg, int n) {
        if (memcg == null) return n;
        int room = (int) Math.min(n, memcg.swapRoom());
        for (int k = room; k < n; k++) memcg.eventSwapMax();
        return room;
    }

    /** The offset just past the first {@code n} pages of {@code runs}, or {@code to} when that is all of them. */
    private static int endOffset(long[] runs, int n, int to) {
        if (n >= PageRuns.pages(runs)) return to;
        long[] first = PageRuns.first(runs, n, true);
        int k = PageRuns.runs(first) - 1;
        return PageRuns.voff(first, k) + PageRuns.len(first, k);
    }

    /**
     * shrink_folio_list() for a clean folio still in the swap cache: try_to_unmap() turns its PTEs into
     * the swap entries it kept, and __remove_mapping() frees it with no write (no pswpout).
     */
    private void freeClean(Mm owner, Vma v, int i, LruFolio f) {
        int n = f.keptSlots;
        long cluster = swapCache.unmapKept(f);
        if (v.kind(i) == Vma.PMD_THP) {
            mm.count(VmStat.thp_split_pmd);
            boolean reserved = v.is(i, Vma.RESERVED_BLOCK);
            mm.freeThpBlock(v.page(i));
            owner.addThps(-1);
            v.clear(i, Vma.RESERVED_BLOCK);
            if (reserved) mm.reservedBlockFreed();
            else mm.memoryFreed();
        } else {
            freePtes(owner, v, i);
            if (v.kind(i) == Vma.PTE_THP) v.dropFolio(i);
            v.clear(i, Vma.RESERVED_BLOCK);
            mm.memoryFreed();
        }
        if (cluster >= 0) v.swappedOutWhole(i, (int) cluster, n);
        else v.swappedOut(i, n, false);
        owner.swapEntries += n;
        lru.isolate(f);
    }

    /**
     * The mapped pages of window {@code i} go to swap (see {@link #reclaimFolio}). Returns the pages started,
     * 0 when swap has no room, {@link #MEMCG_SWAP_MAX} when the folio's cgroup may swap none of them: a THP
     * whose cgroup cannot take 512 more slots is split (thp_swpout_fallback) and its pages go one by one
     * until memory.swap.max, the rest staying mapped (shrink_folio_list() after add_to_swap() fails).
     */
    private long swapOut(Mm owner, Vma v, int i, Steal steal, WriteBatch batch) {
        // the author's plan, and a shared pool's page (a HugeTLB page: docs/model.md rule 62), are never split
        boolean neverSplit = v.is(i, Vma.RESERVED_BLOCK) && (mm.rthp.overcommit() || mm.rthp.pooled()) || neverSplit(v, i);
        int pmdPages = mm.geometry.pmdPages();
        MemCgroup memcg = v.lru(i).memcg;
        if (v.kind(i) == Vma.PMD_THP && memcg != null && memcg.swapRoom() < pmdPages) {
            // folio_alloc_swap(): the 512-slot charge fails (memory.swap.events max, fail)
            memcg.eventSwapMax();
            if (neverSplit) return MEMCG_SWAP_MAX;
            // split_folio_to_list(): the PMD is split, the THP becomes 512 pages that try one by one
            mm.deferredSplit.splitHugePmd(owner, v, i);
            mm.deferredSplit.toBasePages(owner, v, i);
            splitQueued61();
            mm.count(VmStat.thp_swpout_fallback);
            memcg.thpSwpoutFallback();
        }
        if (v.kind(i) == Vma.PMD_THP) {
            if (!zramStore(v, i, pmdPages)) return 0;
            int cluster = mm.swap.allocCluster();
            if (cluster >= 0) {
                // try_to_unmap(TTU_SPLIT_HUGE_PMD): the PMD becomes 512 swap PTEs, the folio goes whole
                mm.count(VmStat.thp_split_pmd);
                if (memcg != null) memcg.thpSwpout();
                startWrite(owner, v, i, cluster, 0, pmdPages, pmdPages, false, steal, batch);
                return pmdPages;
            }
            if (neverSplit || !mm.swap.allocSlots(pmdPages)) return 0;
            if (memcg != null) memcg.thpSwpoutFallback();
            // split_folio_to_list() before swap-out: unmap_folio() splits the PMD, the THP becomes 512 pages
            mm.count(VmStat.thp_split_pmd);
            mm.count(VmStat.thp_swpout_fallback);
            mm.count(VmStat.thp_split_page);
            splitQueued61();
            startWrite(owner, v, i, -1, 0, pmdPages, pmdPages, true, steal, batch);
            return pmdPages;
        }
        // shrink_folio_list() splits a large folio mapped by PTEs before its pages go to swap; a ZONE_NOSPLIT
        // folio cannot be, and stays (rule 69)
        if (v.kind(i) == Vma.PTE_THP && neverSplit) return 0;
        if (v.kind(i) == Vma.PTE_THP) mm.deferredSplit.toBasePages(owner, v, i);
        int mapped = v.pte(i);
        int n = swapRoom(memcg, mapped);
        if (n == 0 && mapped > 0) return MEMCG_SWAP_MAX;
        if (!zramStore(v, i, n) || !mm.swap.allocSlots(n)) return 0;
        startWrite(owner, v, i, -1, 0, endOffset(v.runs(i), n, Integer.MAX_VALUE), n, false, steal, batch);
        return n;
    }

    /**
     * A ZONE_NOSPLIT folio that cannot go to swap whole now (PTE-mapped, or no free cluster: a swap file, a
     * rotational disk on 6.1, or none left): split_folio() would fail, so shrink_folio_list() activates it
     * (activate_locked_split) and scans on (docs/model.md rule 69). A clean copy kept in swap still frees it.
     */
    boolean keptWhole(Vma v, int i) {
        if (!neverSplit(v, i)) return false;
        if (v.kind(i) == Vma.PTE_THP) return true;
        LruFolio f = v.lru(i);
        return (f == null || f.keptSlots != mm.geometry.pmdPages()) && !mm.swap.canTakeWhole();
    }

    /**
     * 6.1's split_folio() of a PMD-mapped THP unmaps its pages one by one, and page_remove_rmap() of the first
     * queues the folio for deferred split (thp_deferred_split_page, checked by kernel-check); the model counts
     * none for mainline (not verified there).
     */
    private void splitQueued61() {
        if (mm.swap.version == KernelVersion.V6_1) mm.count(VmStat.thp_deferred_split_page);
    }

    /** Whether window {@code i} maps a ZONE_NOSPLIT folio, which reclaim never splits (docs/model.md rule 69). */
    private boolean neverSplit(Vma v, int i) {
        if (v.kind(i) == Vma.PMD_THP) return mm.nosplit.holds(v.page(i));
        return v.kind(i) == Vma.PTE_THP && mm.deferredSplit.neverSplit(v.page(i));
    }

    /** zram needs RAM for the compressed copy before it can take the pages. */
    private boolean zramStore(Vma v, int i, long pages) {
        return zram == null || zram.store(v.lru(i).node, pages);
    }

    /** The window at {@code addr} of {@code owner} when its write completes: found again by address. */
    private static Vma window(Mm owner, long addr) {
        if (owner.exited) return null;
        Vma v = owner.find(addr);
        return v != null && v.is(v.slotOf(addr), Vma.WRITEBACK) ? v : null;
    }

    /**
     * try_to_unmap() and pageout(): the window's {@code pages} mapped pages (a THP's, or the 4 KiB ones at
     * offsets [from, to)) are unmapped now and handed to the swap cache, into {@code cluster} whole or into
     * single slots ({@code split}: a THP split first), and the write starts. When it completes, the folio
     * is freed on zram, or else stays in the swap cache at the inactive list's tail for the next scan to free.
     */
    private void startWrite(Mm owner, Vma v, int i, int cluster, int from, int to, int pages, boolean split, Steal steal, WriteBatch batch) {
        long addr = Math.max(v.start, v.slotStart(i));
        LruFolio f = v.lru(i);
        swapCache.release(f);
        boolean thp = v.kind(i) == Vma.PMD_THP;
        boolean cgroupWaits = memcgReclaiming;
        if (thp) {
            swapCache.addBlock(f, v.page(i), v.is(i, Vma.RESERVED_BLOCK), split);
            owner.addThps(-1);
            if (cluster >= 0) v.swappedOutWhole(i, cluster, pages);
            else v.swappedOut(i, pages, true);
        } else {
            swapCache.addRuns(f, v.swappedOutPages(i, from, to));
            owner.addAnonPages(-pages);
        }
        owner.swapEntries += pages;
        v.clear(i, Vma.RESERVED_BLOCK);
        v.set(i, Vma.WRITEBACK);
        // swap_writepage() counts the write when it submits it (count_swpout_vm_event())
        mm.count(VmStat.pswpout, pages);
        if (cluster >= 0) mm.count(VmStat.thp_swpout);
        long done = mm.swap.write(mm.env.now(), (long) pages * mm.geometry.pageSize());
        owner.swapIoInFlight++;
        batch.started(pages);
        mm.env.schedule(done, () -> {
            owner.swapIoInFlight--;
            Vma w = window(owner, addr);
            if (w != null) w.clear(w.slotOf(addr), Vma.WRITEBACK);
            boolean kept = w != null && w.lru(w.slotOf(addr)) == f && f.cached() && mm.sharers(w.share(w.slotOf(addr))) <= 1;
            // a node still short of memory, or a cgroup over its limit, has a reclaimer scanning: the clean folio at the tail goes at once,
            // to the reclaimer that wrote it (simplification: the model does not race the two for it)
            boolean taken = steal != null && (kswapd[f.node].unbalanced() || cgroupWaits);
            if (kept && !mm.swap.synchronous() && !taken) {
                lru.rotate(f);   // folio_end_writeback(): PG_reclaim, to the inactive tail
            } else {
                long freed = swapCache.free(f);   // zram, a reclaimer waiting, or its window went while written
                if (steal != null) steal.count(mm, f, freed);
                if (kept) lru.remapped(owner, w, w.slotOf(addr));   // back on a list if part of it is still mapped
            }
            batch.completed();
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
    public void wakeupKswapd(int nid, int order, boolean directReclaim) {
        kswapd[nid].wakeup(order, directReclaim);
    }

    /** kswapd_is_running(): node {@code nid}'s kswapd is balancing it. */
    public boolean kswapdRunning(int nid) {
        return kswapd[nid].running();
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
        return oomKill(null);
    }

    /** out_of_memory() among the processes of {@code memcg}, or all of them when it is null. */
    private Mm oomKill(MemCgroup memcg) {
        Mm victim = null;
        long worst = 0;
        for (Mm p : processes.get()) {
            if (p.exited || (memcg != null && p.memcg != memcg)) continue;
            // oom_badness(): the mm's RSS (shmem mapped included) and swap entries. Simplification: its page tables
            // are left out (the kernel counts them), so a process that has mapped nothing yet is never chosen
            long badness = p.anonPages() + p.thps() * mm.geometry.pmdPages() + p.swapEntries + p.shmemPages();
            if (badness > worst) { worst = badness; victim = p; }
        }
        if (victim == null) return null;
        // dump_header(): a cgroup's OOM prints the cgroup's usage (mem_cgroup_print_oom_meminfo()), not show_mem()
        if (memcg == null) dumpHeader.run();
        mm.count(VmStat.oom_kill);
        if (victim.memcg != null) victim.memcg.eventOomKill();   // __oom_kill_process(): memcg_memory_event_mm(MEMCG_OOM_KILL)
        long shmem = victim.shmemPages();
        mm.event(mm.env.now(), "oom_kill", victim.name, (memcg == null ? "Out of memory" : "Memory cgroup out of memory") + ": Killed process " + victim.pid + " (" + victim.name
                + ") total-vm anon-rss:" + mm.geometry.kB(worst - shmem) + "kB" + (shmem > 0 ? " shmem-rss:" + mm.geometry.kB(shmem) + "kB" : ""),
                new hugesim.record.EventData.OomKilled(victim.pid, mm.geometry.kB(worst)));
        oomKill.accept(victim);
        return victim;
    }
}
