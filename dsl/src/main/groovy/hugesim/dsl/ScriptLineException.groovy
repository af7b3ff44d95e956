package hugesim.dsl

import groovy.transform.CompileStatic

/** An error found after the script ran, about a line it ran earlier (e.g. a sweep over an undeclared parameter). */
@CompileStatic
class ScriptLineException extends IllegalArgumentException {
    final int line

    ScriptLineException(String message, int line) {
        super(message)
        this.line = line
    }
}
