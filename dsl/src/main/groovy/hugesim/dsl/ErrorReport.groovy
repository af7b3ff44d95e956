package hugesim.dsl

import hugesim.sim.BodyException
import hugesim.sim.RunawayException
import org.codehaus.groovy.control.MultipleCompilationErrorsException
import org.codehaus.groovy.control.messages.ExceptionMessage
import org.codehaus.groovy.control.messages.SyntaxErrorMessage
import org.codehaus.groovy.runtime.InvokerInvocationException

/** Turns whatever a script threw into one {@code FILE:LINE: message} that names what was wrong. */
class ErrorReport {
    static ScenarioException of(Throwable t, String displayPath, String scriptFile) {
        if (t instanceof ScenarioException) return t
        if (t instanceof MultipleCompilationErrorsException) return compile(t, displayPath)
        Throwable e = unwrap(t)
        if (e instanceof ScriptLineException) return new ScenarioException(displayPath, ((ScriptLineException) e).line, e.message, false, e)
        int line = lineOf(e, scriptFile)
        if (line < 0) line = lineOf(t, scriptFile)
        if (e instanceof AssertionError) {
            return new ScenarioException(displayPath, line, "assertion failed: ${e.message?.trim()}", true, e)
        }
        new ScenarioException(displayPath, line, describe(e), false, e)
    }

    private static Throwable unwrap(Throwable t) {
        Throwable e = t
        while ((e instanceof BodyException || e instanceof InvokerInvocationException
                || e instanceof java.lang.reflect.InvocationTargetException) && e.cause != null) e = e.cause
        e
    }

    /** The script line a throwable was raised on, or -1. */
    static int lineOf(Throwable e, String scriptFile) {
        for (Throwable c = e; c != null; c = c.cause) {
            def frame = c.stackTrace.find { it.fileName == scriptFile && it.lineNumber > 0 }
            if (frame) return frame.lineNumber
        }
        -1
    }

    private static ScenarioException compile(MultipleCompilationErrorsException e, String displayPath) {
        def msg = e.errorCollector.errors ? e.errorCollector.errors.first() : null
        if (msg instanceof SyntaxErrorMessage) {
            def cause = msg.cause
            String text = cause.originalMessage.readLines().first().trim()
            if (cause instanceof ForbiddenCalls.Refused) return new ScenarioException(displayPath, cause.line, text, false, e)
            return new ScenarioException(displayPath, cause.line, "syntax error: ${text}", false, e)
        }
        if (msg instanceof ExceptionMessage) return new ScenarioException(displayPath, -1, msg.cause.message, false, e)
        new ScenarioException(displayPath, -1, e.message.readLines().find { it.trim() } ?: 'does not compile', false, e)
    }

    static String describe(Throwable e) {
        switch (e) {
            case MissingMethodException:
                def mme = (MissingMethodException) e
                if (mme.method == 'simSleep') return 'sleep belongs inside a process { } or at(T) { } body'
                String args = mme.arguments.collect { it == null ? 'null' : it.getClass().simpleName }.join(', ')
                boolean exists = mme.type?.methods?.any { it.name == mme.method }
                return exists ? "${mme.method}(${args}) does not fit: check the arguments of ${mme.method}"
                        : "unknown keyword '${mme.method}'${DidYouMean.suggest(mme.method)}"
            case MissingPropertyException:
                def mpe = (MissingPropertyException) e
                // a name after a number is a unit literal: 64.gb
                if (mpe.type != null && Number.isAssignableFrom(mpe.type)) {
                    return "unknown unit '${mpe.property}'${DidYouMean.suggest(mpe.property, DidYouMean.UNITS)}; units: ${DidYouMean.UNITS.join(', ')}"
                }
                return "unknown name '${mpe.property}'"
            case RunawayException:
                return e.message
            case InterruptedException:
                return 'the script was stopped: it ran too long without finishing (an endless loop?)'
            case StackOverflowError:
                return 'the script recursed too deeply (a function or closure calling itself without end?)'
            case OutOfMemoryError:
                return 'out of memory: the run needs more heap than this JVM has; give it more with HUGESIM_JAVA_OPTS=-Xmx8g, or sample less often (run(sample:))'
            case IllegalArgumentException:
            case ArithmeticException:
            case IllegalStateException:
                return e.message
            default:
                return "${e.getClass().simpleName}: ${e.message}"
        }
    }
}
