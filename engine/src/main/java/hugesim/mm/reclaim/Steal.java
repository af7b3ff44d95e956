package hugesim.mm.reclaim;

import hugesim.mm.VmStat;
import hugesim.mm.model.MemoryModel;
import hugesim.mm.vma.LruFolio;

/**
 * How the pages a scan frees are counted (shrink_inactive_list()): pgsteal_kswapd or pgsteal_direct in
 * /proc/vmstat unless a cgroup's own limit drove the scan (cgroup_reclaim()), and in the folio's cgroup's
 * memory.stat always.
 */
record Steal(VmStat item, boolean global) {
    private static final Steal KSWAPD = new Steal(VmStat.pgsteal_kswapd, true), DIRECT = new Steal(VmStat.pgsteal_direct, true),
            KSWAPD_CGROUP = new Steal(VmStat.pgsteal_kswapd, false), DIRECT_CGROUP = new Steal(VmStat.pgsteal_direct, false);

    /** The four kinds, made once: a scan asks for its kind per folio. */
    static Steal of(boolean kswapd, boolean global) {
        return kswapd ? (global ? KSWAPD : KSWAPD_CGROUP) : (global ? DIRECT : DIRECT_CGROUP);
    }

    void count(MemoryModel m, LruFolio f, long pages) {
        if (global) m.count(item, pages);
        if (f.memcg != null) f.memcg.stolen(pages);
    }
}
