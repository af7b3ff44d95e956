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
@groovy.transform.CompileStatic
class Goal extends Condition {
    private Goal(Closure body, String text, String where, int line) {
        super(body, text, where, line)
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

    boolean test(Summary s) { evaluate(new GoalScope(s)) }

    /** The text of the block that {@code goal} opens on {@code line}, for the record. */
    static String textAt(String source, int line) { Condition.textAt(source, line, 'goal') }

    @Override
    protected String quoted() { "goal '${text}'" }

    @Override
    protected String example() { 'failedCalls == 0' }
}
