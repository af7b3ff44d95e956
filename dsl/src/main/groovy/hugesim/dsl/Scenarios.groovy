package hugesim.dsl

import java.nio.file.Path
import java.nio.file.Paths

/** For Spock specifications: load a scenario script and run it. */
class Scenarios {
    static ScenarioFile load(String path) { ScenarioLoader.load(Paths.get(path)) }

    static ScenarioFile load(Path path) { ScenarioLoader.load(path) }

    /** Loads and runs every policy of the script. */
    static Results run(String path) { load(path).runAll() }
}
