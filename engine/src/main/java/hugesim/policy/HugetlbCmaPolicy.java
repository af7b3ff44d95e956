package hugesim.policy;

import hugesim.kernel.Kernel;
import hugesim.kernel.Task;
import hugesim.mm.hugetlb.Hstate;
import hugesim.uapi.Errno;
import hugesim.units.Size;

import java.util.LinkedHashMap;
import java.util.Map;

import static hugesim.uapi.Mman.*;

/**
 * {@code hugetlbCma(cma: S)}: hugetlb_cma=S, for gigantic (1 GiB) pages as the kernel documents it. The
 * area is lent to movable allocations while unused; mapHuge raises the 1 GiB pool out of the area
 * (migrating borrowed pages, which takes time) and maps with MAP_HUGETLB|MAP_HUGE_1GB. When a process
 * exits, the administrator shrinks the pool again so the pages return to the area.
 */
public record HugetlbCmaPolicy(long cma) implements Policy {
    public static final long GIGANTIC = Size.GB;

    public HugetlbCmaPolicy {
        Policy.checkSize("hugetlbCma", "cma", cma, GIGANTIC);
    }

    public String name() { return "hugetlbCma"; }

    public Map<String, Object> params() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cma", cma);
        return m;
    }

    public String cmdline(hugesim.mm.Geometry g) {
        if (g.gigantic() != GIGANTIC) throw new IllegalArgumentException("hugetlbCma() needs 1 GiB gigantic pages, which " + g.arch() + " does not have");
        return "hugetlb_cma=" + Size.format(cma);
    }

    public long mapHuge(Task t, long size) {
        Hstate h = t.kernel().m.hstate(GIGANTIC);
        long pages = (size + GIGANTIC - 1) / GIGANTIC;
        long missing = pages - (h.free() - h.resv());
        if (missing > 0) {
            String path = "kernel/mm/hugepages/hugepages-" + GIGANTIC / 1024 + "kB/nr_hugepages";
            t.kernel().views.sysfsWrite(path, Long.toString(h.persistent() + missing));
            long cost = h.takeAllocCost();
            if (cost > 0) t.sleep(cost);   // alloc_contig_range() migrating borrowed pages
        }
        long a = t.mmap(0, pages * GIGANTIC, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_HUGE_1GB);
        if (Errno.isError(a)) {
            afterExit(t.kernel());
            throw new Task.CallFailed("mmap(" + Size.format(pages * GIGANTIC) + ", MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB|MAP_HUGE_1GB)", a);
        }
        return a;
    }

    @Override
    public void afterExit(Kernel k) {
        Hstate h = k.m.hstate(GIGANTIC);
        h.setPersistent(h.inUse() + h.resv());
    }
}
