package hugesim.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The simulator's clock and event queue, after SimPy's Environment. Actions run one at a time on the
 * thread that called {@link #run}; a {@link Process} runs its body on a thread of its own but only while
 * the loop waits for it, so the model is never touched by two threads at once. Events due at the same
 * nanosecond run in the order they were scheduled, which makes every run deterministic.
 */
public final class Environment {
    private record Scheduled(long at, long seq, Runnable action) implements Comparable<Scheduled> {
        public int compareTo(Scheduled o) {
            int c = Long.compare(at, o.at);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final PriorityQueue<Scheduled> queue = new PriorityQueue<>();
    private final List<Process> processes = new ArrayList<>();
    private final long wallBudgetNanos;
    private long now;
    private long seq;
    private long until = Long.MAX_VALUE;
    private RuntimeException failure;
    private final RandomStreams random;

    /** @param wallBudgetNanos how long a body may run without yielding before it counts as runaway */
    public Environment(long wallBudgetNanos) {
        this(wallBudgetNanos, new RandomStreams(1, 0));
    }

    public Environment(long wallBudgetNanos, RandomStreams random) {
        this.wallBudgetNanos = wallBudgetNanos;
        this.random = random;
    }

    /** The run's random streams: one per process body, keyed by the run's seed and replication. */
    public RandomStreams random() { return random; }

    public long now() { return now; }

    public long until() { return until; }

    public void schedule(long at, Runnable action) {
        if (at < now) throw new IllegalStateException("cannot schedule in the past: " + at + " < " + now);
        queue.add(new Scheduled(at, seq++, action));
    }

    public void scheduleIn(long delay, Runnable action) {
        schedule(Math.addExact(now, delay), action);
    }

    /** Starts {@code body} as a process at time {@code at}. */
    public Process process(String name, long at, Process.Body body) {
        Process p = new Process(this, name, body, wallBudgetNanos);
        processes.add(p);
        schedule(at, p::start);
        return p;
    }

    /** Runs every event due at or before {@code until}, then ends every process still alive. */
    public void run(long until) {
        this.until = until;
        try {
            while (!queue.isEmpty() && queue.peek().at <= until) {
                Scheduled s = queue.poll();
                now = s.at;
                s.action.run();
                if (failure != null) throw failure;
            }
            now = Math.max(now, until);
        } finally {
            for (Process p : processes) p.abandon();
        }
    }

    /** A process body failed (a script error): the run stops and the failure reaches {@link #run}'s caller. */
    void fail(RuntimeException e) {
        if (failure == null) failure = e;
    }
}
