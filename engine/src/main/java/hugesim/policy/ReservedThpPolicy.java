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
 * {@code chargeAt: 'mmap'}: Wilcox's "hugetlbfs reserves on mmap()" and the author's mode "without swap
 * support": mapHuge is one mmap(MAP_PRIVATE|MAP_ANONYMOUS|MAP_RESERVED_THP) that charges the quota and fails
 * with ENOMEM when it is short (docs/model.md 7.1).
 */
public record ReservedThpPolicy(long reserve, boolean overcommit, boolean munmapWhole, String swapIn, String chargeAt)
        implements Policy {
    /** How a swapped-out reserved THP comes back (docs/model.md 1.9: the author says swap-in is not guaranteed). */
    public static final java.util.List<String> SWAP_IN = java.util.List.of("fallback", "wait", "fail");
    /** When the quota is charged: at madvise (the RFC as posted) or when the mapping is made (docs/model.md 7.1). */
    public static final java.util.List<String> CHARGE_AT = java.util.List.of("madvise", "mmap");

    public ReservedThpPolicy {
        Policy.checkSize("reservedThp", "reserve", reserve, 1);
        if (!SWAP_IN.contains(swapIn)) {
            throw new IllegalArgumentException("reservedThp(swapIn: '" + swapIn + "') is not one of " + SWAP_IN);
        }
        if (!CHARGE_AT.contains(chargeAt)) {
            throw new IllegalArgumentException("reservedThp(chargeAt: '" + chargeAt + "') is not one of " + CHARGE_AT);
        }
        // the author: swap support needs overcommit "before actual page faults", so it cannot pre-reserve at
        // mmap; charging at mmap is his mode "without swap support" (rule 55)
        if (overcommit && chargeAt.equals("mmap")) {
            throw new IllegalArgumentException("reservedThp(chargeAt: 'mmap') reserves at mmap and cannot overcommit: drop overcommit: true or chargeAt:");
        }
    }

    public ReservedThpPolicy(long reserve, boolean overcommit, boolean munmapWhole, String swapIn) {
        this(reserve, overcommit, munmapWhole, swapIn, "madvise");
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
        if (!chargeAt.equals("madvise")) m.put("chargeAt", chargeAt);
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
        return mapReserved(t, size, chargeAt);
    }

    /**
     * A reserved mapping of {@code size} rounded up to whole PMDs: mmap(MAP_RESERVED_THP) when the quota is
     * charged at mmap, else an anonymous mmap and madvise(MADV_RESERVED_THP). A failed call is thrown.
     */
    static long mapReserved(Task t, long size, String chargeAt) {
        long hpage = t.kernel().m.geometry.pmdSize();
        long len = (size + hpage - 1) / hpage * hpage;
        if (chargeAt.equals("mmap")) {
            long a = t.mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_RESERVED_THP);
            if (Errno.isError(a)) throw new Task.CallFailed("mmap(" + Size.format(len) + ", MAP_PRIVATE|MAP_ANONYMOUS|MAP_RESERVED_THP)", a);
            return a;
        }
        long a = t.mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
        if (Errno.isError(a)) throw new Task.CallFailed("mmap(" + Size.format(len) + ", MAP_PRIVATE|MAP_ANONYMOUS)", a);
        int r = t.madvise(a, len, MADV_RESERVED_THP);
        if (r != 0) throw new Task.CallFailed("madvise(" + Size.format(len) + ", MADV_RESERVED_THP)", r);
        return a;
    }
}
