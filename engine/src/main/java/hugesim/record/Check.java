package hugesim.record;

/**
 * One expectation of a script checked against one run: {@code expect { stallSeconds <= 5 }}.
 *
 * @param text  the condition as written
 * @param where {@code FILE:LINE} of the {@code expect}
 * @param met   whether the run met it
 */
public record Check(String text, String where, boolean met) {}
