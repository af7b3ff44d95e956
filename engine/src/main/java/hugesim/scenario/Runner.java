package hugesim.scenario;

import hugesim.kernel.Kernel;
import hugesim.kernel.MachineConfig;
import hugesim.kernel.Task;
import hugesim.mm.VmStat;
import hugesim.policy.Policy;
import hugesim.record.Event;
import hugesim.record.EventData;
import hugesim.record.ProcessSummary;
import hugesim.record.Metrics;
import hugesim.record.RunResult;
import hugesim.record.Series;
import hugesim.record.Summary;
import hugesim.sim.Environment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Boots a machine under one policy, runs the scenario's processes on it, and collects the result. */
public final class Runner {
    /**
     * How long a body may keep the CPU without advancing simulated time: a backstop only (a body blocked
     * outside the model); endless loops are stopped by the step budget, which does not depend on load.
     */
    public static final long DEFAULT_WALL_BUDGET_NANOS = 120_000_000_000L;

    private Runner() {}

    public static RunResult run(Scenario s, Policy p) {
        return run(s, p, DEFAULT_WALL_BUDGET_NANOS);
    }

    public static RunResult run(Scenario s, Policy p, long wallBudgetNanos) {
        return run(s, p, wallBudgetNanos, null);
    }

    /** As {@link #run(Scenario, Policy, long)}, recording the bodies' operations into {@code trace} when not null. */
    public static RunResult run(Scenario s, Policy p, long wallBudgetNanos, hugesim.kernel.Trace trace) {
        Environment env = new Environment(wallBudgetNanos, s.randomStreams());
        List<Event> events = new ArrayList<>();
        MachineConfig machine = s.machine().withCmdline(p.cmdline(s.machine().geometry()));
        Kernel k = Kernel.boot(env, machine, events);
        p.configure(k);
        if (trace != null) k.trace(trace);
        Sampler sampler = new Sampler(k, s.until() / s.sample() + 1);
        for (ProcessSpec spec : s.processes()) {
            if (spec.node() < 0 || spec.node() >= machine.nodes()) {
                throw new IllegalArgumentException("process '" + spec.name() + "' runs on node " + spec.node()
                        + " but the machine has " + machine.nodes() + " node(s)");
            }
            if (spec.start() > s.until()) {
                events.add(new Event(0, Event.SCRIPT_WARNING, spec.name(), "starts at " + hugesim.units.Time.format(spec.start())
                        + ", after the run ends at " + hugesim.units.Time.format(s.until()) + ": it never runs"));
            }
            Task t = k.newTask(spec.name());
            t.mm.node = spec.node();
            if (spec.cgroup() != null) {
                t.mm.cgroup = k.cgroup(spec.cgroup());
                t.mm.memcg = k.memcg(spec.cgroup());
            }
            var proc = env.process(spec.name(), spec.start(), self -> {
                if (!spec.admin()) k.m.event(k.env().now(), "process_start", spec.name(), "pid " + t.pid(), new EventData.Started(t.pid(), 0));
                try {
                    spec.body().run(t);
                } finally {
                    if (t.exited()) p.afterExit(k);
                }
            });
            t.bind(proc, p::mapHuge);
        }
        env.every(s.sample(), sampler::sample);
        env.run(s.until());
        k.runEnded();
        java.util.Set<String> admins = new java.util.HashSet<>();
        for (ProcessSpec spec : s.processes()) if (spec.admin()) admins.add(spec.name());
        return result(s, p, k, machine, sampler.series(), sampler.blockMap(), events, env.random().draws(), admins);
    }

