package hugesim.mm.reclaim;

import hugesim.mm.VmStat;
import hugesim.mm.filemap.FileFolio;
import hugesim.mm.memcg.MemCgroup;
import hugesim.mm.model.MemoryModel;
import hugesim.mm.vma.LruFolio;
import hugesim.mm.vma.Vma;

/**
 * Scanning the LRU lists of one node (mm/vmscan.c shrink_node(), shrink_lruvec(), shrink_active_list(),
 * shrink_inactive_list(), folio_check_references()), for kswapd and for direct reclaim alike. The classic
 * two-list LRU, the mainline default (CONFIG_LRU_GEN_ENABLED is off unless a distribution turns it on).
 *
 * <p>Simplification: a reclaim pass counts what it started writing as progress, and what it freed from the
 * swap cache and the page cache.
 */
final class Vmscan {
    /** DEF_PRIORITY: a pass scans a list's size >> priority, from 12 down to 0. */
    static final int DEF_PRIORITY = 12;

    /**
     * What a pass is for (struct scan_control): {@code memcg} is target_mem_cgroup (null for global
     * reclaim); {@code memcgLowReclaim} lets global reclaim take cgroups within memory.low.
     */
    record ScanControl(boolean kswapd, boolean reservedOnly, boolean maySwap, MemCgroup memcg, boolean memcgLowReclaim) {
        static final ScanControl KSWAPD = new ScanControl(true, false, true), DIRECT = new ScanControl(false, false, true),
                RESERVED = new ScanControl(false, true, true), NO_SWAP = new ScanControl(false, false, false),
                KSWAPD_BOOSTED = new ScanControl(true, false, false);

        ScanControl(boolean kswapd, boolean reservedOnly, boolean maySwap) {
            this(kswapd, reservedOnly, maySwap, null, false);
        }

        /** How the pages this scan frees are counted (pgsteal_*: not in /proc/vmstat for a cgroup's own limit). */
        Steal steal() { return Steal.of(kswapd, memcg == null); }

        /** try_to_free_mem_cgroup_pages(): direct reclaim of {@code memcg}'s own folios. */
        static ScanControl memcg(MemCgroup memcg, boolean maySwap) {
            return new ScanControl(false, false, maySwap, memcg, false);
        }

        ScanControl lowReclaim() {
            return new ScanControl(kswapd, reservedOnly, maySwap, memcg, true);
        }
    }

    private final MemoryModel m;
    private final Lru lru;
    private final Reclaim reclaim;
    private final int pmdPages, pageShift;
    /** Folios the last {@link #shrinkNode} looked at, on any list. */
    long scanned;
    /** Page-cache pages the last {@link #shrinkNode} freed. */
    long fileFreed;
    /** sc->memcg_low_skipped: the pass passed over a cgroup within memory.low. */
    private boolean lowSkipped;
    /** Cgroups within memory.low that a memcg_low_reclaim pass took folios of (memory.events low). */
    private final java.util.Set<MemCgroup> lowReclaimed = new java.util.LinkedHashSet<>();

    Vmscan(MemoryModel m, Lru lru, Reclaim reclaim) {
        this.m = m;
        this.lru = lru;
        this.reclaim = reclaim;
        this.pmdPages = m.geometry.pmdPages();
        this.pageShift = Integer.numberOfTrailingZeros(m.geometry.pageSize());
    }

    /**
     * shrink_node() at priorities 12 down to 0 until about {@code target} pages are freed or on their way to
     * swap: each priority splits its scan between the anonymous and the file lists as get_scan_count()
     * does, deactivates from an active list when its inactive one is low, then checks the inactive lists'
     * tails. The writes started join {@code batch}. Returns the pages freed or started.
     */
    long shrinkNode(int node, long target, ScanControl sc, WriteBatch batch) {
        lowSkipped = false;
        long started = shrinkNodeOnce(node, target, sc, batch);
        if (started == 0 && lowSkipped && sc.memcg() == null) {
            // shrink_node_memcgs() passed over protected cgroups and nothing else gave: do_try_to_free_pages()
            // goes again with memcg_low_reclaim, and each protected cgroup reclaimed counts a low event
            long before = scanned;
            lowReclaimed.clear();
            started = shrinkNodeOnce(node, target, sc.lowReclaim(), batch);
            scanned += before;
            for (MemCgroup cg : lowReclaimed) cg.eventLow();
        }
        return started;
    }

