package hugesim.dsl

import hugesim.policy.Policy
import hugesim.record.RunResult
import hugesim.scenario.Runner
import hugesim.scenario.Scenario

/**
 * A loaded scenario and where it came from, so that errors raised while it runs (in process bodies)
 * still name the script's file and line.
 */
class ScenarioFile {
    final Scenario scenario
    final String path
    final String scriptFile
    final long budgetMillis

    ScenarioFile(Scenario scenario, String path, String scriptFile, long budgetMillis) {
        this.scenario = scenario
        this.path = path
        this.scriptFile = scriptFile
        this.budgetMillis = budgetMillis
    }

    ScenarioFile withPolicies(List<Policy> policies) {
        new ScenarioFile(scenario.withPolicies(policies), path, scriptFile, budgetMillis)
    }

    ScenarioFile withSeed(long seed) {
        new ScenarioFile(scenario.withSeed(seed), path, scriptFile, budgetMillis)
    }

    /** Runs the scenario under one policy. */
    RunResult run(Policy p) {
        run(p, null)
    }

    /** Runs the scenario under one policy, recording the bodies' operations into {@code trace} when not null. */
    RunResult run(Policy p, hugesim.kernel.Trace trace) {
        try {
            Runner.run(scenario, p, budgetMillis * 1_000_000L, trace)
        } catch (Throwable t) {
            throw ErrorReport.of(t, path, scriptFile)
        }
    }

    /** Runs the scenario under each of its policies, in order. */
    Results runAll() {
        new Results(scenario.policies().collect { run(it) })
    }
}