    private static RunResult result(Scenario s, Policy p, Kernel k, MachineConfig machine, Series series,
                                    hugesim.record.BlockMap blockMap, List<Event> events,
                                    long randomDraws, java.util.Set<String> admins) {
        // stalls are recorded when they end but dated when they began: restore time order (a stable sort)
        events.sort(java.util.Comparator.comparingDouble(Event::time));
        Map<String, ProcessTally> tally = new LinkedHashMap<>();
        for (Task t : k.tasks()) {
            if (admins.contains(t.name())) continue;
            tally.computeIfAbsent(t.name(), n -> new ProcessTally(t)).compactStalls.add(t.mm.compactStalls());
        }
        long stalls = 0, sigbus = 0, sigsegv = 0, failed = 0, warnings = 0, scriptWarnings = 0, asserts = 0;
        double stallSeconds = 0;
        for (Event e : events) {
            ProcessTally pt = tally.get(e.process());
            EventData d = e.data();
            if (d instanceof EventData.Stalled st) {
                stalls++;
                stallSeconds += st.seconds();
                if (pt != null) { pt.stalls++; pt.stallSeconds += st.seconds(); pt.stalledAtEnd |= st.atEnd(); }
            } else if (d instanceof EventData.Killed kd) {
                if (kd.signal().equals("SIGBUS")) sigbus++;
                else if (kd.signal().equals("SIGSEGV")) sigsegv++;
                if (pt != null) pt.killed(kd.signal(), e.time());
            } else if (d instanceof EventData.OomKilled) {
                if (pt != null) pt.killed("OOM kill", e.time());
            } else if (d instanceof EventData.AssertFailed) {
                asserts++;
                if (pt != null) pt.killed("assert", e.time());
            } else if (d instanceof EventData.CallFailed c) {
                failed++;
                if (pt != null) pt.failed.add(c);
            } else if (d instanceof EventData.Started) {
                if (pt != null) pt.started = e.time();
            } else if (d instanceof EventData.Exited) {
                if (pt != null) pt.exited = e.time();
            } else if (e.kind().equals(Event.KERNEL_WARNING)) {
                warnings++;
            } else if (e.kind().equals(Event.SCRIPT_WARNING)) {
                scriptWarnings++;
            }
        }
        double lastTouch = Double.NaN;
        List<ProcessSummary> processes = new ArrayList<>();
        for (ProcessTally pt : tally.values()) {
            ProcessSummary ps = pt.summary();
            processes.add(ps);
            double d = ps.lastTouchDone();
            if (!Double.isNaN(d)) lastTouch = Double.isNaN(lastTouch) ? d : Math.max(lastTouch, d);
        }
        Summary summary = new Summary(
                (long) series.max(Metrics.RESERVED) * 1024, (long) series.max(Metrics.USED) * 1024,
                (long) series.max(Metrics.RESIDENT) * 1024,
                k.vmstat(VmStat.pswpout) * k.m.geometry.pageSize(), k.vmstat(VmStat.thp_swpout),
                k.vmstat(VmStat.thp_swpout_fallback), stalls, stallSeconds, k.vmstat(VmStat.oom_kill), sigbus, failed, lastTouch,
                k.vmstat(VmStat.thp_fault_alloc), k.vmstat(VmStat.thp_fault_fallback),
                (long) series.max(Metrics.SWAP_USED) * 1024, sigsegv, warnings, asserts, scriptWarnings, processes,
                hugesim.record.CompactionStalls.pooled(tally.values().stream().flatMap(t -> t.compactStalls.stream()).toList()),
                (long) series.mean(Metrics.IDLE) * 1024);
        return new RunResult(s.name(), s.description(), p.label(), p.key(), p.params(), machine.describe(), s.seed(),
                s.replication(), s.parameters(), randomDraws, summary, series, List.copyOf(events), p.expression(), List.of(),
                blockMap);
    }

    /** What the events said about one process, gathered while reading them in time order. */
    private static final class ProcessTally {
        final Task task;
        double started = Double.NaN, exited = Double.NaN, killedAt = Double.NaN;
        String killedBy;
        final List<EventData.CallFailed> failed = new ArrayList<>();
        long stalls;
        double stallSeconds;
        boolean stalledAtEnd;
        /** Direct compaction times of the THP faults of every task of this name. */
        final List<long[]> compactStalls = new ArrayList<>();

        ProcessTally(Task task) { this.task = task; }

        void killed(String by, double at) {
            if (killedBy != null) return;   // the first kill is the one that ended it
            killedBy = by;
            killedAt = at;
        }

        ProcessSummary summary() {
            double last = task.touchUnfinished() ? Double.POSITIVE_INFINITY : task.lastTouchDone();
            return new ProcessSummary(task.name(), task.pid(), started, exited, killedBy, killedAt, failed, stalls, stallSeconds,
                    stalledAtEnd, last, hugesim.record.CompactionStalls.pooled(compactStalls));
        }
    }
}
