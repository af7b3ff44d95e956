package hugesim.kernel;

import hugesim.mm.model.MemoryModel;
import hugesim.mm.hugetlb.Hstate;
import hugesim.uapi.Errno;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hstate attribute directories of mm/hugetlb_sysfs.c: /sys/kernel/mm/hugepages/hugepages-&lt;size&gt;kB
 * (hstate_attrs) and, per node, /sys/devices/system/node/nodeN/hugepages/hugepages-&lt;size&gt;kB
 * (per_node_hstate_attrs: nr_hugepages, free_hugepages, surplus_hugepages), read and written as there.
 */
final class HugetlbSysfs {
    private static final Pattern GLOBAL = Pattern.compile("kernel/mm/hugepages/hugepages-(\\d+)kB/(\\w+)");
    private static final Pattern NODE = Pattern.compile("devices/system/node/node(\\d+)/hugepages/hugepages-(\\d+)kB/(\\w+)");
    /** hstate_attrs; nr_hugepages_mempolicy behaves as nr_hugepages under the model's default policy. */
    private static final Set<String> HSTATE_ATTRS = Set.of("nr_hugepages", "nr_overcommit_hugepages", "free_hugepages",
            "resv_hugepages", "surplus_hugepages", "nr_hugepages_mempolicy");
    private static final Set<String> PER_NODE_HSTATE_ATTRS = Set.of("nr_hugepages", "free_hugepages", "surplus_hugepages");
    /** HSTATE_ATTR (0644); the rest are HSTATE_ATTR_RO (0444). */
    private static final Set<String> WRITABLE = Set.of("nr_hugepages", "nr_overcommit_hugepages", "nr_hugepages_mempolicy");

    private final MemoryModel m;

    HugetlbSysfs(MemoryModel m) {
        this.m = m;
    }

    /** kobj_to_hstate(): the file's hstate, its node (NUMA_NO_NODE for the global directory) and name. */
    record Attr(Hstate h, int nid, String name) {}

    /** The attribute a path names, or null when no such file exists on this machine. */
    Attr parse(String p) {
        Matcher g = GLOBAL.matcher(p);
        if (g.matches()) return attr(g.group(1), Hstate.NUMA_NO_NODE, g.group(2), HSTATE_ATTRS);
        Matcher n = NODE.matcher(p);
        if (!n.matches()) return null;
        int nid;
        try { nid = Integer.parseInt(n.group(1)); } catch (NumberFormatException e) { return null; }
        // hugetlb_register_all_nodes(): every online node has the directory
        if (nid >= m.pages.zones().size()) return null;
        return attr(n.group(2), nid, n.group(3), PER_NODE_HSTATE_ATTRS);
    }

    private Attr attr(String kB, int nid, String name, Set<String> names) {
        Hstate h;
        try { h = m.hstate(Long.parseLong(kB) * 1024); } catch (NumberFormatException e) { return null; }
        return h != null && names.contains(name) ? new Attr(h, nid, name) : null;
    }

    /** The *_show() functions: node counters in a node's directory, global ones otherwise. */
    String read(Attr a) {
        boolean node = a.nid() != Hstate.NUMA_NO_NODE;
        long v = switch (a.name()) {
            case "nr_hugepages", "nr_hugepages_mempolicy" -> node ? a.h().total(a.nid()) : a.h().total();   // nr_hugepages_show_common()
            case "free_hugepages" -> node ? a.h().free(a.nid()) : a.h().free();
            case "surplus_hugepages" -> node ? a.h().surplus(a.nid()) : a.h().surplus();
            case "resv_hugepages" -> a.h().resv();
            case "nr_overcommit_hugepages" -> a.h().overcommit();
            default -> throw new IllegalStateException(a.name());
        };
        return Long.toString(v);
    }

    /**
     * The *_store() functions; a read-only attribute cannot be opened for writing, root or not
     * (kernfs_fop_open() with KERNFS_ROOT_EXTRA_OPEN_PERM_CHECK): -EACCES.
     */
    int write(Attr a, String value) {
        if (!WRITABLE.contains(a.name())) return -Errno.EACCES;
        long n = kstrtoul(value);
        if (n < 0) return (int) n;
        switch (a.name()) {
            // nr_hugepages_store_common() → __nr_hugepages_store_common() → set_max_huge_pages()
            case "nr_hugepages", "nr_hugepages_mempolicy" -> a.h().setPersistent(a.nid(), n);
            case "nr_overcommit_hugepages" -> a.h().setOvercommit(n);
            default -> throw new IllegalStateException(a.name());
        }
        return 0;
    }

    /**
     * kstrtoul(buf, 10): decimal digits, an optional leading '+' and one trailing newline; -EINVAL
     * otherwise, -ERANGE past ULONG_MAX. Simplification: counts past Long.MAX_VALUE are kept as
     * Long.MAX_VALUE (as many pages as possible, which no machine has).
     */
    static long kstrtoul(String s) {
        if (s.endsWith("\n")) s = s.substring(0, s.length() - 1);
        if (s.startsWith("+")) s = s.substring(1);
        if (s.isEmpty() || !s.chars().allMatch(Character::isDigit)) return -Errno.EINVAL;
        try {
            long v = Long.parseUnsignedLong(s);
            return v < 0 ? Long.MAX_VALUE : v;
        } catch (NumberFormatException e) {
            return -Errno.ERANGE;
        }
    }
}
