package hugesim.scenario;

import hugesim.kernel.Kernel;
import hugesim.kernel.MachineConfig;
import hugesim.kernel.Task;
import hugesim.mm.VmStat;
import hugesim.policy.Policy;
import hugesim.record.Event;
import hugesim.record.Metrics;
import hugesim.record.RunResult;
import hugesim.record.Series;
import hugesim.record.Summary;
import hugesim.sim.Environment;

import java.util.ArrayList;
import java.util.List;

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
                events.add(new Event(0, "script_warning", spec.name(), "starts at " + hugesim.units.Time.format(spec.start())
                        + ", after the run ends at " + hugesim.units.Time.format(s.until()) + ": it never runs"));
            }
            Task t = k.newTask(spec.name());
            t.mm.node = spec.node();
            if (spec.cgroup() != null) t.mm.cgroup = k.cgroup(spec.cgroup());
            var proc = env.process(spec.name(), spec.start(), self -> {
                if (!spec.admin()) k.m.event("process_start", spec.name(), "pid " + t.pid());
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
        return result(s, p, k, machine, sampler.series(), events, env.random().draws());
    }

    private static RunResult result(Scenario s, Policy p, Kernel k, MachineConfig machine, Series series, List<Event> events,
                                    long randomDraws) {
        // stalls are recorded when they end but dated when they began: restore time order (a stable sort)
        events.sort(java.util.Comparator.comparingDouble(Event::time));
        long stalls = 0;
        double stallSeconds = 0;
        long sigbus = 0, failed = 0;
        for (Event e : events) {
            switch (e.kind()) {
                case "fault_stall" -> { stalls++; stallSeconds += stallLength(e.detail()); }
                case "sigbus" -> sigbus++;
                case "mmap_failed", "madvise_failed" -> failed++;
                default -> { }
            }
        }
        double lastTouch = Double.NaN;
        for (Task t : k.tasks()) {
            if (!Double.isNaN(t.lastTouchDone())) lastTouch = Double.isNaN(lastTouch) ? t.lastTouchDone() : Math.max(lastTouch, t.lastTouchDone());
        }
        Summary summary = new Summary(
                (long) series.max(Metrics.RESERVED) * 1024, (long) series.max(Metrics.USED) * 1024,
                (long) series.max(Metrics.RESIDENT) * 1024,
                k.vmstat(VmStat.pswpout) * k.m.geometry.pageSize(), k.vmstat(VmStat.thp_swpout),
                k.vmstat(VmStat.thp_swpout_fallback), stalls, stallSeconds, k.vmstat(VmStat.oom_kill), sigbus, failed, lastTouch,
                k.vmstat(VmStat.thp_fault_alloc), k.vmstat(VmStat.thp_fault_fallback));
        return new RunResult(s.name(), s.description(), p.label(), p.key(), p.params(), machine.describe(), s.seed(),
                s.replication(), s.parameters(), randomDraws, summary, series, List.copyOf(events));
    }

    /** The stall's length, from the detail line Task writes ("stalled 12.000 s"). */
    private static double stallLength(String detail) {
        int i = detail.indexOf("stalled ");
        if (i < 0) return 0;
        String rest = detail.substring(i + 8);
        return Double.parseDouble(rest.substring(0, rest.indexOf(' ')));
    }
}
