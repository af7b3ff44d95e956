package hugesim.scenarios

import hugesim.dsl.HugesimSpecification
import hugesim.dsl.MachineSpec
import hugesim.dsl.ProcessContext
import hugesim.dsl.ScenarioLoader
import hugesim.dsl.ScenarioScript
import hugesim.dsl.Scenarios
import hugesim.dsl.Units
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

import java.lang.reflect.Method
import java.lang.reflect.Modifier
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import java.util.jar.JarFile

/**
 * The IDE descriptors shipped in the dsl artifact (hugesim/dsl/hugesim.gdsl for IntelliJ, dsld/hugesim.dsld for
 * Eclipse) name every public method of the DSL, and no other: a method added to the DSL without its entry (or an
 * entry left behind by a removed one) fails here. The constants and metrics they read from the classes named.
 */
class DslDescriptorsSpec extends Specification {
    static final String GDSL = 'hugesim/dsl/hugesim.gdsl'
    static final String DSLD = 'dsld/hugesim.dsld'

    /** Public methods of the DSL classes that scripts do not call: the loader's and the runner's. */
    static final Map<Class, List<String>> NOT_FOR_SCRIPTS = [
            (ScenarioScript): ['configure', 'drewRandom', 'goalBody', 'goalLine', 'parameters', 'replicationCount', 'sweeps',
                               'toScenario', 'simSleep', 'checkHeap', 'origin', 'runBody', 'expectations'],
            (ProcessContext): ['methodMissing', 'simSleep'],
            (MachineSpec)   : ['build', 'geometry', 'nodeCount', 'methodMissing', 'propertyMissing'],
    ]

    @Shared Path artifact = Paths.get(ScenarioScript.protectionDomain.codeSource.location.toURI())

    @TempDir Path dir

    /** A file of the dsl artifact: from its jar, or from its classes folder when only the tests were built. */
    String entry(String name) {
        if (Files.isDirectory(artifact)) {
            Path p = artifact.resolve(name)
            return Files.isRegularFile(p) ? Files.readString(p) : null
        }
        new JarFile(artifact.toFile()).withCloseable { jar ->
            def e = jar.getJarEntry(name)
            e == null ? null : jar.getInputStream(e).getText('UTF-8')
        }
    }

    /** What a script or body may call, by class: method names, and properties for getters. */
    static Map<Class, Set<String>> dslNames() {
        NOT_FOR_SCRIPTS.collectEntries { cls, internal ->
            Set<String> names = cls.declaredMethods.findAll { Method m ->
                Modifier.isPublic(m.modifiers) && !m.synthetic && !m.name.contains('$') && !(m.name in internal) &&
                        !(m.name in ['getMetaClass', 'setMetaClass', 'invokeMethod', 'getProperty', 'setProperty'])
            }.collect { Method m -> m.name ==~ /get[A-Z]\w*/ && m.parameterCount == 0 ? m.name[3].toLowerCase() + m.name.substring(4) : m.name } as Set
            [cls, names]
        }
    }

    static Set<String> unitLiterals() {
        Units.declaredMethods.findAll { Modifier.isPublic(it.modifiers) && it.name ==~ /get[A-Z]\w*/ }.collect {
            String n = it.name.substring(3)   // sizes and rates as written (16.B, 2.GBps), times in lower case (60.s)
            n.endsWith('B') || n.endsWith('Bps') ? n : n.toLowerCase()
        } as Set
    }

    /** The names a descriptor gives methods and properties: {@code name: 'mmap'}. */
    static Set<String> namedIn(String descriptor) {
        (descriptor =~ /name: '(\w+)'/).collect { it[1] } as Set
    }

    def "both descriptors are in the dsl artifact (its jar, or its classes folder when only the tests were built)"() {
        expect:
        entry(GDSL) != null
        entry(DSLD) != null
        entry('META-INF/groovy/org.codehaus.groovy.runtime.ExtensionModule').contains('hugesim.dsl.Units')
    }

