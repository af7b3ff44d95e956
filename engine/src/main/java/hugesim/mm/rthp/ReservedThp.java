package hugesim.mm.rthp;

import hugesim.mm.hugetlb.Hstate;
import hugesim.mm.page.MigrateType;
import hugesim.uapi.Errno;
import hugesim.mm.page.Zone;

import java.util.List;
import java.util.function.Consumer;

/**
 * mm/reserved_thp.c of the RFC: the boot-time reservation of MIGRATE_RESERVED_THP pageblocks and the
 * global quota (one total/used pair under one lock: no per-node or per-memcg split, rule 17).
 */
public final class ReservedThp {
    private long total;
    private long used;
    private long requested;
    private boolean warnedUncharge;
    private final Consumer<String> warn;
    private boolean overcommit;

    /**
     * The author's stated plan (not in the posted code): madvise never fails on the quota, and faults
     * reclaim cold reserved THPs instead. {@code used} may then exceed {@code total}.
     */
    public void setOvercommit(boolean on) { overcommit = on; }

    public boolean overcommit() { return overcommit; }

    private boolean munmapWhole;
    private String swapIn = "fallback";

    /** Options after the author's replies in the thread, off by default (the posted code). */
    public void setPlan(boolean munmapWhole, String swapIn) {
        this.munmapWhole = munmapWhole;
        this.swapIn = swapIn;
    }

    /** munmap of part of a reserved huge page frees the whole page instead of failing with EINVAL. */
    public boolean munmapWhole() { return munmapWhole; }

    /** fallback, wait or fail: how a swapped-out reserved THP comes back. */
    public String swapIn() { return swapIn; }

    /** @param warn receives the text of a kernel WARN (recorded as a {@code kernel_warning} event) */
    public ReservedThp(Consumer<String> warn) {
        this.warn = warn;
    }

    private Hstate pool;
    private boolean poolRsvd;

    /**
     * The sharedPool design (docs/model.md 7.2): reserved THPs come from HugeTLB's pool {@code h} instead of
     * MIGRATE_RESERVED_THP pageblocks; the quota's capacity is the pool's. With {@code rsvd}, charges not yet
     * faulted are reservations of the pool (HugePages_Rsvd, and what HugeTLB's mmap sees), rule 59.
     */
    public void usePool(Hstate h, boolean rsvd) {
        pool = h;
        poolRsvd = rsvd;
        h.shareReservations(rsvd ? () -> Math.max(0, used - h.lent()) : () -> 0);
    }

    /** Whether reserved THPs come from the HugeTLB pool (sharedPool). */
    public boolean pooled() { return pool != null; }

    /** A pool page for a reserved THP fault on node {@code nid} (rule 60), or -1; only when {@link #pooled()}. */
    public long takePoolPage(int nid) { return pool.lendThp(nid); }

    /**
     * Where a freed reserved THP's page goes: a page lent by the shared pool goes back to the pool
     * (free_huge_folio(), rule 62), and true; false for any other page, which the caller frees to the buddy
     * allocator.
     */
    public boolean putPoolPage(long handle) { return pool != null && pool.returnLent(handle); }

    /** Whether {@code handle} is a pool page mapped as a reserved THP. */
    public boolean isPoolPage(long handle) { return pool != null && pool.isLent(handle); }

    /** Pool pages mapped as reserved THPs (the shared pool's reserved_thp resident view). */
    public long poolResident() { return pool == null ? 0 : pool.lent(); }

    /**
     * Charged hpages that neither HugePages_Rsvd nor HugeTLB's pages in use show: all of them with
     * reserved pageblocks; in the shared pool, what an overcommit charged beyond the pool (and, without
     * {@code rsvd}, every charge not yet faulted).
     */
    public long usedOutsidePool() {
        if (pool == null) return used;
        long notFaulted = Math.max(0, used - pool.lent());
        return poolRsvd ? notFaulted - (pool.resv() - pool.hugetlbResv()) : notFaulted;
    }

    /** total_hpages: the reserved pageblocks, or in the shared pool the pool's HugePages_Total. */
    public long total() { return pool != null ? pool.total() : total; }
    /** MIGRATE_RESERVED_THP pageblocks reserved at boot, in hpages (none in the shared pool). */
    public long reservedAtBoot() { return total; }
    public long used() { return used; }
    public long free() { return total() - used; }
    public long requested() { return requested; }

