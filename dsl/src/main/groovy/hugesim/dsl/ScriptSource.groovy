package hugesim.dsl

import java.nio.file.Files
import java.nio.file.Path
import java.security.MessageDigest
import java.util.HexFormat

/**
 * A scenario script read and compiled once, to be evaluated as often as a sweep needs: once per point,
 * or once per run when its top level draws random numbers.
 */
@groovy.transform.CompileStatic
class ScriptSource {
    final String display
    final String scriptFile
    final String text
    final String sha256
    final long budgetMillis
    private final Class<? extends ScenarioScript> type

    private ScriptSource(String display, String scriptFile, String text, Class<? extends ScenarioScript> type, long budgetMillis) {
        this.display = display
        this.scriptFile = scriptFile
        this.text = text
        this.type = type
        this.budgetMillis = budgetMillis
        this.sha256 = HexFormat.of().formatHex(MessageDigest.getInstance('SHA-256').digest(text.getBytes('UTF-8')))
    }

    /** Initialises the Groovy runtime and the DSL's compiler ahead of the first script (on another thread, say). */
    static void warmUp() {
        ScriptCompiler.warmUp()
    }

    /**
     * Initialises Groovy's string conversion (FormatHelper), which a script's first {@code as String} or GString
     * of a number needs: its static initialiser looks up Groovy's default imports by listing the JDK's and
     * Groovy's packages, a few hundred milliseconds that another thread can spend while the script loads.
     */
    static void warmUpFormatting() {
        Class.forName('org.codehaus.groovy.runtime.FormatHelper', true, ScriptSource.classLoader)
    }

    static ScriptSource read(Path file, long budgetMillis = ScenarioLoader.DEFAULT_BUDGET_MILLIS) {
        String display = file.toString()
        if (Files.isDirectory(file)) throw new ScenarioException(display, -1, 'is a directory, not a scenario script')
        if (!Files.isRegularFile(file)) throw new ScenarioException(display, -1, 'no such file')
        String text
        try {
            text = Files.readString(file)
        } catch (java.nio.charset.MalformedInputException e) {
            throw new ScenarioException(display, -1, 'is not UTF-8 text (a binary file, or another encoding such as Latin-1: save it as UTF-8)')
        } catch (IOException e) {
            throw new ScenarioException(display, -1, "cannot read: ${e.message}")
        }
        // a UTF-8 byte-order mark, as some editors write, is not part of the script (Groovy skips it too)
        if (text.startsWith('\uFEFF')) text = text.substring(1)
        of(display, text, budgetMillis)
    }

    /** A script from its text, shown as {@code display} (its path) in errors and results: how a replay compiles it. */
    static ScriptSource of(String display, String text, long budgetMillis = ScenarioLoader.DEFAULT_BUDGET_MILLIS) {
        String scriptFile = java.nio.file.Paths.get(display).fileName.toString()
        Class<? extends ScenarioScript> type
        try {
            type = ScriptCompiler.compileClass(text, scriptFile)
        } catch (Throwable t) {
            throw ErrorReport.of(t, display, scriptFile)
        }
        new ScriptSource(display, scriptFile, text, type, budgetMillis)
    }

    /** Evaluates the script for {@code settings}: its parameters' values, seed and replication. */
    ScenarioFile load(Settings settings) {
        ScenarioScript script = ScriptCompiler.instance(type)
        script.configure(settings)
        script.origin(display, scriptFile)
        String base = scriptFile.endsWith('.groovy') ? scriptFile[0..-8] : scriptFile
        ScenarioLoader.evaluate(script, budgetMillis, display, scriptFile) {
            def scenario = script.toScenario(base)
            def sweeps = script.sweeps()
            Goal goal = script.goalBody() == null ? null
                    : Goal.of(script.goalBody(), Goal.textAt(text, script.goalLine()), display, script.goalLine())
            new ScenarioFile(scenario, display, scriptFile, budgetMillis, this, settings, script.parameters(), sweeps,
                    script.replicationCount(), goal, script.drewRandom(), script.expectations(text))
        }
    }
}
