package hugesim.cli.kcheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hugesim.kernel.Trace;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The model's trace held against the guest's readings: every operation's result, and at every checkpoint
 * every counter both have, under its declared {@link Tolerance}. The first operation whose result differs
 * is the divergence: the bodies were replayed along the model's path, so what follows it may be moot.
 */
public final class Comparison {
    /** One counter at one checkpoint. */
    public record Row(String counter, long model, long kernel, String tolerance, boolean equal) {}

    /** One replayed operation; for a checkpoint, the counters read with it. */
    public record Step(int seq, String where, String process, String op, String args, Object model, Object kernel,
                       boolean equal, List<Row> counters) {}

    public final List<Step> steps = new ArrayList<>();
    public final List<String> modelLacksMeminfo = new ArrayList<>(), modelLacksVmstat = new ArrayList<>();
    public final Set<String> kernelLacks = new LinkedHashSet<>();
    public String kernelVersion = "", cmdline = "";
    public Step divergence;

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The VmFlags codes the model sets; the kernel prints others (mr mw me sd …) the model does not track, and
     * "ac" (VM_ACCOUNT) too: overcommit accounting is not modelled.
     */
    private static final Set<String> MODEL_VMFLAGS = Set.of("rd", "wr", "ex", "sh", "gd", "lo", "sr", "rr", "dc", "nr", "ht", "hg", "nh", "rt");

    public boolean agrees() {
        for (Step s : steps) {
            if (!s.equal) return false;
            for (Row r : s.counters) if (!r.equal) return false;
        }
        return true;
    }

    public long counterRows() { return steps.stream().mapToLong(s -> s.counters.size()).sum(); }

    public long counterDisagreements() { return steps.stream().flatMap(s -> s.counters.stream()).filter(r -> !r.equal).count(); }

    public static Comparison of(GuestTrace trace, Guest.Output out, String scriptFile, String display) {
        Comparison c = new Comparison();
        Map<Integer, JsonNode> results = new LinkedHashMap<>();
        boolean booted = false, ended = false;
        for (String line : out.lines()) {
            if (!line.startsWith("{")) continue;
            JsonNode n;
            try {
                n = JSON.readTree(line);
            } catch (Exception e) {
                continue;                              // a line the console garbled: its op shows as missing
            }
            switch (n.path("t").asText()) {
                case "boot" -> {
                    booted = true;
                    c.kernelVersion = n.path("kernel").asText();
                    c.cmdline = n.path("cmdline").asText();
                }
                case "missing" -> throw new CheckFailure("the kernel lacks " + n.path("what").asText()
                        + ", which the scenario uses (a kernel built with the Reserved THP patches has it)");
                case "error" -> throw new CheckFailure("the guest program failed: " + n.path("what").asText(), Guest.tail(out.console()));
                case "lacks" -> {
                    n.path("meminfo").forEach(x -> c.modelLacksMeminfo.add(x.asText()));
                    n.path("vmstat").forEach(x -> c.modelLacksVmstat.add(x.asText()));
                }
                case "op" -> results.put(n.path("seq").asInt(), n);
                case "end" -> ended = true;
                default -> { }
            }
        }
        if (!booted) throw new CheckFailure("the guest did not boot or did not start the guest program", Guest.tail(out.console()));
        if (!ended) throw new CheckFailure("the guest stopped before the end of the trace (" + results.size() + " of "
                + trace.ops.size() + " operations replayed)", Guest.tail(out.console()));

        Map<String, Long> modelBase = null, kernelBase = null;
        Map<Integer, String> names = new LinkedHashMap<>();
        for (int seq = 0; seq < trace.ops.size(); seq++) {
            Trace.Op op = trace.ops.get(seq);
            if (op == null) continue;
            names.putIfAbsent(op.pid, "pid " + op.pid);
            JsonNode k = results.get(seq);
            String where = GuestTrace.where(op, scriptFile, display);
            Object kernelValue = k == null ? "missing" : signal(value(k.path("r")));
            List<Row> rows = new ArrayList<>();
            Map<String, Long> km = k == null ? Map.of() : counters(k);
            if (op.checkpoint() && k != null) {
                Map<String, Long> mm = new LinkedHashMap<>(op.meminfo);
                mm.putAll(op.vmstat);
                if (modelBase == null) { modelBase = mm; kernelBase = km; }
                for (var e : mm.entrySet()) {
                    Long kv = km.get(e.getKey());
                    if (kv == null) { c.kernelLacks.add(e.getKey()); continue; }
                    Tolerance t = Tolerance.of(e.getKey());
                    long mb = modelBase.getOrDefault(e.getKey(), e.getValue()), kb = kernelBase.getOrDefault(e.getKey(), kv);
                    rows.add(new Row(e.getKey(), e.getValue(), kv, t.describe(), t.agrees(e.getValue(), kv, mb, kb)));
                }
            }
            boolean equal = k != null && same(op, op.result, kernelValue, modelBase, kernelBase, km);
            Step s = new Step(seq, where, "pid " + op.pid, op.name, args(op), modelValue(op.result), kernelValue, equal, rows);
            c.steps.add(s);
            if (!equal && c.divergence == null) c.divergence = s;
        }
        return c;
    }

