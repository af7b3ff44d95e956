package hugesim.scenario;

import hugesim.record.BlockMap;
import hugesim.kernel.Kernel;
import hugesim.kernel.Views;
import hugesim.mm.VmStat;
import hugesim.mm.hugetlb.Hstate;
import hugesim.record.Metrics;
import hugesim.record.Series;

/** Reads the kernel's views every sample interval into a {@link Series} under {@link Metrics}' names. */
final class Sampler {
    private final Kernel k;
    private final Series series;
    private final double[] row = new double[Metrics.ALL.size()];
    /** The /proc/vmstat counters sampled, in {@link Metrics}' order. */
    private static final VmStat[] COUNTERS = {VmStat.thp_fault_alloc, VmStat.thp_fault_fallback, VmStat.thp_split_page,
            VmStat.thp_swpout, VmStat.thp_swpout_fallback, VmStat.pswpin, VmStat.pswpout, VmStat.oom_kill,
            VmStat.cma_alloc_success, VmStat.cma_alloc_fail};

    private final PageblockSampler blocks;

    /** @param rows the samples the run will take (its length over the interval, plus the one at 0) */
    Sampler(Kernel k, long rows) {
        this.k = k;
        this.series = new Series(Metrics.ALL, (int) Math.min(rows, Integer.MAX_VALUE - 8));
        this.blocks = new PageblockSampler(k.m.pages.zones(), k.m.geometry.blockSize(), rows);
    }

    /**
     * The series, with memcg.NAME.current and memcg.NAME.swap.current (and memcg.NAME.pool.current under the
     * memPool design) after the fixed metrics for every
     * cgroup whose memory files were read or written (so a run that never uses the memory controller
     * has exactly {@link Metrics#ALL}).
     */
    Series series() {
        for (var e : memcgRows.entrySet()) {
            if (!e.getKey().filesUsed()) continue;
            series.addColumn(Metrics.memcg(e.getKey().name, "current"), e.getValue()[0]);
            series.addColumn(Metrics.memcg(e.getKey().name, "swap.current"), e.getValue()[1]);
            if (k.m.memPool()) series.addColumn(Metrics.memcg(e.getKey().name, "pool.current"), e.getValue()[2]);
        }
        memcgRows.clear();
        return series;
    }

    /** Each memory cgroup's memory.current, memory.swap.current and memory.pool.current at every sample, in bytes. */
    private final java.util.Map<hugesim.mm.memcg.MemCgroup, double[][]> memcgRows = new java.util.LinkedHashMap<>();

    private void sampleMemcgs(int row) {
        long ps = k.m.geometry.pageSize();
        for (var cg : k.memcgs().values()) {
            double[][] c = memcgRows.computeIfAbsent(cg, x -> new double[3][Math.max(16, row + 1)]);
            if (row >= c[0].length) {
                for (int j = 0; j < c.length; j++) c[j] = java.util.Arrays.copyOf(c[j], Math.max(row + 1, 2 * c[j].length));
            }
            c[0][row] = cg.current() * ps;
            c[1][row] = cg.swapCurrent() * ps;
            c[2][row] = cg.poolCurrent() * ps;
        }
    }

    BlockMap blockMap() { return blocks.map(); }

    void sample() {
        Views v = k.views;
        var m = k.m;
        int i = 0;
        long pmdKb = m.geometry.pmdSize() / 1024;
        long rthpResident = v.reservedResidentHpages();
        row[i++] = m.rthp.total();
        row[i++] = m.rthp.used();
        row[i++] = m.rthp.total() - m.rthp.used();
        row[i++] = rthpResident;
        Hstate def = m.defaultHstate;
        row[i++] = def.total();
        row[i++] = def.free();
        row[i++] = def.resv();
        row[i++] = def.surplus();
        long hugetlbKb = v.hugetlbKb();
        row[i++] = hugetlbKb;
        long anonHuge = v.anonHugePages();
        row[i++] = anonHuge;
        row[i++] = v.anonPagesKb();
        row[i++] = v.memFreeKb();
        long swapTotal = v.swapTotalKb(), swapFree = v.swapFreeKb();
        row[i++] = swapTotal;
        row[i++] = swapFree;
        row[i++] = v.swapCachedKb();
        long cmaTotal = v.cmaTotalKb();
        row[i++] = cmaTotal;
        row[i++] = v.cmaFreeKb();
        long sReclaimable = v.sReclaimableKb(), sUnreclaim = v.sUnreclaimKb();
        row[i++] = sReclaimable + sUnreclaim;
        row[i++] = sReclaimable;
        row[i++] = sUnreclaim;
        row[i++] = v.cachedKb();
        row[i++] = v.dirtyKb();
        row[i++] = v.writebackKb();
        row[i++] = v.pageTablesKb();
        row[i++] = v.shmemKb();
        row[i++] = v.shmemHugePagesKb();
        for (VmStat c : COUNTERS) row[i++] = m.get(c);
        long hugetlbUsedKb = 0, hugetlbInUseKb = 0, cmaHugetlbKb = 0;
        for (Hstate h : m.hstates) {
            hugetlbUsedKb += (h.inUse() + h.resv()) * (h.size / 1024);
            hugetlbInUseKb += (h.inUse() - h.lent()) * (h.size / 1024);   // lent pages are THPs: AnonHugePages
        }
        if (k.cma() != null) cmaHugetlbKb = (long) k.cma().heldPages() * (m.hstate(1L << 30).size / 1024);
        // set aside: pools, the CMA area, reserved pageblocks and the zoneNosplit design's zone
        row[i++] = hugetlbKb - cmaHugetlbKb + cmaTotal + m.rthp.reservedAtBoot() * pmdKb
                + m.nosplit.blocks() * (m.geometry.blockSize() / 1024);
        // in the shared pool the pool's in-use and Rsvd already hold most reserved-THP charges
        row[i++] = hugetlbUsedKb + m.rthp.usedOutsidePool() * pmdKb;
        row[i++] = hugetlbInUseKb + anonHuge + v.shmemPmdMappedKb();
        row[i++] = swapTotal - swapFree;
        long idleKb = 0;
        for (Hstate h : m.hstates) idleKb += h.free() * (h.size / 1024);
        for (var z : m.pages.zones()) idleKb += z.freeBlocks(hugesim.mm.page.MigrateType.RESERVED_THP) * (m.geometry.blockSize() / 1024);
        row[i++] = idleKb;
        if (!k.memcgs().isEmpty()) sampleMemcgs(series.size());
        series.add(k.env().now() / 1e9, row);
        blocks.sample(k.env().now() / 1e9);
    }
}
