package hugesim.dsl;

import hugesim.sim.Environment;
import hugesim.sim.Process;

/**
 * The runaway guard's measure of a script's own progress: {@link StepCounter} makes every loop iteration
 * and every closure or method of a script call {@link #tick}. In a process body the steps count against
 * the body's budget since it last advanced simulated time ({@link Process#step}), which also rethrows a
 * stop the body caught; at the top level against the evaluation's budget. A count, unlike a wall-clock
 * budget, gives the same verdict whatever the machine's load.
 */
public final class Steps {
    private static final ThreadLocal<long[]> SCRIPT = new ThreadLocal<>();

    private Steps() {}

    /** Called by compiled scripts; also stops an interrupted script. */
    public static void tick() throws InterruptedException {
        Process p = Process.current();
        if (p != null) {
            p.step();
        } else {
            long[] left = SCRIPT.get();
            if (left != null && --left[0] < 0) {
                left[0] = -1;
                throw new Exceeded(budget());
            }
        }
        if (Thread.currentThread().isInterrupted()) throw new InterruptedException("the script was stopped");
    }

    /** The steps a script's top level, or a body between two advances of simulated time, may take. */
    public static long budget() { return Environment.DEFAULT_STEP_BUDGET; }

    /** Counts the steps of the script's top level on this thread from now. */
    static void begin() { SCRIPT.set(new long[] {budget()}); }

    static void end() { SCRIPT.remove(); }

    /** The top level ran out of steps. */
    public static final class Exceeded extends IllegalStateException {
        Exceeded(long budget) {
            super("the script ran " + String.format(java.util.Locale.ROOT, "%,d", budget)
                    + " steps (loop iterations and calls) without finishing (an endless loop? raise the budget with -Dhugesim.steps=N)");
        }
    }
}
