package hugesim.sim;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A sequential body in simulated time, after SimPy's Process. The body runs on its own thread, but the
 * loop and the body hand a baton back and forth so that exactly one of them runs at a time: the body runs
 * until it sleeps or parks, then the loop goes on. A syscall's result is therefore known at once, and a
 * body can branch on it.
 */
public final class Process {
    /** What a process does. */
    @FunctionalInterface
    public interface Body {
        void run(Process self) throws Exception;
    }

    /**
     * Thrown inside a body to unwind it when the process is killed, exits or the run ends. A body that
     * catches it meets it again at its next model call or loop step ({@link #checkRunning}, {@link #step}).
     */
    public static final class Unwind extends RuntimeException {
        public Unwind() { super(null, null, false, false); }
    }

    private static final ThreadLocal<Process> CURRENT = new ThreadLocal<>();

    private final Environment env;
    private final String name;
    private final Body body;
    private final long wallBudgetNanos;
    private final Semaphore toBody = new Semaphore(0);
    private final Semaphore toLoop = new Semaphore(0);
    private Thread thread;
    private boolean finished;
    private volatile boolean unwinding;
    private boolean parked;
    private boolean runawayStopped;
    private volatile boolean wallStopped;
    private Throwable error;
    private Object attachment;
    private final long stepBudget;
    private long stepsLeft;
    private RunawayException runaway;

    Process(Environment env, String name, Body body, long wallBudgetNanos, long stepBudget) {
        this.env = env;
        this.name = name;
        this.body = body;
        this.wallBudgetNanos = wallBudgetNanos;
        this.stepBudget = stepBudget;
        this.stepsLeft = stepBudget;
    }

    /** The process whose body runs on this thread, or null. */
    public static Process current() { return CURRENT.get(); }

    /** Whether the body was told to stop (killed, exited, stopped as runaway, or the run ended). */
    public boolean stopping() { return unwinding; }

    /** Body side, before every model call: once stopped, a body runs no more model code, even if it caught the stop. */
    public void checkRunning() {
        if (!unwinding) return;
        if (runaway != null) throw runaway;
        // made here, on the body's thread, so that it carries the script line the body was on
        if (wallStopped) throw new RunawayException(name, wallBudgetNanos);
        throw new Unwind();
    }

    /**
     * Body side, at every loop iteration and call of the script's own code: counts the body's progress
     * since it last yielded. Past the budget the body is a runaway, whatever the machine's load; the stop
     * is final (every later step throws again), so catching it does not keep the body alive.
     */
    public void step() {
        checkRunning();
        if (--stepsLeft < 0) {
            unwinding = true;
            runaway = RunawayException.steps(name, stepBudget);
            throw runaway;
        }
    }

    /** Body side: the body ends itself ({@code exit()}); returns the exception to throw. */
    public Unwind stop() {
        unwinding = true;
        return new Unwind();
    }

    public String name() { return name; }

    public Environment env() { return env; }

    public boolean finished() { return finished; }

    /** The model's state for this process (the kernel's task), kept here so callbacks can find it. */
    public Object attachment() { return attachment; }

    public void attach(Object o) { attachment = o; }

    void start() {
        thread = env.threads().start("process " + name, this::main, toLoop::release);
        handOff();
    }

    private void main() {
        CURRENT.set(this);
        toBody.acquireUninterruptibly();
        try {
            if (!unwinding) body.run(this);
        } catch (Unwind u) {
            // killed or the run ended: nothing more to do
        } catch (Throwable t) {
            error = t;
        } finally {
            // a runaway stop the body caught is still the run's failure
            if (runaway != null && !(error instanceof RunawayException)) error = runaway;
            finished = true;
            CURRENT.remove(); // the thread may carry another process's body next
        }
    }

    /** Loop side: let the body run until it yields, and fail the run if the body threw. */
    private void handOff() {
        toBody.release();
        try {
            if (!toLoop.tryAcquire(wallBudgetNanos, TimeUnit.NANOSECONDS)) {
                // The DSL compiles scripts with interrupt checks in every loop, so this ends the body.
                wallStopped = true;
                unwinding = true;
                runawayStopped = true;
                thread.interrupt();
                boolean ended = toLoop.tryAcquire(1, TimeUnit.SECONDS);
                RunawayException runaway = new RunawayException(name, wallBudgetNanos);
                // the interrupted body's own exception carries the script line it was spinning on
                if (ended && error != null) { runaway.initCause(error); error = null; }
                env.fail(runaway);
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while process " + name + " ran", e);
        }
        if (error != null) {
            Throwable t = error;
            error = null;
            env.fail(t instanceof RuntimeException re ? re : new BodyException(name, t));
        }
    }

    /** Body side: give the baton back to the loop and wait until resumed. */
    private void yieldToLoop() {
        toLoop.release();
        toBody.acquireUninterruptibly();
        stepsLeft = stepBudget;
        if (unwinding) throw new Unwind();
    }

    /** Advances this process's clock by {@code nanos}. */
    public void sleep(long nanos) {
        if (nanos < 0) throw new IllegalArgumentException("cannot sleep a negative time: " + nanos + " ns");
        env.scheduleIn(nanos, this::resume);
        yieldToLoop();
    }

    /** Waits until someone calls {@link #unpark}. */
    public void park() {
        parked = true;
        yieldToLoop();
    }

    /** Makes a parked process runnable now (it runs after the current event). */
    public void unpark() {
        if (!parked) return;
        parked = false;
        env.schedule(env.now(), this::resume);
    }

    private void resume() {
        if (!finished) handOff();
    }

    /** Ends the body at its next yield (killed by a signal); if it is the running body, ends it now. */
    public void kill() {
        if (finished || unwinding) return;
        unwinding = true;
        if (Thread.currentThread() == thread) throw new Unwind();
        if (thread != null) env.schedule(env.now(), () -> { if (!finished) handOff(); });
    }

    /**
     * Run is over: unwind a body still waiting so its thread ends. A body that caught the stop meets it
     * again at its next step; one that still keeps the CPU past the wall-clock budget is interrupted (and,
     * if that does not end it, left behind: its thread is a daemon) and reported. Returns false for such a body.
     */
    boolean abandon() {
        if (thread == null || runawayStopped || finished) return true;
        unwinding = true;
        toBody.release();
        try {
            if (!toLoop.tryAcquire(wallBudgetNanos, TimeUnit.NANOSECONDS)) {
                // kept the CPU past the budget: a failure of the run even if the interrupt then ends it
                thread.interrupt();
                if (toLoop.tryAcquire(1, TimeUnit.SECONDS)) error = null;
                runawayStopped = true;
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        error = null;
        return true;
    }
}