    private static String args(Trace.Op op) {
        StringBuilder b = new StringBuilder();
        for (Object a : op.args) {
            if (!b.isEmpty()) b.append(", ");
            b.append(a instanceof Long l && Math.abs(l) >= 0x10000 ? "0x" + Long.toHexString(l) : String.valueOf(a));
        }
        return b.toString();
    }

    private static Object modelValue(Object o) {
        if (o instanceof Integer i) return i.longValue();
        if (o instanceof Map<?, ?> m) return new LinkedHashMap<>(m);
        return o;
    }

    private static Object value(JsonNode n) {
        if (n.isNull() || n.isMissingNode()) return null;
        if (n.isNumber()) return n.asLong();
        if (n.isTextual()) return n.asText();
        if (n.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                var e = it.next();
                m.put(e.getKey(), value(e.getValue()));
            }
            return m;
        }
        return n.toString();
    }

    /** The guest reports a fatal signal by number. */
    private static Object signal(Object r) {
        if (r instanceof String s && s.startsWith("sig ")) {
            return switch (s) {
                case "sig 7" -> "SIGBUS";
                case "sig 11" -> "SIGSEGV";
                default -> s;
            };
        }
        return r;
    }

    /**
     * The kernel's counters at a checkpoint. MemFree counts the pages on the per-CPU lists too (the guest
     * reports them from /proc/zoneinfo): the kernel's MemFree leaves them out, and the model's lists hold
     * only page tables, so both sides are compared with them.
     */
    private static Map<String, Long> counters(JsonNode k) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String set : List.of("meminfo", "vmstat")) {
            for (Iterator<Map.Entry<String, JsonNode>> it = k.path(set).fields(); it.hasNext(); ) {
                var e = it.next();
                m.put(e.getKey(), e.getValue().asLong());
            }
        }
        Long pcp = m.remove("PerCpuFree");
        if (pcp != null && m.containsKey("MemFree")) m.put("MemFree", m.get("MemFree") + pcp);
        return m;
    }

    private static boolean same(Trace.Op op, Object model, Object kernel, Map<String, Long> modelBase, Map<String, Long> kernelBase,
                                Map<String, Long> kernelCounters) {
        if ("dead".equals(kernel) || "missing".equals(kernel)) return false;
        switch (op.name) {
            case "start", "exit" -> { return true; }
            case "fork", "memfd_create", "shm_open" -> {
                long m = ((Number) model).longValue(), k = ((Number) kernel).longValue();
                return m >= 0 ? k >= 0 : m == k;
            }
            case "touch", "read" -> { return String.valueOf(model).equals(String.valueOf(kernel)); }
            case "meminfo", "vmstat" -> {
                if (!(kernel instanceof Long k)) return false;
                String counter = op.args.get(0).toString();
                // MemFree is compared with the per-CPU lists' pages on both sides, as the checkpoint has it
                long m = counter.equals("MemFree") && op.meminfo != null ? op.meminfo.get("MemFree") : ((Number) model).longValue();
                long mb = modelBase == null ? m : modelBase.getOrDefault(counter, m);
                long kb = kernelBase == null ? k : kernelBase.getOrDefault(counter, k);
                return Tolerance.of(counter).agrees(m, k, mb, kb);
            }
            case "sysfs", "sysctl", "cgroup" -> {
                // a cgroup file's tolerance goes by its name: "svc/memory.current" → memory.current
                String file = op.args.get(0).toString().replaceFirst(".*/", "");
                if (op.name.equals("cgroup") && model instanceof Map<?, ?> m) return sameKeyed(file, m, kernel);
                if (model instanceof Number m) {
                    if (!(kernel instanceof String s)) return false;
                    try {
                        // hugetlb.<size>.events reads "max N"; the model gives N
                        long k = Long.parseLong(s.replaceFirst("^max ", "").trim());
                        return op.name.equals("cgroup") ? Tolerance.of(file).agrees(m.longValue(), k, 0, 0) : k == m.longValue();
                    } catch (NumberFormatException e) {
                        return false;
                    }
                }
                if (NODE_MEMINFO.matcher(op.args.get(0).toString()).matches()) return sameNodeMeminfo(String.valueOf(model), String.valueOf(kernel));
                return String.valueOf(model).equals(String.valueOf(kernel));
            }
            case "smaps" -> { return sameSmaps(model, kernel); }
            default -> {
                return model instanceof Number m && kernel instanceof Number k && m.longValue() == k.longValue();
            }
        }
    }

    /**
     * A keyed cgroup file (memory.stat, memory.events, memory.swap.events: "key value" lines) against the model's
     * map: every key both have, each under FILE.KEY's tolerance. Keys the kernel lacks (a release without them)
     * are not compared.
     */
    private static boolean sameKeyed(String file, Map<?, ?> model, Object kernel) {
        if (!(kernel instanceof String text)) return false;
        Map<String, Long> k = new LinkedHashMap<>();
        for (String line : text.split("\\\\n|\n")) {
            String[] kv = line.trim().split("\\s+");
            if (kv.length == 2) {
                try { k.put(kv[0], Long.parseLong(kv[1])); } catch (NumberFormatException e) { return false; }
            }
        }
        for (var e : model.entrySet()) {
            Long kv = k.get(e.getKey().toString());
            if (kv == null || !(e.getValue() instanceof Number m)) continue;
            if (!Tolerance.of(file + "." + e.getKey()).agrees(m.longValue(), kv, 0, 0)) return false;
        }
        return true;
    }

    private static final java.util.regex.Pattern NODE_MEMINFO = java.util.regex.Pattern.compile("devices/system/node/node\\d+/meminfo");

    /**
     * A node's meminfo: its HugePages lines exactly; its memory lines (MemTotal, MemFree, MemUsed) not at all,
     * since the kernel keeps part of each node's memory for itself.
     */
    private static boolean sameNodeMeminfo(String model, String kernel) {
        List<String> k = List.of(kernel.split("\\\\n|\n"));
        for (String line : model.split("\n")) {
            if (!line.contains("HugePages_")) continue;
            String norm = line.replaceAll("\\s+", " ").trim();
            if (k.stream().noneMatch(l -> l.replaceAll("\\s+", " ").trim().equals(norm))) return false;
        }
        return true;
    }

    private static boolean sameSmaps(Object model, Object kernel) {
        if (model == null || kernel == null) return model == kernel;
        if (!(model instanceof Map<?, ?> m) || !(kernel instanceof Map<?, ?> k)) return false;
        for (var e : m.entrySet()) {
            Object kv = k.get(e.getKey());
            if (kv == null) continue;
            if (e.getKey().equals("VmFlags")) {
                if (!vmflags(e.getValue()).equals(vmflags(kv))) return false;
            } else if (((Number) e.getValue()).longValue() != ((Number) kv).longValue()) {
                return false;
            }
        }
        return true;
    }

    private static Set<String> vmflags(Object text) {
        Set<String> s = new java.util.TreeSet<>();
        for (String f : String.valueOf(text).trim().split("\\s+")) if (MODEL_VMFLAGS.contains(f)) s.add(f);
        return s;
    }
}
