package hugesim.dsl

/**
 * A condition over a run written as a closure, what a plan's {@link Goal} and a script's {@link Expectation}
 * share: its text as written, where it was written, and its evaluation against the names a scope offers
 * ({@link GoalScope}, {@link ExpectScope}). Anything but true or false, or a name the scope does not know, is
 * bad input on the condition's line.
 */
@groovy.transform.CompileStatic
abstract class Condition {
    final String text
    protected final Closure body
    /** The script's path (or {@code --goal}) and the line the condition opens on, -1 when it has none. */
    protected final String file
    protected final int line

    protected Condition(Closure body, String text, String file, int line) {
        this.body = body
        this.text = text
        this.file = file
        this.line = line
    }

    /** The condition as an error message quotes it: {@code goal 'x'} or {@code expect { x }}. */
    protected abstract String quoted()

    /** A condition of the right kind, for the message of one that is not true or false. */
    protected abstract String example()

    /** Evaluates the body with {@code scope}'s names first; true or false, or a one-line error on its line. */
    protected boolean evaluate(Object scope) {
        Closure c = body.rehydrate(scope, body.owner, body.thisObject)
        c.resolveStrategy = Closure.DELEGATE_FIRST
        Object v
        try {
            v = c.call()
        } catch (ScenarioException e) {
            throw e
        } catch (Throwable t) {
            throw new ScenarioException(file, line, "${quoted()}: ${t instanceof IllegalArgumentException ? t.message : ErrorReport.describe(t)}", false, t)
        }
        if (!(v instanceof Boolean)) {
            throw new ScenarioException(file, line, "${quoted()} gives ${v}, not true or false; write a condition, e.g. ${example()}")
        }
        v
    }

    /** The text of the block that {@code keyword} opens on {@code line} of {@code source}, for the record. */
    static String textAt(String source, int line, String keyword) {
        if (line < 1) return "${keyword} { … }"
        def lines = source.readLines()
        String rest = lines.subList(Math.min(line - 1, lines.size()), lines.size()).join('\n')
        int open = rest.indexOf('{', Math.max(0, rest.indexOf(keyword)))
        if (open < 0) return "${keyword} { … }"
        int depth = 0
        for (int i = open; i < rest.length(); i++) {
            char ch = rest.charAt(i)
            if (ch == '{' as char) depth++
            else if (ch == '}' as char && --depth == 0) return rest.substring(open + 1, i).trim().replaceAll(/\s+/, ' ')
        }
        "${keyword} { … }"
    }

    @Override
    String toString() { text }
}
