package hugesim.dsl

import hugesim.experiment.Metric
import hugesim.record.RunResult
import hugesim.record.Summary
import org.codehaus.groovy.control.CompilationFailedException

/**
 * What a plan asks of a run, as a condition over its summary metrics ({@link Metric}): written in a script
 * as {@code goal { failedCalls == 0 && stallSeconds <= 1 }} or given as {@code --goal 'failedCalls == 0'}.
 * Sizes are bytes, so {@code peakUsed <= 22.GB} reads as it should; {@code clean} is true or false.
 */
class Goal {
    final String text
    private final Closure body
    private final String where
    private final int line

    private Goal(Closure body, String text, String where, int line) {
        this.body = body
        this.text = text
        this.where = where
        this.line = line
    }

    /** A goal from a script's {@code goal { }} block, checked now against an empty run so that a typo fails at once. */
    static Goal of(Closure body, String text, String where, int line) {
        def g = new Goal(body, text, where, line)
        g.test(new Summary(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Double.NaN))
        g
    }

    /** A goal given on the command line. */
    static Goal parse(String text) {
        if (!text?.trim()) throw new ScenarioException('--goal', -1, "is empty; write a condition over the summary metrics, e.g. 'failedCalls == 0 && stallSeconds <= 1'")
        Closure body
        try {
            body = (Closure) new GroovyShell().evaluate("{ -> ${text}\n}".toString(), 'goal.groovy')
        } catch (CompilationFailedException e) {
            String msg = e.message.readLines().find { it.contains('goal.groovy') || it.contains('expecting') || it.contains('Unexpected') } ?: e.message.readLines().first()
            throw new ScenarioException('--goal', -1, "'${text}' does not parse: ${msg.replaceAll(/.*goal\.groovy: \d+: /, '').trim()}")
        }
        of(body, text.trim(), '--goal', -1)
    }

    /** Whether the run met the goal. */
    boolean test(RunResult r) { test(r.summary()) }

    boolean test(Summary s) {
        Closure c = body.rehydrate(new GoalScope(s), body.owner, body.thisObject)
        c.resolveStrategy = Closure.DELEGATE_FIRST
        Object v
        try {
            v = c.call()
        } catch (ScenarioException e) {
            throw e
        } catch (Throwable t) {
            throw new ScenarioException(where, line, "goal '${text}': ${t instanceof IllegalArgumentException ? t.message : ErrorReport.describe(t)}", false, t)
        }
        if (!(v instanceof Boolean)) {
            throw new ScenarioException(where, line, "goal '${text}' gives ${v}, not true or false; write a condition, e.g. failedCalls == 0")
        }
        v
    }

    /** The text of the block that {@code goal} opens on {@code line}, for the record. */
    static String textAt(String source, int line, String keyword = 'goal') {
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
