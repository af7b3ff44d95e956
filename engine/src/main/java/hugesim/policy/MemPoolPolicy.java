package hugesim.policy;

import hugesim.kernel.Kernel;
import hugesim.kernel.Task;
import hugesim.uapi.Errno;
import hugesim.units.Size;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import static hugesim.uapi.Mman.*;

/**
 * {@code memPool(perNode: [A, B], numa: 'preferred')}: Hildenbrand's "global pool that can be consumed by
 * various consumers", file-centric, NUMA- and memcg-aware (docs/model.md 9). The PMD-size HugeTLB pool is
 * booted per node ({@code hugepages=0:A/2M,1:B/2M}; {@code size: S} spreads it as plain {@code hugepages=} does)
 * and serves MAP_HUGETLB mappings as ever and pool files: mapHuge creates a memfd with MFD_POOL, sets its
 * size (which reserves it on the caller's node, charged to its cgroup's memory.pool.current), maps it shared
 * and closes it. {@code numa: 'local'} (default) keeps a file's reservation on the caller's node;
 * {@code 'preferred'} lets it take other nodes' pages when the local node is short.
 */
public record MemPoolPolicy(List<Long> perNode, long size, String numa) implements Policy {
    public static final List<String> OPTIONS = List.of("perNode", "size", "numa");
    /** Where a pool file's reservation may be held (rule 81). */
    public static final List<String> NUMA = List.of("local", "preferred");

    public MemPoolPolicy {
        if ((perNode == null) == (size == 0)) {
            throw new IllegalArgumentException("memPool() needs perNode: or size:" + (perNode == null ? "" : ", not both")
                    + ", e.g. memPool(perNode: [8.GB, 8.GB]) or memPool(size: 16.GB)");
        }
        if (perNode != null) {
            if (perNode.isEmpty()) throw new IllegalArgumentException("memPool(perNode: []) names no node");
            perNode = List.copyOf(perNode);
            for (int n = 0; n < perNode.size(); n++) {
                if (perNode.get(n) < 0) throw new IllegalArgumentException("memPool(perNode:) node " + n + "'s size must not be negative, got " + perNode.get(n) + " bytes");
            }
            if (perNode.stream().allMatch(b -> b == 0)) throw new IllegalArgumentException("memPool(perNode:) sets nothing aside on any node");
        } else {
            Policy.checkSize("memPool", "size", size, 1);
        }
        if (!NUMA.contains(numa)) throw new IllegalArgumentException("memPool(numa: '" + numa + "') is not one of " + NUMA);
    }

    /** {@code memPool(size: S)}: spread over the nodes, reservations on the caller's node. */
    public MemPoolPolicy(long size) {
        this(null, size, "local");
    }

    public String name() { return "memPool"; }

    public Map<String, Object> params() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (perNode != null) m.put("perNode", perNode);
        else m.put("size", size);
        if (!numa.equals("local")) m.put("numa", numa);
        return m;
    }

    /** {@code hugepages=0:A/2M,1:B/2M}, or {@code hugepages=N} spread round-robin (rule 79). */
    public String cmdline(hugesim.mm.Geometry g) {
        long pmd = g.pmdSize();
        if (perNode == null) return "hugepages=" + Policy.checkSize("memPool", "size", size, pmd) / pmd;
        StringJoiner j = new StringJoiner(",", "hugepages=", "");
        for (int n = 0; n < perNode.size(); n++) {
            long bytes = perNode.get(n);
            if (bytes % pmd != 0) throw new IllegalArgumentException("memPool(perNode:) node " + n + "'s " + Size.format(bytes) + " is not a multiple of " + Size.format(pmd));
            j.add(n + ":" + bytes / pmd);
        }
        return j.toString();
    }

    @Override
    public void check(hugesim.mm.Geometry g, int nodes) {
        cmdline(g);
        if (perNode != null && perNode.size() > nodes) {
            throw new IllegalArgumentException("memPool(perNode:) sizes " + perNode.size() + " nodes, the machine has " + nodes);
        }
    }

    @Override
    public void configure(Kernel k) {
        check(k.m.geometry, k.m.pages.zones().size());
        k.m.useMemPool(numa.equals("preferred"));
    }

    /** memfd_create(MFD_POOL), ftruncate to the size (the reservation), mmap(MAP_SHARED), close. */
    public long mapHuge(Task t, long size) {
        long hpage = t.kernel().m.geometry.pmdSize();
        long len = (size + hpage - 1) / hpage * hpage;
        int fd = t.memfd_create("mapHuge", MFD_POOL);
        if (fd < 0) throw new Task.CallFailed("memfd_create(MFD_POOL)", fd);
        int r = t.ftruncate(fd, len);
        if (r != 0) {
            t.close(fd);
            throw new Task.CallFailed("ftruncate(" + Size.format(len) + ")", r);
        }
        long a = t.mmap(0, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        t.close(fd);
        if (Errno.isError(a)) throw new Task.CallFailed("mmap(" + Size.format(len) + ", MAP_SHARED, pool file)", a);
        return a;
    }
}
