package hugesim.mm.reclaim;

import hugesim.mm.VmStat;
import hugesim.mm.filemap.FileFolio;
import hugesim.mm.model.MemoryModel;
import hugesim.mm.page.PageAllocator;
import hugesim.mm.page.PageRuns;
import hugesim.mm.vma.LruFolio;
import hugesim.mm.vma.Mm;
import hugesim.mm.vma.Vma;
import hugesim.mm.vma.VmFlags;

/**
 * The anonymous LRU lists of every node as faults and the workload feed them (mm/swap.c, mm/rmap.c): a
 * new folio goes onto the inactive list (lru_cache_add_inactive_or_unevictable(), since 5.9), an access
 * sets its young bit, folio_referenced() reads and clears it. Accesses are counted, not timed: an access
 * after the last check is what makes a folio young.
 */
public final class Lru {
    private final MemoryModel m;
    private final Lruvec[] lruvecs;
    private final SwapCache swapCache;
    /** Orders accesses and checks: young means accessed after the last folio_referenced(). */
    private long clock;
    /** Where {@link #resolve} found the entry's window. */
    Vma foundVma;
    int foundSlot;

    Lru(MemoryModel m, int nodes, SwapCache swapCache) {
        this.m = m;
        this.swapCache = swapCache;
        lruvecs = new Lruvec[nodes];
        for (int n = 0; n < nodes; n++) lruvecs[n] = new Lruvec(n);
    }

    Lruvec lruvec(int node) { return lruvecs[node]; }

    /** Entries on node {@code node}'s {@code list} (LruFolio.INACTIVE or ACTIVE). */
    public long size(int node, byte list) { return lruvecs[node].size(list); }

    /** Pages on node {@code node}'s file list {@code list} (LruFolio.INACTIVE_FILE or ACTIVE_FILE). */
    public long filePages(int node, byte list) { return lruvecs[node].filePages(list); }

    /**
     * A stretch joined the page cache (filemap_add_folio(), folio_add_lru()): onto the inactive file list,
     * or, when its shadow entry says it was evicted within the workingset's reach (workingset_refault():
     * refault distance at most the active file pages, plus the anonymous ones while swap has room), onto
     * the active one. {@code shadow} is the non-resident age its eviction recorded, or -1 for a first read.
     */
    public void fileAdded(FileFolio f, long shadow) {
        Lruvec lv = lruvecs[f.node];
        if (shadow < 0) {
            lv.add(f, LruFolio.INACTIVE_FILE);
            return;
        }
        m.count(VmStat.workingset_refault_file, f.pages());
        long distance = lv.nonresidentAge - shadow;
        long workingset = lv.filePages(LruFolio.ACTIVE_FILE);
        if (m.swap.freeSlots() > 0) workingset += m.anon.anonPages() + m.anon.thps() * m.geometry.pmdPages();
        if (distance <= workingset) {
            m.count(VmStat.workingset_activate_file, f.pages());
            lv.nonresidentAge += f.pages();
            lv.add(f, LruFolio.ACTIVE_FILE);
        } else {
            lv.add(f, LruFolio.INACTIVE_FILE);
        }
    }

    /**
     * folio_mark_accessed() on a read or write of a cached stretch: an inactive one already referenced is
     * activated (pgactivate), else it is marked referenced.
     */
    public void fileAccessed(FileFolio f) {
        if (f.list == LruFolio.INACTIVE_FILE && f.referenced) {
            Lruvec lv = lruvecs[f.node];
            lv.move(f, LruFolio.ACTIVE_FILE);
            lv.nonresidentAge += f.pages();   // workingset_activation()
            f.referenced = false;
            m.count(VmStat.pgactivate, f.pages());
        } else {
            f.referenced = true;
        }
    }

    /** The file grew into the rest of stretch {@code f}: pages {@code runs} join it, on the list it is on. */
    public void fileGrown(FileFolio f, long[] runs) {
        Lruvec lv = lruvecs[f.node];
        byte list = f.list;
        lv.del(f);
        m.pageCache.extend(f, runs);
        lv.add(f, list == LruFolio.NONE ? LruFolio.INACTIVE_FILE : list);
    }

