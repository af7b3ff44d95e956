package hugesim.mm.rthp;

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

    public long total() { return total; }
    public long used() { return used; }
    public long free() { return total - used; }
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

    /** reserved_thp_charge(): all or nothing; -ENOMEM when {@code n > total - used} (rule 18), unless overcommitting. */
    public int charge(long n) {
        if (n == 0) return 0;
        if (n > total - used && !overcommit) return -Errno.ENOMEM;
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
