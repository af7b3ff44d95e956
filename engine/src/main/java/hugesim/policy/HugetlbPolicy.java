package hugesim.policy;

import hugesim.kernel.Task;
import hugesim.uapi.Errno;
import hugesim.units.Size;

import java.util.LinkedHashMap;
import java.util.Map;

import static hugesim.uapi.Mman.*;

/**
 * {@code hugetlb(pool: S)}: a boot-time pool of S / PMD-size pages ({@code hugepages=}); mapHuge is
 * mmap(MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB), which reserves the whole mapping at mmap time.
 */
public record HugetlbPolicy(long pool) implements Policy {
    public HugetlbPolicy {
        Policy.checkSize("hugetlb", "pool", pool, 1);
    }

    public String name() { return "hugetlb"; }

    public Map<String, Object> params() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pool", pool);
        return m;
    }

    public String cmdline(hugesim.mm.Geometry g) {
        return "hugepages=" + Policy.checkSize("hugetlb", "pool", pool, g.pmdSize()) / g.pmdSize();
    }

    public long mapHuge(Task t, long size) {
        long a = t.mmap(0, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB);
        if (Errno.isError(a)) throw new Task.CallFailed("mmap(" + Size.format(size) + ", MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB)", a);
        return a;
    }
}
