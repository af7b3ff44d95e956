package hugesim.sim;

/**
 * A body did not give control back: too many steps of its own code without advancing simulated time
 * (an endless loop in a script), or, as a backstop for a body blocked outside the model, too long on
 * the wall clock.
 */
public final class RunawayException extends RuntimeException {
    private final String process;

    public RunawayException(String process, long budgetNanos) {
        this(process, "ran " + budgetNanos / 1_000_000_000.0
                + " s of wall-clock time without advancing simulated time (an endless loop?)", true);
    }

    private RunawayException(String process, String what, boolean trace) {
        super("process '" + process + "' " + what);
        this.process = process;
    }

    /** The body ran {@code budget} loop iterations and calls of its own without advancing simulated time. */
    public static RunawayException steps(String process, long budget) {
        return new RunawayException(process, "ran " + String.format(java.util.Locale.ROOT, "%,d", budget)
                + " steps (loop iterations and calls) without advancing simulated time (an endless loop? a body that"
                + " loops this long must let time pass, e.g. sleep 1.ms, or raise the budget with -Dhugesim.steps=N)", true);
    }

    /** The body caught the end of the run and kept running past the wall-clock budget. */
    public static RunawayException afterEnd(String process, long budgetNanos) {
        return new RunawayException(process, "kept running " + budgetNanos / 1_000_000_000.0
                + " s after the run ended (a body that catches its stop must let it end; no model call works after it)", true);
    }

    public String process() { return process; }
}
