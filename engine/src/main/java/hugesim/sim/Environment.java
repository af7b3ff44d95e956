package hugesim.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * The simulator's clock and event queue, after SimPy's Environment. Actions run one at a time on the
 * thread that called {@link #run}; a {@link Process} runs its body on a thread of its own but only while
 * the loop waits for it, so the model is never touched by two threads at once. Events due at the same
 * nanosecond run in the order they were scheduled, which makes every run deterministic.
 */
public final class Environment {
    private final EventQueue queue = new EventQueue();
    private final List<Process> processes = new ArrayList<>();
    private final BodyThreads threads = new BodyThreads();
    /**
     * Steps (loop iterations and calls of a script's own code) a body may take without advancing simulated
     * time: the runaway guard counts the script's progress, so it does not depend on the machine's load.
     */
    public static final long DEFAULT_STEP_BUDGET = Long.getLong("hugesim.steps", 10_000_000L);

    private final long wallBudgetNanos;
    private long stepBudget = DEFAULT_STEP_BUDGET;
    private long now;
    private long seq;
    private long until = Long.MAX_VALUE;
    private RuntimeException failure;
    private final RandomStreams random;
    // the periodic action (the sampler): never queued, it runs at 0, period, 2 period... up to the end,
    // ordered against queued actions as if all its runs had been queued when it was registered
    private Runnable periodic;
    private long period, nextPeriodic = Long.MAX_VALUE, periodicSeq;

    /**
     * @param wallBudgetNanos how long a body may keep the CPU without yielding before it counts as runaway: a
     *                        backstop for a body blocked outside the model; loops are stopped by the step budget
     */
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

    /** Sets the steps a body may take without advancing simulated time (see {@link #DEFAULT_STEP_BUDGET}). */
    public Environment stepBudget(long steps) {
        if (steps <= 0) throw new IllegalArgumentException("the step budget must be positive, got " + steps);
        stepBudget = steps;
        return this;
    }

    public long until() { return until; }

    public void schedule(long at, Runnable action) {
        if (at < now) throw new IllegalStateException("cannot schedule in the past: " + at + " < " + now);
        queue.add(at, seq++, action);
    }

    /**
     * Runs {@code action} at time 0 and every {@code period} after it until the run ends. Actions queued
     * before this call for the same instant run before it, actions queued later after it; one per run.
     */
    public void every(long period, Runnable action) {
        if (periodic != null) throw new IllegalStateException("a periodic action is already registered");
        if (period <= 0) throw new IllegalArgumentException("period must be positive: " + period);
        this.periodic = action;
        this.period = period;
        this.nextPeriodic = 0;
        this.periodicSeq = seq;
        seq += 1;
    }

    /**
     * Moves the clock to {@code at} now, when an action the caller would queue for then would be the next
     * to run anyway: nothing queued or periodic is due until then, inclusive, and the run is not over. The
     * caller then goes on as that action would have, so a touch's windows cost no trip through the queue.
     * Returns false, changing nothing, otherwise.
     */
    public boolean advanceTo(long at) {
        if (at > until || at >= nextPeriodic || failure != null || (!queue.isEmpty() && queue.headAt() <= at)) return false;
        now = at;
        seq++; // as if it had been queued: later actions keep the numbers they would have had
        return true;
    }

    public void scheduleIn(long delay, Runnable action) {
        schedule(Math.addExact(now, delay), action);
    }

    BodyThreads threads() { return threads; }

    /** Starts {@code body} as a process at time {@code at}. */
    public Process process(String name, long at, Process.Body body) {
        Process p = new Process(this, name, body, wallBudgetNanos, stepBudget);
        processes.add(p);
        schedule(at, p::start);
        return p;
    }

    /**
     * Runs every event due at or before {@code until}, then ends every process still alive. The end is
     * final: a body that caught it and still keeps the CPU fails the run (its daemon thread is left behind).
     */
    public void run(long until) {
        if (BodyThreads.virtual()) BodyThreads.runOnVirtual("event loop", () -> loop(until));
        else loop(until);
    }

    private void loop(long until) {
        this.until = until;
        boolean ended = false;
        try {
            while (true) {
                boolean queued = !queue.isEmpty() && queue.headAt() <= until;
                boolean tick = nextPeriodic <= until;
                if (tick && (!queued || nextPeriodic < queue.headAt()
                        || (nextPeriodic == queue.headAt() && periodicSeq < queue.headSeq()))) {
                    now = nextPeriodic;
                    nextPeriodic = nextPeriodic <= until - period ? nextPeriodic + period : Long.MAX_VALUE;
                    periodic.run();
                } else if (queued) {
                    now = queue.headAt();
                    queue.poll().run();
                } else {
                    break;
                }
                if (failure != null) throw failure;
            }
            now = Math.max(now, until);
            ended = true;
        } finally {
            Process stuck = null;
            for (Process p : processes) if (!p.abandon() && stuck == null) stuck = p;
            threads.close(wallBudgetNanos);
            if (ended && stuck != null) throw RunawayException.afterEnd(stuck.name(), wallBudgetNanos);
        }
    }

    /** A process body failed (a script error): the run stops and the failure reaches {@link #run}'s caller. */
    void fail(RuntimeException e) {
        if (failure == null) failure = e;
    }
}
