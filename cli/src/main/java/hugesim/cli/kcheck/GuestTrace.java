package hugesim.cli.kcheck;

import hugesim.kernel.Trace;
import hugesim.kernel.Views;
import hugesim.mm.VmStat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The model's trace as the guest program reads it: header lines (interfaces required, counters to dump,
 * process slots), then one line per operation, "SEQ SLOT OP ARGS…". Scenario processes become slots
 * in the order they first act; a top-level process gets a "start" line, a forked one is named by its
 * parent's fork line. Operations the guest cannot replay are refused with the script line.
 */
public final class GuestTrace {
    /** Model-only verbs and views: what a real kernel has no such call for. */
    private static final Map<String, String> MODEL_ONLY = Map.ofEntries(
            Map.entry("mapHuge", "mapHuge (backed by the policy; write its mmap and madvise calls)"),
            Map.entry("idle", "idle (the model's cold-memory marker; use madvise(MADV_COLD or MADV_PAGEOUT))"),
            Map.entry("migrate_pages", "migrate_pages (needs NUMA nodes, not replayed yet)"),
            Map.entry("zoneinfo", "zoneinfo() (the model's per-zone view differs from /proc/zoneinfo)"),
            Map.entry("showMem", "showMem() (a sysrq-m dump, not a file the guest can read)"),
            Map.entry("pagetypeinfo", "pagetypeinfo() (not replayed yet)"),
            Map.entry("pagetypeinfoFree", "pagetypeinfoFree() (not replayed yet)"),
            Map.entry("buddyinfo", "buddyinfo() (not replayed yet: the guest's own boot allocations place pages the model does not)"),
            Map.entry("unusableIndex", "unusableIndex() (not replayed yet)"),
            Map.entry("kernelAlloc", "kernelAlloc (the model's kernel allocation; a guest has no call that makes one of a given size)"),
            Map.entry("kernelFree", "kernelFree (the model's kernel allocation)"));

    /** The guest's lines, and for each operation line the model's operation (null for a process start). */
    public final List<String> lines = new ArrayList<>();
    public final List<Trace.Op> ops = new ArrayList<>();
    /** Interfaces the guest must have, e.g. /sys/kernel/mm/reserved_thp. */
    public final Set<String> requires = new LinkedHashSet<>();
    /** The cgroups the scenario uses: made (cgroup v2, its controllers on) before any process starts. */
    public final Set<String> cgroups = new LinkedHashSet<>();
    /** Whether the scenario uses the memory controller's files: then the guest turns it on beside hugetlb. */
    private boolean memcg;

    private GuestTrace() {}

    /** {@code scriptFile}: the file name frames carry; {@code display}: the path to print instead. */
    public static GuestTrace of(Trace trace, String cmdline, String scriptFile, String display) {
        GuestTrace g = new GuestTrace();
        if (cmdline.matches(".*\\bthp_reserved_(nr|size)=.*")) g.requires.add("/sys/kernel/mm/reserved_thp");
        Map<Integer, Integer> slots = new HashMap<>();
        List<String> body = new ArrayList<>();
        for (Trace.Op op : trace.ops()) {
            String where = where(op, scriptFile, display);
            String refused = MODEL_ONLY.get(op.name);
            if (refused != null) throw new CheckFailure(where + ": kernel-check cannot replay " + refused);
            if (!op.done) throw new CheckFailure(where + ": " + op.name + " had not returned when the model's run ended");
            Integer slot = slots.get(op.pid);
            if (slot == null) {
                slot = slots.size();
                slots.put(op.pid, slot);
                g.ops.add(null);
                body.add(g.ops.size() - 1 + " " + slot + " start " + (op.cgroup == null ? "-" : word(op.cgroup, where)) + " " + op.node);
                if (op.cgroup != null) g.cgroups.add(op.cgroup);
            }
            String args = args(g, op, slots, where);
            g.ops.add(op);
            body.add(g.ops.size() - 1 + " " + slot + " " + op.name + (args.isEmpty() ? "" : " " + args));
        }
        if (slots.size() > 64) throw new CheckFailure(display + ": " + slots.size() + " processes; the guest program replays at most 64");
        for (String r : g.requires) g.lines.add("require " + r);
        if (!g.cgroups.isEmpty()) g.lines.add("controllers +hugetlb" + (g.memcg ? " +memory" : ""));
        for (String c : g.cgroups) g.lines.add("cgroup " + c);
        g.lines.add("slots " + slots.size());
        g.lines.add("counters meminfo " + String.join(" ", Views.MEMINFO));
        List<String> vm = new ArrayList<>();
        for (VmStat v : VmStat.VALUES) vm.add(v.name());
        g.lines.add("counters vmstat " + String.join(" ", vm));
        g.lines.addAll(body);
        return g;
    }

