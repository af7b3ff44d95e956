package hugesim.policy;

import hugesim.kernel.Task;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code asBooted()}: the machine exactly as its own {@code cmdline} boots it, nothing added, as on a real
 * machine; what a scenario that names no policy runs under. {@code mapHuge} is what an application does there
 * without a huge-page design of its own: mmap + madvise(MADV_HUGEPAGE), as under {@code thp()}.
 */
public record AsBootedPolicy() implements Policy {
    public String name() { return "asBooted"; }

    public Map<String, Object> params() { return new LinkedHashMap<>(); }

    public String cmdline(hugesim.mm.Geometry g) { return ""; }

    public long mapHuge(Task t, long size) { return new ThpPolicy().mapHuge(t, size); }

    /** "as booted", so that a table or chart says no policy was added to the machine's own command line. */
    @Override
    public String label() { return "as booted"; }

    @Override
    public String key() { return "as-booted"; }
}
