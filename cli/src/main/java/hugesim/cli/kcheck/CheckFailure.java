package hugesim.cli.kcheck;

/** Bad input or a guest that could not run the scenario: one line for the user, exit 2. */
public final class CheckFailure extends RuntimeException {
    /** The guest console's last lines, when a guest ran. */
    public final String consoleTail;

    public CheckFailure(String message) {
        this(message, null);
    }

    public CheckFailure(String message, String consoleTail) {
        super(message, null, false, false);
        this.consoleTail = consoleTail;
    }
}