    private long shrinkNodeOnce(int node, long target, ScanControl sc, WriteBatch batch) {
        Lruvec lv = lru.lruvec(node);
        long started = 0;
        scanned = 0;
        fileFreed = 0;
        boolean swapFull = false;
        for (int priority = DEF_PRIORITY; priority >= 0 && started < target; priority--) {
            long[] w = getScanCount(node, lv, priority, sc, swapFull);
            // shrink_list(): an active list is aged only while its inactive one is low; the inactive lists'
            // counts are taken after it (the model deactivates first, so a folio it deactivates may go at once)
            long n = nr(lv, LruFolio.ACTIVE, priority, w[0], w[2], sc);
            if (n > 0 && inactiveIsLow(lv, sc)) shrinkActiveList(lv, n, sc);
            n = nr(lv, LruFolio.INACTIVE, priority, w[0], w[2], sc);
            if (n > 0) {
                long[] r = shrinkInactiveList(lv, n, target - started, sc, batch);
                started += r[0];
                swapFull |= r[1] != 0;
            }
            n = nr(lv, LruFolio.ACTIVE_FILE, priority, w[1], w[2], sc);
            if (n > 0 && inactiveFileIsLow(lv, sc)) shrinkActiveFileList(lv, n, sc);
            n = nr(lv, LruFolio.INACTIVE_FILE, priority, w[1], w[2], sc);
            if (n > 0 && started < target) {
                long freed = shrinkInactiveFileList(lv, n, target - started, sc);
                fileFreed += freed;
                started += freed;
            }
            if (swapFull && filePages(lv, sc) == 0) break;   // swap is full and there is no page cache to drop
        }
        return started;
    }

    /** Entries of {@code list} to scan: its size >> priority, times its kind's share (rounded down, as div64_u64()). */
    private static long nr(Lruvec lv, byte list, int priority, long weight, long denominator, ScanControl sc) {
        return (size(lv, list, sc) >> priority) * weight / denominator;
    }

    /**
     * The size of the lruvec the pass works on: the node's lists, or for cgroup reclaim the cgroup's
     * folios on them. The model keeps one set of lists per node and scans only the target cgroup's
     * folios on them (simplification: one age order across cgroups, where the kernel has a lruvec per
     * cgroup and node); the counts are the cgroup's own, as its lruvec's would be.
     */
    private static long size(Lruvec lv, byte list, ScanControl sc) {
        return sc.memcg() == null ? lv.size(list) : sc.memcg().lruSize(lv.node, list);
    }

    private static long filePages(Lruvec lv, byte list, ScanControl sc) {
        return sc.memcg() == null ? lv.filePages(list) : sc.memcg().lruFilePages(lv.node, list);
    }

    private boolean inactiveIsLow(Lruvec lv, ScanControl sc) {
        if (sc.memcg() == null) return lv.inactiveIsLow(pmdPages, pageShift);
        return Lruvec.inactiveIsLow(size(lv, LruFolio.INACTIVE, sc) * pmdPages, size(lv, LruFolio.ACTIVE, sc) * pmdPages, pageShift);
    }

    private boolean inactiveFileIsLow(Lruvec lv, ScanControl sc) {
        if (sc.memcg() == null) return lv.inactiveFileIsLow(pageShift);
        return Lruvec.inactiveIsLow(filePages(lv, LruFolio.INACTIVE_FILE, sc), filePages(lv, LruFolio.ACTIVE_FILE, sc), pageShift);
    }

    /**
     * Whether the pass leaves folio {@code f} alone: cgroup reclaim takes only the target's folios;
     * global reclaim passes over a cgroup within memory.low (mem_cgroup_below_low() in
     * shrink_node_memcgs()) unless memcg_low_reclaim.
     */
    private boolean skip(LruFolio f, ScanControl sc) {
        MemCgroup cg = f.memcg;
        if (sc.memcg() != null) return cg != sc.memcg();
        if (cg == null || !cg.belowLow()) return false;
        if (sc.memcgLowReclaim()) {
            lowReclaimed.add(cg);
            return false;
        }
        lowSkipped = true;
        return true;
    }