    static String where(Trace.Op op, String scriptFile, String display) {
        if (op.where == null) return display;
        return op.where.startsWith(scriptFile + ":") ? display + op.where.substring(scriptFile.length()) : op.where;
    }

    private static String args(GuestTrace g, Trace.Op op, Map<Integer, Integer> slots, String where) {
        List<Object> a = op.args;
        return switch (op.name) {
            // the model's result goes along: the guest maps at the model's address (same VMA layout)
            case "mmap" -> {
                if ((((Number) a.get(3)).intValue() & hugesim.uapi.Mman.MAP_RESERVED_THP) != 0) {
                    throw new CheckFailure(where + ": kernel-check cannot replay mmap(MAP_RESERVED_THP) (a design of docs/model.md 7.1 that no kernel has)");
                }
                yield join(a) + " " + op.result;
            }
            case "mremap" -> join(a) + " " + op.result;
            case "memfd_create", "shm_open" -> word(a.get(0), where) + " " + a.get(1) + " " + op.result;
            case "shm_unlink" -> word(a.get(0), where);
            case "remount" -> word(a.get(0), where) + " " + word(a.get(1), where);
            case "fork" -> {
                // the child's slot; a fork the model refused still forks a slot on the guest
                int child = slots.size();
                long pid = ((Number) op.result).longValue();
                slots.put(pid > 0 ? (int) pid : -1 - g.ops.size(), child);
                yield String.valueOf(child);
            }
            case "sysfs", "sysctl", "cgroup", "meminfo", "vmstat" -> {
                if (op.name.equals("cgroup")) g.memcg |= isMemcg(a.get(0).toString());
                if (op.name.equals("sysfs") || op.name.equals("cgroup")) requireUnder(g, op.name, a.get(0).toString());
                if (op.name.equals("cgroup")) g.cgroups.add(cgroupOf(a.get(0).toString()));
                yield word(a.get(0), where);
            }
            case "sysfs_write", "sysctl_write", "cgroup_write" -> {
                if (op.name.equals("cgroup_write")) g.memcg |= isMemcg(a.get(0).toString());
                if (!op.name.equals("sysctl_write")) requireUnder(g, op.name, a.get(0).toString());
                if (op.name.equals("cgroup_write")) g.cgroups.add(cgroupOf(a.get(0).toString()));
                yield word(a.get(0), where) + " " + word(a.get(1), where);
            }
            case "madvise" -> {
                if (((Number) a.get(2)).intValue() == hugesim.uapi.Mman.MADV_RESERVED_THP) g.requires.add("/sys/kernel/mm/reserved_thp");
                yield join(a);
            }
            default -> join(a);
        };
    }

    /** A sysfs file under a directory only some kernels have (the RFC's) makes that directory required. */
    private static void requireUnder(GuestTrace g, String kind, String path) {
        if (kind.startsWith("sysfs") && path.startsWith("kernel/mm/reserved_thp")) g.requires.add("/sys/kernel/mm/reserved_thp");
    }

    /** "svc/memory.max" → true: a memory controller file. */
    private static boolean isMemcg(String path) {
        return path.substring(path.lastIndexOf('/') + 1).startsWith("memory.");
    }

    /** "a/hugetlb.2MB.max" → "a". */
    private static String cgroupOf(String path) {
        return path.substring(0, Math.max(0, path.lastIndexOf('/')));
    }

    private static String join(List<Object> a) {
        StringBuilder b = new StringBuilder();
        for (Object o : a) b.append(b.isEmpty() ? "" : " ").append(o);
        return b.toString();
    }

    private static String word(Object o, String where) {
        String s = String.valueOf(o);
        if (s.isEmpty() || s.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new CheckFailure(where + ": kernel-check replays only names and values without spaces, got '" + s + "'");
        }
        return s;
    }

    public String text() {
        return String.join("\n", lines) + "\n";
    }
}
