package hugesim.dsl

import org.codehaus.groovy.control.CompilationUnit
import org.codehaus.groovy.control.CompilerConfiguration
import org.codehaus.groovy.control.Phases
import org.codehaus.groovy.control.customizers.ImportCustomizer

import java.nio.file.AtomicMoveNotSupportedException
import java.nio.file.DirectoryStream
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import java.nio.file.StandardCopyOption
import java.security.MessageDigest
import java.util.HexFormat

/**
 * Compiles scenario scripts, keeping the bytecode in a cache keyed by the script's text and the DSL's
 * own classes, so a script that did not change starts without the Groovy parser (as Gradle caches its
 * build scripts). The cache lives in {@code $HUGESIM_CACHE}, else {@code ~/.cache/hugesim/scripts};
 * when it cannot be written, scripts are compiled in memory every time.
 */
@groovy.transform.CompileStatic
class ScriptCompiler {
    private static final String DSL_VERSION = dslVersion()

    /**
     * Loads and initialises what the first script needs anyway: the Groovy runtime, this class and the
     * metaclasses of the DSL's script classes.
     */
    static void warmUp() {
        [ScenarioScript, ProcessContext, MachineSpec].each { GroovySystem.metaClassRegistry.getMetaClass(it) }
    }

    static ScenarioScript compile(String text, String scriptFile) {
        instance(compileClass(text, scriptFile))
    }

    /** A fresh instance of a compiled script, to evaluate once. */
    static ScenarioScript instance(Class<? extends ScenarioScript> type) {
        def script = type.getDeclaredConstructor().newInstance()
        script.binding = new Binding()
        script
    }

    /** The script's class, from the cache or compiled now. */
    static Class<? extends ScenarioScript> compileClass(String text, String scriptFile) {
        String key = sha256(DSL_VERSION + '\u0000' + scriptFile + '\u0000' + text)
        Path dir = cacheRoot()?.resolve(key)
        Map<String, byte[]> classes = dir != null ? read(dir) : null
        if (classes == null) {
            classes = compileToBytes(text, scriptFile)
            if (dir != null) write(dir, classes)
        }
        String main = null
        for (String name : classes.keySet()) if (!name.contains('$')) { main = name; break }
        def loader = new BytesClassLoader(classes, ScriptCompiler.classLoader)
        (Class<? extends ScenarioScript>) loader.loadClass(main)
    }

    static CompilerConfiguration configuration() {
        def config = new CompilerConfiguration()
        config.scriptBaseClass = ScenarioScript.name
        def imports = new ImportCustomizer()
        imports.addStaticStars('hugesim.uapi.Mman', 'hugesim.uapi.Fcntl', 'hugesim.uapi.Errno', 'hugesim.uapi.Prctl')
        // every loop step and call counts against the runaway guard and checks for an interrupt
        config.addCompilationCustomizers(new ScriptClassName(), imports, new SleepCustomizer(), new ExactArithmetic(), new ForbiddenCalls(), new StepCounter())
        config
    }

    private static Map<String, byte[]> compileToBytes(String text, String scriptFile) {
        def unit = new CompilationUnit(configuration())
        unit.addSource(scriptFile, text)
        unit.compile(Phases.CLASS_GENERATION)
        Map<String, byte[]> out = new TreeMap<>()
        unit.classes.each { out[it.name] = it.bytes }
        out
    }

    private static Path cacheRoot() {
        String env = System.getenv('HUGESIM_CACHE') ?: System.getProperty('hugesim.cache')
        Path root = env ? Paths.get(env) : Paths.get(System.getProperty('user.home'), '.cache', 'hugesim', 'scripts')
        try {
            Files.createDirectories(root)
            return Files.isWritable(root) ? root : null
        } catch (IOException ignored) {
            return null
        }
    }

    /** The cached classes, or null. A plain loop: closures coerced to streams' interfaces cost a start-up their linking. */
    private static Map<String, byte[]> read(Path dir) {
        if (!Files.isDirectory(dir)) return null
        try {
            Map<String, byte[]> out = new TreeMap<>()
            DirectoryStream<Path> entries = Files.newDirectoryStream(dir)
            try {
                for (Path f : entries) {
                    String n = f.fileName.toString()
                    if (n.endsWith('.class')) out.put(n.substring(0, n.length() - 6), Files.readAllBytes(f))
                }
            } finally {
                entries.close()
            }
            return out.isEmpty() ? null : out
        } catch (IOException ignored) {
            return null
        }
    }

    /** Writes beside the final directory and moves it in, so a reader never sees half a cache entry. */
    private static void write(Path dir, Map<String, byte[]> classes) {
        try {
            Path tmp = Files.createTempDirectory(dir.parent, '.tmp-')
            classes.each { name, bytes -> Files.write(tmp.resolve(name + '.class'), bytes) }
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE)
            } catch (AtomicMoveNotSupportedException | java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException ignored) {
                tmp.toFile().deleteDir()
            }
        } catch (IOException ignored) {
            // an unwritable cache only costs time
        }
    }

    /**
     * What the DSL's classes are, for the cache key: the hash the build recorded (dsl.version, beside this
     * class), else (classes not built by Maven, e.g. in an IDE) a hash of the classes a script compiles against.
     */
    private static String dslVersion() {
        InputStream recorded = ScriptCompiler.getResourceAsStream('dsl.version')
        if (recorded != null) return recorded.withCloseable { new String(it.readAllBytes(), 'UTF-8').trim() }
        def md = MessageDigest.getInstance('SHA-256')
        [ScenarioScript, ProcessContext, MachineSpec, ScriptCompiler, ExpressionRewriter, SleepCustomizer, ForbiddenCalls, StepCounter, Steps, ExactArithmetic, Exact].each { c ->
            ScriptCompiler.getResourceAsStream("/${c.name.replace('.', '/')}.class")?.withCloseable { md.update(it.bytes) }
        }
        HexFormat.of().formatHex(md.digest())
    }

    private static String sha256(String s) {
        HexFormat.of().formatHex(MessageDigest.getInstance('SHA-256').digest(s.getBytes('UTF-8')))
    }

    private static final class BytesClassLoader extends ClassLoader {
        private final Map<String, byte[]> classes

        BytesClassLoader(Map<String, byte[]> classes, ClassLoader parent) {
            super(parent)
            this.classes = classes
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] b = classes.get(name)
            if (b == null) throw new ClassNotFoundException(name)
            defineClass(name, b, 0, b.length)
        }
    }
}
