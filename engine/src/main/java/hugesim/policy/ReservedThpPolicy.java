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
 * that finds no free reserved block swaps cold reserved THPs out whole. {@code munmapWhole: true}: the
 * author's reply that unmapping part of a huge page frees the whole page (the code returns EINVAL).
 * {@code swapIn:} how a swapped-out reserved THP comes back: {@code 'fallback'} (mainline: 4 KiB pages),
 * {@code 'wait'} (whole, into a reserved block, reclaiming one if needed) or {@code 'fail'} (VM_FAULT_OOM).
 */
public record ReservedThpPolicy(long reserve, boolean overcommit, boolean munmapWhole, String swapIn) implements Policy {
    /** How a swapped-out reserved THP comes back (docs/model.md 1.9: the author says swap-in is not guaranteed). */
    public static final java.util.List<String> SWAP_IN = java.util.List.of("fallback", "wait", "fail");

    public ReservedThpPolicy {
        Policy.checkSize("reservedThp", "reserve", reserve, 1);
        if (!SWAP_IN.contains(swapIn)) {
            throw new IllegalArgumentException("reservedThp(swapIn: '" + swapIn + "') is not one of " + SWAP_IN);
        }
    }

    public ReservedThpPolicy(long reserve, boolean overcommit) {
        this(reserve, overcommit, false, "fallback");
    }

    public String name() { return "reservedThp"; }

    public Map<String, Object> params() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reserve", reserve);
        if (overcommit) m.put("overcommit", true);
        if (munmapWhole) m.put("munmapWhole", true);
        if (!swapIn.equals("fallback")) m.put("swapIn", swapIn);
        return m;
    }

    public String cmdline(hugesim.mm.Geometry g) {
        return "thp_reserved_nr=" + Policy.checkSize("reservedThp", "reserve", reserve, g.pmdSize()) / g.pmdSize();
    }

    @Override
    public void configure(Kernel k) {
        k.m.rthp.setOvercommit(overcommit);
        k.m.rthp.setPlan(munmapWhole, swapIn);
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
