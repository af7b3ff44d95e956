package hugesim.scenario;

import hugesim.kernel.Kernel;
import hugesim.kernel.Views;
import hugesim.mm.hugetlb.Hstate;
import hugesim.record.Metrics;
import hugesim.record.Series;

/** Reads the kernel's views every sample interval into a {@link Series} under {@link Metrics}' names. */
final class Sampler {
    private final Kernel k;
    private final Series series;
    private final double[] row = new double[Metrics.ALL.size()];

    /** @param samples how many samples the run takes: the series is sized once for them */
    Sampler(Kernel k, int samples) {
        this.k = k;
        this.series = new Series(Metrics.ALL, samples);
    }

    Series series() { return series; }

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
        row[i++] = v.meminfo("HugePages_Total");
        row[i++] = v.meminfo("HugePages_Free");
        row[i++] = v.meminfo("HugePages_Rsvd");
        row[i++] = v.meminfo("HugePages_Surp");
        long hugetlbKb = v.hugetlbKb();
        row[i++] = hugetlbKb;
        long anonHuge = v.meminfo("AnonHugePages");
        row[i++] = anonHuge;
        row[i++] = v.meminfo("AnonPages");
        row[i++] = v.meminfo("MemFree");
        long swapTotal = v.meminfo("SwapTotal"), swapFree = v.meminfo("SwapFree");
        row[i++] = swapTotal;
        row[i++] = swapFree;
        long cmaTotal = v.meminfo("CmaTotal");
        row[i++] = cmaTotal;
        row[i++] = v.meminfo("CmaFree");
        for (String name : new String[] {"thp_fault_alloc", "thp_fault_fallback", "thp_split_page", "thp_swpout",
                "thp_swpout_fallback", "pswpin", "pswpout", "oom_kill", "cma_alloc_success", "cma_alloc_fail"}) {
            row[i++] = v.vmstat(name);
        }
        long hugetlbUsedKb = 0, hugetlbInUseKb = 0, cmaHugetlbKb = 0;
        for (Hstate h : m.hstates) {
            hugetlbUsedKb += (h.inUse() + h.resv()) * (h.size / 1024);
            hugetlbInUseKb += h.inUse() * (h.size / 1024);
        }
        if (k.cma() != null) cmaHugetlbKb = (long) k.cma().heldPages() * (m.hstate(1L << 30).size / 1024);
        row[i++] = hugetlbKb - cmaHugetlbKb + cmaTotal + m.rthp.total() * pmdKb;
        row[i++] = hugetlbUsedKb + m.rthp.used() * pmdKb;
        row[i++] = hugetlbInUseKb + anonHuge;
        row[i++] = swapTotal - swapFree;
        series.add(k.env().now() / 1e9, row);
    }
}
