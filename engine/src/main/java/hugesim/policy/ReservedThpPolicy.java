package hugesim.policy;

import hugesim.kernel.Kernel;
import hugesim.kernel.Task;
import hugesim.uapi.Errno;
import hugesim.units.Size;

import java.util.LinkedHashMap;
import java.util.Map;

import static hugesim.uapi.Mman.*;

/**
 * {@code reservedThp(reserve: S)}: the RFC as posted. thp_reserved_nr = S / 2 MiB pageblocks are marked
 * MIGRATE_RESERVED_THP at boot; mapHuge is mmap + madvise(MADV_RESERVED_THP), which charges the quota.
 * With {@code overcommit: true}, the author's stated plan: madvise never fails on the quota, and a fault
 * that finds no free reserved block swaps cold reserved THPs out whole.
 */
public record ReservedThpPolicy(long reserve, boolean overcommit) implements Policy {
    public ReservedThpPolicy {
        Policy.checkSize("reservedThp", "reserve", reserve, 1);
    }

    public String name() { return "reservedThp"; }

    public Map<String, Object> params() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reserve", reserve);
        if (overcommit) m.put("overcommit", true);
        return m;
    }

    public String cmdline(hugesim.mm.Geometry g) {
        return "thp_reserved_nr=" + Policy.checkSize("reservedThp", "reserve", reserve, g.pmdSize()) / g.pmdSize();
    }

    @Override
    public void configure(Kernel k) {
        k.m.rthp.setOvercommit(overcommit);
    }

    public long mapHuge(Task t, long size) {
        long hpage = t.kernel().m.geometry.pmdSize();
        long len = (size + hpage - 1) / hpage * hpage;
        long a = t.mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
        if (Errno.isError(a)) throw new Task.CallFailed("mmap(" + Size.format(len) + ", MAP_PRIVATE|MAP_ANONYMOUS)", a);
        int r = t.madvise(a, len, MADV_RESERVED_THP);
        if (r != 0) throw new Task.CallFailed("madvise(" + Size.format(len) + ", MADV_RESERVED_THP)", r);
        return a;
    }
}
