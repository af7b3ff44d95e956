package hugesim.policy;

import hugesim.kernel.Task;
import hugesim.uapi.Errno;
import hugesim.units.Size;

import java.util.LinkedHashMap;
import java.util.Map;

import static hugesim.uapi.Mman.*;

/**
 * {@code hugetlb(pool: S)}: a boot-time pool of S / 2 MiB pages ({@code hugepages=}); mapHuge is
 * mmap(MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB), which reserves the whole mapping at mmap time.
 */
public record HugetlbPolicy(long pool) implements Policy {
    public static final long PAGE = 2 * Size.MB;

    public HugetlbPolicy {
        Policy.checkSize("hugetlb", "pool", pool, PAGE);
    }

    public String name() { return "hugetlb"; }

    public Map<String, Object> params() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pool", pool);
        return m;
    }

    public String cmdline() { return "hugepages=" + pool / PAGE; }

    public long mapHuge(Task t, long size) {
        long a = t.mmap(0, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB);
        if (Errno.isError(a)) throw new Task.CallFailed("mmap(" + Size.format(size) + ", MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB)", a);
        return a;
    }
}