    /**
     * get_scan_count(): the shares of a scan that go to the anonymous and the file lists, {anon, file,
     * denominator}: only the file lists when swap has no room or may not be used (can_reclaim_anon_pages(),
     * sc->may_swap); only the anonymous lists when the page cache and
     * free memory together are under the high watermark (file_is_tiny); only the file lists while the
     * inactive file list is large and not low (cache_trim_mode); else swappiness : 200 − swappiness
     * (SCAN_FRACT). Each list's scan is its size >> priority times its share. The author's reserved-THP
     * reclaim looks at anonymous memory alone.
     *
     * <p>Simplifications: the recent costs of reclaiming each kind (lru_note_cost()) are taken as equal; a
     * node without page cache scans its anonymous lists as before (file_is_tiny holds whenever it reclaims);
     * priority 0 keeps the split (no SCAN_EQUAL): an entry is up to 512 pages, so the model's small
     * reclaim targets reach priority 0 far more often than the kernel's, where it is a last resort.
     */
    private long[] getScanCount(int node, Lruvec lv, int priority, ScanControl sc, boolean swapFull) {
        long filePages = filePages(lv, sc);
        if (sc.reservedOnly()) return SCAN_ANON;
        if (!sc.maySwap()) return SCAN_FILE;
        if (filePages == 0) return SCAN_ANON;
        // can_reclaim_anon_pages(): for cgroup reclaim, the cgroup's swap room too
        boolean canAnon = !swapFull && m.swap.freeSlots() > 0 && (sc.memcg() == null || sc.memcg().swapRoom() > 0);
        int swappiness = reclaim.swappiness();
        if (!canAnon) return SCAN_FILE;
        var z = m.pages.zone(node);
        // file_is_tiny is for global reclaim only (!cgroup_reclaim(sc))
        if (sc.memcg() == null && filePages + z.usableFree(false) <= z.high()) return SCAN_ANON;
        if ((filePages(lv, LruFolio.INACTIVE_FILE, sc) >> priority) > 0 && !inactiveFileIsLow(lv, sc)) return SCAN_FILE;
        return new long[] {swappiness, 200 - swappiness, 200};
    }

    private static final long[] SCAN_ANON = {1, 0, 1}, SCAN_FILE = {0, 1, 1};

    private static long filePages(Lruvec lv, ScanControl sc) {
        return filePages(lv, LruFolio.INACTIVE_FILE, sc) + filePages(lv, LruFolio.ACTIVE_FILE, sc);
    }

    /**
     * shrink_active_list() for the file lists: page-cache folios that no process maps (all of the model's)
     * are deactivated whatever their PG_referenced (only referenced executable mappings stay active).
     */
    private void shrinkActiveFileList(Lruvec lv, long nrToScan, ScanControl sc) {
        LruFolio f = lv.tail(LruFolio.ACTIVE_FILE);
        for (long n = 0; n < nrToScan && f != null; n++) {
            LruFolio prev = f.prev;
            if (skip(f, sc)) {
                n--;
                f = prev;
                continue;
            }
            long pages = ((FileFolio) f).pages();
            scanned++;
            m.count(VmStat.pgrefill, pages);
            lv.move(f, LruFolio.INACTIVE_FILE);
            m.count(VmStat.pgdeactivate, pages);
            f = prev;
        }
    }

    /**
     * shrink_inactive_list() for the file lists: a folio no process maps has no young bits, so
     * folio_check_references() reclaims it (FOLIOREF_RECLAIM_CLEAN when PG_referenced); a clean one is
     * freed at once (__remove_mapping(), leaving a shadow entry), a dirty one is activated with PG_reclaim
     * and the flusher woken (reclaim does not write file pages), one under writeback is kept.
     * Returns the pages freed.
     */
    private long shrinkInactiveFileList(Lruvec lv, long nrToScan, long target, ScanControl sc) {
        long freed = 0;
        boolean dirty = false;
        LruFolio f = lv.tail(LruFolio.INACTIVE_FILE);
        for (long n = 0; n < nrToScan && f != null && freed < target; n++) {
            LruFolio prev = f.prev;
            if (skip(f, sc)) {
                n--;
                f = prev;
                continue;
            }
            FileFolio ff = (FileFolio) f;
            long pages = ff.pages();
            scanned++;
            scanned(sc, f, pages);
            m.count(VmStat.pgscan_file, pages);
            if (ff.writeback()) {
                lv.move(f, LruFolio.INACTIVE_FILE);
            } else if (ff.dirty()) {
                dirty = true;
                lv.move(f, LruFolio.ACTIVE_FILE);
                m.count(VmStat.pgactivate, pages);
            } else {
                lv.del(f);
                m.pageCache.evict(ff, lv.nonresidentAge);
                lv.nonresidentAge += pages;   // workingset_eviction(): workingset_age_nonresident()
                sc.steal().count(m, f, pages);
                m.count(VmStat.pgsteal_file, pages);
                freed += pages;
            }
            f = prev;
        }
        if (dirty) m.flusher.wakeAll();   // wakeup_flusher_threads(WB_REASON_VMSCAN)
        if (freed > 0) m.memoryFreed();
        return freed;
    }

    /**
     * shrink_active_list(): anonymous folios leave the active list whether referenced or not (only
     * executable file folios stay); their young bits are cleared, PG_referenced kept.
     */
    private void shrinkActiveList(Lruvec lv, long nrToScan, ScanControl sc) {
        LruFolio f = lv.tail(LruFolio.ACTIVE);
        for (long n = 0; n < nrToScan && f != null; ) {
            LruFolio prev = f.prev;
            if (skip(f, sc)) {
                f = prev;
                continue;
            }
            if (!lru.resolve(f)) {
                lv.del(f);
                lru.dropOrphan(f, null);
            } else if (!sc.reservedOnly() || lru.foundVma.is(lru.foundSlot, Vma.RESERVED_BLOCK)) {
                n++;
                scanned++;
                long pages = pages(lru.foundVma, lru.foundSlot);
                m.count(VmStat.pgrefill, pages);
                lru.referenced(f);
                lv.move(f, LruFolio.INACTIVE);
                m.count(VmStat.pgdeactivate, pages);
            }
            f = prev;
        }
    }

