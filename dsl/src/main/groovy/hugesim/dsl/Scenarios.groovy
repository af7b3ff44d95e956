package hugesim.dsl

import java.nio.file.Path
import java.nio.file.Paths

/** For Spock specifications: load a scenario script, or build one from a closure, and run it. */
class Scenarios {
    static ScenarioFile load(String path) { ScenarioLoader.load(Paths.get(path)) }

    static ScenarioFile load(Path path) { ScenarioLoader.load(path) }

    /** Loads and runs every policy of the script. */
    static Results run(String path) { load(path).runAll() }

    /**
     * A scenario written as a closure in a specification, read as a script file would be: {@code name} is its
     * name unless the closure gives one, and errors name {@code sourceFile} (the specification's file) and line.
     */
    static ScenarioFile inline(String name, String sourceFile, Settings settings = Settings.DEFAULT,
                               @DelegatesTo(value = ScenarioScript, strategy = Closure.DELEGATE_FIRST) Closure body) {
        ScenarioScript script = new InlineScript(body)
        script.configure(settings)
        String display = sourceFile
        script.origin(display, sourceFile)
        ScenarioLoader.evaluate(script, ScenarioLoader.DEFAULT_BUDGET_MILLIS, display, sourceFile) {
            new ScenarioFile(script.toScenario(name), display, sourceFile, ScenarioLoader.DEFAULT_BUDGET_MILLIS, null, settings,
                    script.parameters(), script.sweeps(), script.replicationCount(), null, script.drewRandom(), script.expectations(''))
        }
    }

    /** The script whose top level is a closure: the closure runs with the script as its delegate. */
    private static final class InlineScript extends ScenarioScript {
        private final Closure body

        InlineScript(Closure body) { this.body = body }

        @Override
        Object run() {
            Closure c = body.rehydrate(this, body.owner, body.thisObject)
            c.resolveStrategy = Closure.DELEGATE_FIRST
            c.call()
        }
    }
}
