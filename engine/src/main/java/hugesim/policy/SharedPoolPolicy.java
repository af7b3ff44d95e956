package hugesim.policy;

import hugesim.kernel.Kernel;
import hugesim.kernel.Task;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code sharedPool(pool: S)}: Wilcox's "'reserved THPs' should be allocated from the same pool as hugetlb
 * reserve" (docs/model.md 7.2). One boot-time HugeTLB pool ({@code hugepages=S/2M}, no thp_reserved_nr)
 * serves both MAP_HUGETLB mappings and reserved THPs; mapHuge is a reserved THP, charged at madvise (or, with
 * {@code chargeAt: 'mmap'}, by mmap(MAP_RESERVED_THP)). {@code rsvd: false} keeps the charges out of
 * HugePages_Rsvd; {@code overcommit: true} and {@code swapIn:} are the author's plans as for reservedThp.
 */
public record SharedPoolPolicy(long pool, String chargeAt, boolean rsvd, boolean overcommit, String swapIn)
        implements Policy {
    public SharedPoolPolicy {
        Policy.checkSize("sharedPool", "pool", pool, 1);
        if (!ReservedThpPolicy.CHARGE_AT.contains(chargeAt)) {
            throw new IllegalArgumentException("sharedPool(chargeAt: '" + chargeAt + "') is not one of " + ReservedThpPolicy.CHARGE_AT);
        }
        if (!ReservedThpPolicy.SWAP_IN.contains(swapIn)) {
            throw new IllegalArgumentException("sharedPool(swapIn: '" + swapIn + "') is not one of " + ReservedThpPolicy.SWAP_IN);
        }
        // as for reservedThp (rule 55): a charge that cannot fail reserves nothing at mmap
        if (overcommit && chargeAt.equals("mmap")) {
            throw new IllegalArgumentException("sharedPool(chargeAt: 'mmap') reserves at mmap and cannot overcommit: drop overcommit: true or chargeAt:");
        }
    }

    /** {@code sharedPool(pool: S)}: charged at madvise, counted in HugePages_Rsvd, no overcommit. */
    public SharedPoolPolicy(long pool) {
        this(pool, "madvise", true, false, "fallback");
    }

    public static final List<String> OPTIONS = List.of("pool", "chargeAt", "rsvd", "overcommit", "swapIn");

    public String name() { return "sharedPool"; }

    public Map<String, Object> params() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pool", pool);
        if (!chargeAt.equals("madvise")) m.put("chargeAt", chargeAt);
        if (!rsvd) m.put("rsvd", false);
        if (overcommit) m.put("overcommit", true);
        if (!swapIn.equals("fallback")) m.put("swapIn", swapIn);
        return m;
    }

    /** {@code sharedPool-pool-22G-norsvd}: a false flag names itself too, so that folders stay apart. */
    @Override
    public String key() {
        return Policy.super.key() + (rsvd ? "" : "-norsvd");
    }

    public String cmdline(hugesim.mm.Geometry g) {
        return "hugepages=" + Policy.checkSize("sharedPool", "pool", pool, g.pmdSize()) / g.pmdSize();
    }

    @Override
    public void configure(Kernel k) {
        k.m.useSharedPool(rsvd);
        k.m.rthp.setOvercommit(overcommit);
        k.m.rthp.setPlan(false, swapIn);
    }

    public long mapHuge(Task t, long size) {
        return ReservedThpPolicy.mapReserved(t, size, chargeAt);
    }
}
