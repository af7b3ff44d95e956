package hugesim.dsl

import groovy.transform.CompileStatic

/**
 * A script could not be loaded or run: {@code FILE:LINE: what was wrong}, on one line for bad input.
 * {@link #assertion} is true when the scenario's own {@code assert} failed rather than the input being bad;
 * its message then carries Groovy's assertion diagram, which spans several lines.
 */
@CompileStatic
class ScenarioException extends RuntimeException {
    final String file
    final int line
    final String problem
    final boolean assertion

    ScenarioException(String file, int line, String problem, boolean assertion = false, Throwable cause = null) {
        super("${file}${line > 0 ? ':' + line : ''}: ${problem}".toString(), cause)
        this.file = file
        this.line = line
        this.problem = problem
        this.assertion = assertion
    }
}
