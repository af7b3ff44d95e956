package hugesim.mm.reclaim;

import hugesim.mm.VmStat;
import hugesim.mm.model.MemoryModel;
import hugesim.mm.vma.LruFolio;
import hugesim.mm.vma.Vma;

/**
 * Scanning the LRU lists of one node (mm/vmscan.c shrink_node(), shrink_lruvec(), shrink_active_list(),
 * shrink_inactive_list(), folio_check_references()), for kswapd and for direct reclaim alike. The classic
 * two-list LRU, the mainline default (CONFIG_LRU_GEN_ENABLED is off unless a distribution turns it on).
 *
 * <p>Simplifications: anonymous lists only (the model has no page cache, so swappiness has nothing to
 * balance); a reclaim pass counts what it started writing as progress, and what it freed from the swap cache.
 */
final class Vmscan {
    /** DEF_PRIORITY: a pass scans a list's size >> priority, from 12 down to 0. */
    static final int DEF_PRIORITY = 12;

    /** What a pass is for (struct scan_control). */
    record ScanControl(boolean kswapd, boolean reservedOnly) {
        static final ScanControl KSWAPD = new ScanControl(true, false), DIRECT = new ScanControl(false, false),
                RESERVED = new ScanControl(false, true);
    }

    private final MemoryModel m;
    private final Lru lru;
    private final Reclaim reclaim;
    private final int pmdPages, pageShift;
    /** Folios the last {@link #shrinkNode} looked at, on either list. */
    long scanned;

    Vmscan(MemoryModel m, Lru lru, Reclaim reclaim) {
        this.m = m;
        this.lru = lru;
        this.reclaim = reclaim;
        this.pmdPages = m.geometry.pmdPages();
        this.pageShift = Integer.numberOfTrailingZeros(m.geometry.pageSize());
    }

    /**
     * shrink_node() at priorities 12 down to 0 until about {@code target} pages are on their way to swap:
     * each priority deactivates from the active list when the inactive one is low, then checks the
     * inactive list's tail. The writes started join {@code batch}. Returns the pages started.
     */
    long shrinkNode(int node, long target, ScanControl sc, WriteBatch batch) {
        Lruvec lv = lru.lruvec(node);
        long started = 0;
        scanned = 0;
        for (int priority = DEF_PRIORITY; priority >= 0 && started < target; priority--) {
            if (lv.inactiveIsLow(pmdPages, pageShift)) shrinkActiveList(lv, lv.size(LruFolio.ACTIVE) >> priority, sc);
            long[] r = shrinkInactiveList(lv, lv.size(LruFolio.INACTIVE) >> priority, target - started, sc, batch);
            started += r[0];
            if (r[1] != 0) break;   // swap is full
        }
        return started;
    }

    /**
     * shrink_active_list(): anonymous folios leave the active list whether referenced or not (only
     * executable file folios stay); their young bits are cleared, PG_referenced kept.
     */
    private void shrinkActiveList(Lruvec lv, long nrToScan, ScanControl sc) {
        LruFolio f = lv.tail(LruFolio.ACTIVE);
        for (long n = 0; n < nrToScan && f != null; ) {
            LruFolio prev = f.prev;
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
            if (!lru.resolve(f)) {
                lv.del(f);
                started += lru.dropOrphan(f, sc.kswapd() ? VmStat.pgsteal_kswapd : VmStat.pgsteal_direct);
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
            m.count(sc.kswapd() ? VmStat.pgscan_kswapd : VmStat.pgscan_direct, pages);
            if (!Lru.onLru(v, i)) {
                lv.del(f);   // mlocked since it joined: onto the unevictable list, which the model does not keep
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
                long got = reclaim.reclaimFolio(f.mm, v, i, sc.kswapd() ? VmStat.pgsteal_kswapd : VmStat.pgsteal_direct, batch);
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
}
