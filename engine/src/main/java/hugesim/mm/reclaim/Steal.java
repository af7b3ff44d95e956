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
    void count(MemoryModel m, LruFolio f, long pages) {
        if (global) m.count(item, pages);
        if (f.memcg != null) f.memcg.stolen(pages);
    }
}