    /**
     * shrink_inactive_list() and shrink_folio_list() over up to {@code nrToScan} folios from the tail:
     * folio_check_references() activates a folio young twice, keeps one young once (PG_referenced) and
     * reclaims the rest, until {@code target} pages are started. Returns {pages started, 1 if swap was full}.
     */
    private long[] shrinkInactiveList(Lruvec lv, long nrToScan, long target, ScanControl sc, WriteBatch batch) {
        long started = 0;
        LruFolio f = lv.tail(LruFolio.INACTIVE);
        for (long n = 0; n < nrToScan && f != null && started < target; ) {
            LruFolio prev = f.prev;
            if (skip(f, sc)) {
                f = prev;
                continue;
            }
            if (!lru.resolve(f)) {
                lv.del(f);
                started += lru.dropOrphan(f, sc.steal());
                f = prev;
                continue;
            }
            Vma v = lru.foundVma;
            int i = lru.foundSlot;
            if (sc.reservedOnly() && !(v.kind(i) == Vma.PMD_THP && v.is(i, Vma.RESERVED_BLOCK)) && !f.cacheReserved) {
                f = prev;
                continue;
            }
            n++;
            scanned++;
            long pages = pages(v, i);
            scanned(sc, f, pages);
            if (!Lru.onLru(v, i)) {
                lv.del(f);   // mlocked since it joined: onto the unevictable list, which the model does not keep
                reclaim.swapCache.drop(f);
                v.setLru(i, null);
                f = prev;
                continue;
            }
            if (!reclaim.evictable(v, i)) {
                lv.move(f, LruFolio.INACTIVE);   // busy: under I/O, or shared after fork (see Reclaim)
                f = prev;
                continue;
            }
            boolean wasReferenced = f.referenced;
            f.referenced = false;
            if (mapped(v, i) && lru.referenced(f)) {
                // FOLIOREF_ACTIVATE when PG_referenced was set already, else FOLIOREF_KEEP with it set
                f.referenced = true;
                lv.move(f, wasReferenced ? LruFolio.ACTIVE : LruFolio.INACTIVE);
                if (wasReferenced) m.count(VmStat.pgactivate, pages);
            } else if (reclaim.keptWhole(v, i)) {
                lv.move(f, LruFolio.ACTIVE);   // a ZONE_NOSPLIT folio swap cannot take whole (rule 69)
                m.count(VmStat.pgactivate, pages);
            } else {
                long got = reclaim.reclaimFolio(f.mm, v, i, sc.steal(), batch);
                if (got == Reclaim.MEMCG_SWAP_MAX) {
                    // add_to_swap() failed on the cgroup's memory.swap.max: activate_locked, scan on
                    lv.move(f, LruFolio.ACTIVE);
                    m.count(VmStat.pgactivate, pages);
                    f = prev;
                    continue;
                }
                if (got < 0) {
                    lv.move(f, LruFolio.INACTIVE);
                    return new long[] {started, 1};
                }
                // isolated while written, or gone with its pages; kept when only its swap cache went
                if (v.underIo(i) || !Lru.onLru(v, i)) lv.del(f);
                else lv.move(f, LruFolio.INACTIVE);
                started += got;
            }
            f = prev;
        }
        return new long[] {started, 0};
    }

    /** Pages of the entry: mapped, or held by the swap cache. */
    private long pages(Vma v, int i) {
        LruFolio f = v.lru(i);
        return (v.kind(i) == Vma.PMD_THP ? pmdPages : v.pte(i)) + (f == null ? 0 : f.cachePages);
    }

    /** Whether any of the entry's pages are mapped (a folio only in the swap cache has no young bits). */
    private static boolean mapped(Vma v, int i) {
        return v.kind(i) == Vma.PMD_THP || v.pte(i) > 0;
    }

    /**
     * pgscan_kswapd or pgscan_direct: in /proc/vmstat unless a cgroup's own limit drove the scan
     * (cgroup_reclaim()), in the folio's cgroup's memory.stat always (shrink_inactive_list()).
     */
    private void scanned(ScanControl sc, LruFolio f, long pages) {
        if (sc.memcg() == null) m.count(sc.kswapd() ? VmStat.pgscan_kswapd : VmStat.pgscan_direct, pages);
        if (f.memcg != null) f.memcg.scanned(pages);
    }
}