    /**
     * reserved_thp_pageblocks(): allocate blocks of max(PMD order, pageblock order) with
     * GFP_HIGHUSER|__GFP_NORETRY until one fails, mark them MIGRATE_RESERVED_THP and free them onto that
     * list (RFC patch 2/8, rules 6-8). Each reserved block at once becomes unusable free memory for the
     * next attempt, so the loop stops near the min watermark. Zones are tried node by node from the boot
     * node (node 0).
     *
     * @return the number of hpages reserved
     */
    public long reserveAtBoot(long nrHpages, List<Zone> zones, int blocksPerUnit, int hpagesPerUnit) {
        requested = nrHpages;
        long reserved = 0;
        int[] cursor = new int[zones.size()];
        int order = 31 - Integer.numberOfLeadingZeros(zones.get(0).blockPages * blocksPerUnit);
        while (Long.compareUnsigned(reserved, nrHpages) < 0) {
            // get_page_from_freelist() walks the zonelist from the boot node at the low watermark; the
            // NORETRY slow path walks it once more at min, then gives up
            int zi = pick(zones, order, true, cursor, blocksPerUnit);
            if (zi < 0) zi = pick(zones, order, false, cursor, blocksPerUnit);
            if (zi < 0) break;
            Zone z = zones.get(zi);
            int first = takeAlignedRun(z, blocksPerUnit, cursor[zi]);
            cursor[zi] = first + blocksPerUnit;
            for (int blk = first; blk < first + blocksPerUnit; blk++) {
                z.setType(blk, MigrateType.RESERVED_THP);
                z.putBlock(blk);
            }
            reserved += hpagesPerUnit;
        }
        total = reserved;
        return reserved;
    }

    /** The first zone that passes the low (or min) watermark for a unit and still has one; -1 if none. */
    private static int pick(List<Zone> zones, int order, boolean low, int[] cursor, int blocksPerUnit) {
        for (int i = 0; i < zones.size(); i++) {
            Zone z = zones.get(i);
            if (!z.watermarkOk(order, low ? z.low() : z.min(), false, false)) continue;
            if (hasAlignedRun(z, blocksPerUnit, cursor[i])) return i;
        }
        return -1;
    }

    private static boolean hasAlignedRun(Zone z, int n, int from) {
        outer:
        for (int first = from; first + n <= z.nrBlocks; first += n) {
            for (int b = first; b < first + n; b++) {
                if (!z.isFreeBlock(b) || z.typeOf(b) == MigrateType.RESERVED_THP || z.typeOf(b) == MigrateType.CMA) continue outer;
            }
            return true;
        }
        return false;
    }

    /**
     * The lowest naturally aligned run of {@code n} free ordinary blocks at or above {@code from}, taken;
     * -1 if none. Blocks below {@code from} were taken by earlier iterations and nothing frees them at boot.
     */
    private static int takeAlignedRun(Zone z, int n, int from) {
        outer:
        for (int first = from; first + n <= z.nrBlocks; first += n) {
            for (int b = first; b < first + n; b++) {
                if (!z.isFreeBlock(b) || z.typeOf(b) == MigrateType.RESERVED_THP || z.typeOf(b) == MigrateType.CMA) continue outer;
            }
            for (int b = first; b < first + n; b++) z.takeBlock(b);
            return first;
        }
        return -1;
    }

    /**
     * reserved_thp_charge(): all or nothing; -ENOMEM when {@code n > total - used} (rule 18), unless
     * overcommitting. In the shared pool with {@code rsvd}, what is left is what HugeTLB's
     * hugetlb_acct_memory() sees, free − HugePages_Rsvd (rule 59).
     */
    public int charge(long n) {
        if (n == 0) return 0;
        long left = pool != null && poolRsvd ? pool.free() - pool.resv() : total() - used;
        if (n > left && !overcommit) return -Errno.ENOMEM;
        used += n;
        return 0;
    }

    /** reserved_thp_uncharge(): WARN_ON_ONCE and clamp to 0 when {@code n > used} (rule 19). */
    public void uncharge(long n) {
        if (n == 0) return;
        if (n > used) {
            if (!warnedUncharge) {
                warnedUncharge = true;
                warn.accept("WARNING: reserved_thp_uncharge: uncharging " + n + " hpages with only " + used + " used");
            }
            used = 0;
            return;
        }
        used -= n;
    }
}
