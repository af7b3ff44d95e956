package hugesim.policy;

import hugesim.kernel.Kernel;
import hugesim.kernel.Task;
import hugesim.mm.nosplit.ZoneNosplit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code zoneNosplit(size: S)}: Yu Zhao's ZONE_NOSPLIT ("TAO: THP Allocator Optimizations", the idea the RFC's
 * cover letter names), docs/model.md 7.3. {@code nosplit=S} sets S aside at boot, spread over the nodes, for
 * THP allocations only; its folios are never split. {@code users:} who may allocate there: {@code 'any'}
 * THP-eligible fault, khugepaged or MADV_COLLAPSE (default), or only {@code 'madvised'} (MADV_HUGEPAGE) VMAs.
 * Nothing is charged: mapHuge is mmap + madvise(MADV_HUGEPAGE), as under {@code thp()}.
 */
public record ZoneNosplitPolicy(long size, String users) implements Policy {
    public static final List<String> OPTIONS = List.of("size", "users");

    public ZoneNosplitPolicy {
        Policy.checkSize("zoneNosplit", "size", size, 1);
        if (!ZoneNosplit.USERS.contains(users)) {
            throw new IllegalArgumentException("zoneNosplit(users: '" + users + "') is not one of " + ZoneNosplit.USERS);
        }
    }

    /** {@code zoneNosplit(size: S)}: any THP-eligible allocation may use the zone. */
    public ZoneNosplitPolicy(long size) {
        this(size, "any");
    }

    public String name() { return "zoneNosplit"; }

    public Map<String, Object> params() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("size", size);
        if (!users.equals("any")) m.put("users", users);
        return m;
    }

    public String cmdline(hugesim.mm.Geometry g) {
        Policy.checkSize("zoneNosplit", "size", size, g.blockSize());
        return "nosplit=" + size;
    }

    @Override
    public void configure(Kernel k) {
        k.m.nosplit.setUsers(users);
    }

    public long mapHuge(Task t, long size) { return new ThpPolicy().mapHuge(t, size); }
}
