package hugesim.record;

import java.util.List;

/**
 * How one process of a run went: whether it ran, how it ended, and what went wrong for it. Times in
 * seconds; NaN where a moment never came.
 *
 * @param name          the process's name
 * @param pid           its pid
 * @param started       when it started, NaN when it never did (it starts after the run ends)
 * @param exited        when it called exit(), NaN when it did not
 * @param killedBy      {@code SIGSEGV}, {@code SIGBUS}, {@code OOM kill} or {@code assert} (SIGABRT), or null
 * @param killedAt      when it was killed, NaN when it was not
 * @param failedCalls   the workload calls that failed, with their errno
 * @param stalls        its faults that stalled on VM_FAULT_OOM
 * @param stallSeconds  time those faults spent stalled
 * @param stalledAtEnd  true when a fault was still stalled as the run ended
 * @param lastTouchDone when its last touch or read finished: NaN when it touched nothing,
 *                      +Infinity ("never") when a touch did not finish (stalled or running at the end, or killed)
 * @param compactionStalls the time each of its THP faults spent in direct compaction: count, p50, p99, max
 */
public record ProcessSummary(String name, int pid, double started, double exited, String killedBy, double killedAt,
                             List<EventData.CallFailed> failedCalls, long stalls, double stallSeconds, boolean stalledAtEnd,
                             double lastTouchDone, CompactionStalls compactionStalls) {
    public ProcessSummary {
        failedCalls = List.copyOf(failedCalls);
    }

    public ProcessSummary(String name, int pid, double started, double exited, String killedBy, double killedAt,
                          List<EventData.CallFailed> failedCalls, long stalls, double stallSeconds, boolean stalledAtEnd,
                          double lastTouchDone) {
        this(name, pid, started, exited, killedBy, killedAt, failedCalls, stalls, stallSeconds, stalledAtEnd, lastTouchDone,
                CompactionStalls.NONE);
    }

    /** True when nothing went wrong for this process: no kill, no failed call, no stall. */
    public boolean clean() {
        return killedBy == null && failedCalls.isEmpty() && stalls == 0;
    }

    /** A few words on what went wrong: "killed by SIGSEGV at 12.0 s; 2 stalls (3.0 s)", or "clean". */
    public String verdict() {
        if (clean()) return "clean";
        List<String> parts = new java.util.ArrayList<>();
        if (killedBy != null) parts.add((killedBy.equals("OOM kill") ? "OOM-killed" : killedBy.equals("assert") ? "assert failed"
                : "killed by " + killedBy) + String.format(java.util.Locale.ROOT, " at %.1f s", killedAt));
        for (EventData.CallFailed f : failedCalls) parts.add(callName(f.call()) + " " + f.errno());
        if (stalls > 0) parts.add(String.format(java.util.Locale.ROOT, "%d stall%s (%.1f s%s)", stalls, stalls == 1 ? "" : "s",
                stallSeconds, stalledAtEnd ? ", still stalled at the end" : ""));
        return String.join("; ", parts);
    }

    /** {@code mmap(16G, …)} → {@code mmap}. */
    static String callName(String call) {
        int paren = call.indexOf('(');
        return paren > 0 ? call.substring(0, paren) : call;
    }
}
