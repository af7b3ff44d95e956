package hugesim.dsl

import hugesim.policy.Policy

import java.nio.file.Path

/**
 * Loads scenario scripts (compiled by {@link ScriptCompiler}). The script's top level must finish within a
 * wall-clock budget. Every error comes out as a {@link ScenarioException}.
 */
@groovy.transform.CompileStatic
class ScenarioLoader {
    /**
     * Wall-clock backstop for the top level (a script blocked outside the model); endless loops are stopped
     * by the step budget ({@link Steps}), which does not depend on the machine's load.
     */
    static final long DEFAULT_BUDGET_MILLIS = 120_000

    static ScenarioFile load(Path file, long budgetMillis = DEFAULT_BUDGET_MILLIS) {
        ScriptSource.read(file, budgetMillis).load(Settings.DEFAULT)
    }

    /** A policy written as on a script's {@code policy} line, e.g. {@code reservedThp(reserve: 22.GB)}. */
    static Policy policy(String expr) {
        ScenarioScript script = compile(expr, 'policy.groovy', '--policy')
        def value = evaluate(script, DEFAULT_BUDGET_MILLIS, '--policy', 'policy.groovy') { script.run() }
        if (!(value instanceof Policy)) {
            throw new ScenarioException('--policy', -1, "'${expr}' is not a policy; try e.g. hugetlb(pool: 32.GB), thp(), reservedThp(reserve: 22.GB, overcommit: true)")
        }
        value as Policy
    }

    private static ScenarioScript compile(String text, String scriptFile, String display) {
        try {
            return ScriptCompiler.compile(text, scriptFile)
        } catch (Throwable t) {
            throw ErrorReport.of(t, display, scriptFile)
        }
    }

    /** Runs {@code body} on a thread of its own, stopping it when it outlives the budget. */
    static <T> T evaluate(ScenarioScript script, long budgetMillis, String display, String scriptFile, Closure<T> body) {
        T result = null
        Throwable failure = null
        def runner = new Thread({
            try {
                Steps.begin()
                script.run()
                result = body.call()
            } catch (Throwable t) {
                failure = t
            } finally {
                Steps.end()
            }
        } as Runnable, 'scenario script')
        runner.daemon = true
        runner.start()
        runner.join(budgetMillis)
        if (runner.alive) {
            def where = runner.stackTrace.find { it.fileName == scriptFile && it.lineNumber > 0 }
            runner.interrupt()
            runner.join(1000)
            throw new ScenarioException(display, where ? where.lineNumber : -1,
                    "the script ran more than ${budgetMillis / 1000} s without finishing (an endless loop?)")
        }
        if (failure != null) throw ErrorReport.of(failure, display, scriptFile)
        result
    }
}
