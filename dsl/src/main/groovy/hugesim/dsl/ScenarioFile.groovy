package hugesim.dsl

import hugesim.policy.Policy
import hugesim.record.RunResult
import hugesim.scenario.Runner
import hugesim.scenario.Scenario

/**
 * A loaded scenario and where it came from, so that errors raised while it runs (in process bodies)
 * still name the script's file and line.
 */
@groovy.transform.CompileStatic
class ScenarioFile {
    final Scenario scenario
    final String path
    final String scriptFile
    final long budgetMillis
    /** The compiled script, to evaluate again with other settings. */
    final ScriptSource source
    final Settings settings
    /** The declared parameters and their values in this evaluation, in declaration order. */
    final Map<String, ScenarioScript.Param> parameters
    final List<Sweep> sweeps
    /** The script's {@code replications}, or null. */
    final Integer replications
    /** The script's {@code goal}, or null. */
    final Goal goal
    /** Whether the script's top level drew random numbers. */
    final boolean drewRandom
    /** The script's {@code expect} blocks. */
    final List<Expectation> expectations

    ScenarioFile(Scenario scenario, String path, String scriptFile, long budgetMillis, ScriptSource source, Settings settings,
                 Map<String, ScenarioScript.Param> parameters, List<Sweep> sweeps, Integer replications, Goal goal, boolean drewRandom,
                 List<Expectation> expectations = []) {
        this.scenario = scenario
        this.path = path
        this.scriptFile = scriptFile
        this.budgetMillis = budgetMillis
        this.source = source
        this.settings = settings
        this.parameters = parameters
        this.sweeps = sweeps
        this.replications = replications
        this.goal = goal
        this.drewRandom = drewRandom
        this.expectations = List.copyOf(expectations)
    }

    ScenarioFile withPolicies(List<Policy> policies) {
        new ScenarioFile(scenario.withPolicies(policies), path, scriptFile, budgetMillis, source, settings, parameters, sweeps,
                replications, goal, drewRandom, expectations)
    }

    /** The script evaluated again for other settings (parameter values, seed, replication). */
    ScenarioFile with(Settings s) { source.load(s) }

    /**
     * Replication {@code r}: the script is evaluated again when its top level drew random numbers, else only
     * the run's random streams change.
     */
    ScenarioFile withReplication(int r) {
        if (drewRandom) return source.load(settings.withReplication(r))
        new ScenarioFile(scenario.withReplication(r), path, scriptFile, budgetMillis, source, settings.withReplication(r), parameters, sweeps,
                replications, goal, drewRandom, expectations)
    }

    /** Runs the scenario under one policy. */
    RunResult run(Policy p) {
        run(p, null)
    }

    /**
     * Runs the scenario under one policy, recording the bodies' operations into {@code trace} when not null, and
     * checks the script's expectations that apply to the policy against the run.
     */
    RunResult run(Policy p, hugesim.kernel.Trace trace) {
        RunResult r
        try {
            r = Runner.run(scenario, p, budgetMillis * 1_000_000L, trace)
        } catch (Throwable t) {
            throw ErrorReport.of(t, path, scriptFile)
        }
        def mine = expectations.findAll { it.appliesTo(p) }
        mine ? r.withChecks(mine.collect { it.check(r) }) : r
    }

    /**
     * Runs the scenario under each of its policies, in order. For specifications: a body's failed {@code assert}
     * is thrown once every policy has run, naming the policy (see {@link #assertFailure}).
     */
    Results runAll() {
        // a loop, not collect { run(it) }: inside a statically compiled closure run(it) would be the closure's own run()
        List<RunResult> results = []
        for (Policy p : scenario.policies()) results << run(p)
        for (RunResult r : results) {
            ScenarioException e = assertFailure(r)
            if (e != null) throw e
        }
        new Results(results)
    }

    /** The first failed {@code assert} of a run as {@code FILE:LINE: assertion failed under POLICY: …}, or null. */
    static ScenarioException assertFailure(RunResult r) {
        def e = r.events().find { it.data() instanceof hugesim.record.EventData.AssertFailed }
        if (e == null) return null
        def a = (hugesim.record.EventData.AssertFailed) e.data()
        new ScenarioException(a.file(), a.line(), "assertion failed under ${r.policy()}: ${a.message()}", true)
    }
}