    /** A stretch leaves the cache (truncated or dropped): off its list first, while its pages still count. */
    public void fileRemoved(FileFolio f) {
        lruvecs[f.node].del(f);
    }

    /** folio_isolate_lru() for migration: off its list, so that reclaim cannot take it meanwhile; returns the list. */
    public byte isolateFile(FileFolio f) {
        byte list = f.list;
        lruvecs[f.node].del(f);
        return list;
    }

    /** putback_lru_folio() after migration: back onto {@code list} of the node its pages are on now. */
    public void putbackFile(FileFolio f, byte list, int node) {
        f.node = node;
        if (list != LruFolio.NONE) lruvecs[node].add(f, list);
    }

    /**
     * A fault or an access reached window {@code i}: its young bit is set, and a folio not on a list goes
     * onto the inactive one. With {@code keep}, the workload goes on accessing it (its working set) until
     * it says the window is idle.
     */
    public void accessed(Mm owner, Vma v, int i, boolean keep) {
        LruFolio f = entry(owner, v, i);
        if (f == null) return;
        f.lastAccess = ++clock;
        if (keep) f.hot = true;
    }

    /** The workload stops accessing window {@code i}: it ages off the lists as reclaim finds it unreferenced. */
    public void idle(Mm owner, Vma v, int i) {
        LruFolio f = entry(owner, v, i);
        if (f != null) f.hot = false;
    }

    /**
     * MADV_COLD (madvise_cold_or_pageout_pte_range(), folio_deactivate()): young bits and PG_referenced
     * cleared, onto the inactive list. The model takes the advice at its word: the range is not accessed
     * again until the workload touches it.
     */
    public void cold(Mm owner, Vma v, int i) {
        LruFolio f = entry(owner, v, i);
        if (f == null) return;
        f.hot = false;
        f.referenced = false;
        f.lastCheck = ++clock;
        if (f.list != LruFolio.NONE) lruvecs[f.node].move(f, LruFolio.INACTIVE);
    }

    /**
     * Window {@code i} of {@code v} was just made by a move (mremap), a split or a fork, or unlocked
     * (munlock_folio() puts it back on the evictable lists): its entry follows
     * it, unless another window still holds that entry (the other side of a cut), when it gets one of its
     * own with the same age; a window with none gets one.
     */
    public void remapped(Mm owner, Vma v, int i) {
        LruFolio f = v.lru(i);
        if (f == null || f.mm != owner) {
            if (f != null) v.setLru(i, null);
            entry(owner, v, i);
            return;
        }
        long addr = windowAddr(v, i);
        if (resolve(f) && (foundVma != v || foundSlot != i)) {
            v.setLru(i, null);
            LruFolio g = entry(owner, v, i);
            if (g != null) {
                g.hot = f.hot;
                g.lastAccess = f.lastAccess;
                g.lastCheck = f.lastCheck;
            }
            return;
        }
        f.addr = addr;
        if (!onLru(v, i)) {
            isolate(f);
            // mlocked (the unevictable list): what the swap cache still holds of it goes, as for a cut of the
            // window, else nothing would free it once the window lets go of its entry
            swapCache.drop(f);
            v.setLru(i, null);
        } else if (f.list == LruFolio.NONE && !v.underIo(i)) {
            lruvecs[f.node].add(f, LruFolio.INACTIVE);
        }
    }

    /**
     * Window {@code i} holds a new folio (a collapse's THP): it joins the inactive list young, and the
     * range's access pattern carries over; the old entry leaves the lists.
     */
    public void newFolio(Mm owner, Vma v, int i) {
        LruFolio old = v.lru(i);
        v.setLru(i, null);
        if (old != null && old.mm == owner) lruvecs[old.node].del(old);
        if (old != null) swapCache.drop(old);   // the collapse read the cached pages: they go
        LruFolio f = entry(owner, v, i);
        if (f == null) return;
        f.hot = old != null && old.mm == owner && old.hot;
        f.lastAccess = ++clock;
    }

