package hugesim.sim;

/** A body threw a checked exception or an error; the cause keeps its stack trace for line numbers. */
public final class BodyException extends RuntimeException {
    public BodyException(String process, Throwable cause) {
        super("process '" + process + "': " + cause, cause);
    }
}