    def "#file names every public method of the DSL and nothing else: machine, process, the syscalls, the views, the verbs"() {
        given:
        String text = entry(file)
        Set<String> named = namedIn(text)
        Map<Class, Set<String>> dsl = dslNames()
        Set<String> all = dsl.values().flatten() as Set

        expect: 'the reflection sees the DSL'
        ['machine', 'process', 'at', 'policies', 'reservedThp', 'goal', 'run'].every { it in dsl[ScenarioScript] }
        ['mmap', 'madvise', 'mremap', 'prctl', 'migrate_pages', 'fork', 'mapHuge', 'touch', 'sleep', 'meminfo', 'sysfs', 'now', 'pid'].every { it in dsl[ProcessContext] }
        ['memory', 'swap', 'cmdline', 'arch', 'pageblockOrder'].every { it in dsl[MachineSpec] }

        and: 'every DSL name is in the descriptor'
        all.findAll { !(it in named) }.isEmpty()

        and: 'the descriptor names nothing the DSL lacks'
        named.findAll { !(it in all) }.isEmpty()

        and: 'every unit literal is completed on numbers'
        unitLiterals() == ['B', 'KB', 'MB', 'GB', 'TB', 'ns', 'us', 'ms', 's', 'min', 'h', 'KBps', 'MBps', 'GBps'] as Set
        unitLiterals().every { text.contains("'${it}'") }

        and: 'the constants and the goal metrics come from the classes that define them, which exist'
        ['hugesim.uapi.Mman', 'hugesim.uapi.Errno', 'hugesim.uapi.Prctl', 'hugesim.experiment.Metric'].every {
            text.contains("'${it}'") && Class.forName(it)
        }
        ['MAP_HUGETLB', 'MADV_RESERVED_THP', 'EAGAIN', 'PR_SET_THP_DISABLE'].every { c ->
            ['hugesim.uapi.Mman', 'hugesim.uapi.Errno', 'hugesim.uapi.Prctl'].any { cls -> Class.forName(cls).fields*.name.contains(c) }
        }

        where:
        file << [GDSL, DSLD]
    }

    def "both descriptors are Groovy that compiles"() {
        when:
        new GroovyShell().parse(entry(GDSL), 'HugesimGdsl.groovy')
        new GroovyShell().parse(entry(DSLD), 'HugesimDsld.groovy')

        then:
        noExceptionThrown()
    }

    def "every closure parameter a script or specification passes says what it delegates to (@DelegatesTo), so IDEs type the bodies"() {
        given:
        def closureParams = [ScenarioScript, ProcessContext, MachineSpec, HugesimSpecification, Scenarios].collectMany { cls ->
            cls.declaredMethods.findAll { Modifier.isPublic(it.modifiers) && !it.synthetic && !(it.name in (NOT_FOR_SCRIPTS[cls] ?: [])) }.collectMany { Method m ->
                m.parameters.findAll { Closure.isAssignableFrom(it.type) }.collect { p -> [m, p] }
            }
        }

        expect:
        closureParams.size() >= 8
        closureParams.findAll { m, p -> !p.isAnnotationPresent(DelegatesTo) }.collect { m, p -> "${m.declaringClass.simpleName}.${m.name}" }.isEmpty()
    }

    def "a script typed explicitly with @BaseScript(ScenarioScript) loads and runs as it does without"() {
        given:
        String body = '''
            machine { memory 8.GB }
            policy thp()
            process('p') {
                long a = mmap(0, 4.MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
                assert madvise(a, 4.MB, MADV_HUGEPAGE) == 0
                touch a, 4.MB
                sleep 1.s
            }
            run until: 2.s
            '''.stripIndent()
        Path typed = Files.writeString(dir.resolve('typed.groovy'),
                "import groovy.transform.BaseScript\nimport hugesim.dsl.ScenarioScript\n@BaseScript ScenarioScript script\n" + body)
        Path plain = Files.writeString(dir.resolve('plain.groovy'), body)

        when:
        def a = ScenarioLoader.load(typed).runAll()[0]
        def b = ScenarioLoader.load(plain).runAll()[0]

        then:
        a.summary().clean()
        a.series().max('vmstat.thp_fault_alloc') == 2
        a.summary() == b.summary()
    }
}