    /**
     * A migrated window's new folio goes back onto the LRU (migrate_folio_move(): folio_add_lru()) with
     * the old one's flags (folio_migrate_flags()), on the node it now lives on.
     */
    public void migrated(Mm owner, Vma v, int i) {
        LruFolio f = v.lru(i);
        if (f == null || f.mm != owner) return;
        byte list = f.list;
        lruvecs[f.node].del(f);
        f.node = nodeOf(owner, v, i);
        if (list != LruFolio.NONE) lruvecs[f.node].add(f, list);   // the new folio is the list's youngest
    }

    /** folio_rotate_reclaimable(): written and clean, to the inactive tail for the next scan to free. */
    void rotate(LruFolio f) {
        lruvecs[f.node].del(f);
        lruvecs[f.node].addTail(f, LruFolio.INACTIVE);
    }

    /**
     * An entry whose window is gone (unmapped by one side after fork, a private copy taken, a collapse):
     * what it still holds in the swap cache is freed, counted in {@code steal} when that is not null.
     * Returns the pages freed.
     */
    long dropOrphan(LruFolio f, Steal steal) {
        long n = swapCache.free(f);
        if (steal != null) steal.count(m, f, n);
        return n;
    }

    /** Off its list while its pages are written to swap (isolate_lru_folios()); the window keeps the entry. */
    void isolate(LruFolio f) {
        lruvecs[f.node].del(f);
    }

    /**
     * folio_referenced(): whether the folio was accessed since the last check (always, for a working
     * set), clearing its young bits.
     */
    boolean referenced(LruFolio f) {
        boolean young = f.young();
        f.lastCheck = ++clock;
        return young;
    }

    /**
     * The window an entry stands for, into {@link #foundVma}/{@link #foundSlot}; false when it is gone
     * (unmapped, its process exited, or the window now holds other memory).
     */
    boolean resolve(LruFolio f) {
        if (f.mm.exited) return false;
        Vma v = f.mm.find(f.addr);
        if (v == null) return false;
        int i = v.slotOf(f.addr);
        if (v.lru(i) != f) return false;
        foundVma = v;
        foundSlot = i;
        return true;
    }

    /** The window's entry, made and put on the inactive list when it has none; null when it is not on the LRU. */
    private LruFolio entry(Mm owner, Vma v, int i) {
        if (!onLru(v, i)) return null;
        LruFolio f = v.lru(i);
        if (f == null || f.mm != owner) {
            f = new LruFolio(owner, windowAddr(v, i), nodeOf(owner, v, i));
            v.setLru(i, f);
        }
        if (f.list == LruFolio.NONE && !v.underIo(i)) {
            f.node = nodeOf(owner, v, i);
            f.referenced = false;
            lruvecs[f.node].add(f, LruFolio.INACTIVE);
        }
        return f;
    }

    /**
     * Anonymous memory on the evictable lists: THPs and 4 KiB pages; not HugeTLB, the huge zero page or
     * mlocked memory (the unevictable list).
     */
    static boolean onLru(Vma v, int i) {
        if (v.has(VmFlags.VM_HUGETLB) || v.has(VmFlags.VM_LOCKED)) return false;
        byte k = v.kind(i);
        return k == Vma.PMD_THP || ((k == Vma.PTE || k == Vma.PTE_THP) && (v.pte(i) > 0 || inSwapCache(v, i)));
    }

    /** Whether the window's entry holds pages in the swap cache. */
    static boolean inSwapCache(Vma v, int i) {
        LruFolio f = v.lru(i);
        return f != null && f.cached();
    }

    private static long windowAddr(Vma v, int i) {
        return Math.max(v.start, v.slotStart(i));
    }

    private int nodeOf(Mm owner, Vma v, int i) {
        if (v.kind(i) == Vma.PMD_THP) return PageAllocator.node(v.page(i));
        long[] r = v.runs(i);
        return PageRuns.runs(r) > 0 ? PageRuns.node(r, 0) : owner.node;
    }
}
