package hugesim.sim;

/** A body ran longer than its wall-clock budget without sleeping: an endless loop in a script. */
public final class RunawayException extends RuntimeException {
    private final String process;

    public RunawayException(String process, long budgetNanos) {
        super("process '" + process + "' ran " + budgetNanos / 1_000_000_000.0
                + " s of wall-clock time without advancing simulated time (an endless loop?)");
        this.process = process;
    }

    public String process() { return process; }
}
