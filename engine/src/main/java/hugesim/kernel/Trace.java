package hugesim.kernel;

import hugesim.mm.VmStat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ordered operations that process bodies performed in one run, with the model's results, for replay
 * on a real kernel. Off (null on the kernel) unless asked for; a view read is a checkpoint and carries a
 * snapshot of the model's /proc/meminfo and /proc/vmstat.
 */
public final class Trace {
    /** One operation: the model pid that made it, its name and arguments, the model's result. */
    public static final class Op {
        public final int seq;
        public final int pid;
        public final String name;
        public final List<Object> args;
        /** The hugetlb cgroup the process runs in, or null; the NUMA node it runs on. */
        public final String cgroup;
        public final int node;
        /** FILE:LINE of the script call, or null when no script frame was found. */
        public final String where;
        public Object result;
        public boolean done;
        public Map<String, Long> meminfo;
        public Map<String, Long> vmstat;

        Op(int seq, int pid, String name, List<Object> args, String cgroup, int node, String where) {
            this.seq = seq;
            this.pid = pid;
            this.name = name;
            this.args = args;
            this.cgroup = cgroup;
            this.node = node;
            this.where = where;
        }

        public boolean checkpoint() { return meminfo != null; }
    }

    private final List<Op> ops = new ArrayList<>();
    private Kernel kernel;

    void attach(Kernel k) { kernel = k; }

    public List<Op> ops() { return Collections.unmodifiableList(ops); }

    /** Records an operation as it starts: the order of starts is the order the guest replays. */
    public Op begin(Task t, String name, Object... args) {
        Op op = new Op(ops.size(), t.pid(), name, List.of(args), t.mm.cgroup == null ? null : t.mm.cgroup.name, t.mm.node,
                scriptFrame());
        ops.add(op);
        return op;
    }

    /** Records the model's result; returns it, so a call can be wrapped in one expression. */
    public <T> T end(Op op, T result) {
        op.result = result;
        op.done = true;
        return result;
    }

    /** Like {@link #end}, and snapshots the model's counters: a view read or write is a checkpoint. */
    public <T> T checkpoint(Op op, T result) {
        end(op, result);
        Map<String, Long> mi = new LinkedHashMap<>();
        for (String f : Views.MEMINFO) mi.put(f, kernel.views.meminfo(f));
        // compared as the kernel's free pages with its per-CPU lists' (the guest adds those from /proc/zoneinfo)
        mi.put("MemFree", mi.get("MemFree") + kernel.views.perCpuFreeKb());
        Map<String, Long> vs = new LinkedHashMap<>();
        for (VmStat v : VmStat.VALUES) vs.put(v.name(), kernel.vmstat(v));
        op.meminfo = mi;
        op.vmstat = vs;
        return result;
    }

    /** The innermost script frame (a *.groovy file outside the DSL's own classes). */
    private static String scriptFrame() {
        for (StackTraceElement e : Thread.currentThread().getStackTrace()) {
            String f = e.getFileName();
            if (f != null && f.endsWith(".groovy") && !e.getClassName().startsWith("hugesim.") && e.getLineNumber() > 0) {
                return f + ":" + e.getLineNumber();
            }
        }
        return null;
    }
}
