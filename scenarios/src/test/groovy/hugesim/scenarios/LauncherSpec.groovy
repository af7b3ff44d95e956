package hugesim.scenarios

import spock.lang.Shared
import spock.lang.Specification
import spock.lang.Stepwise
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import java.nio.file.StandardCopyOption
import java.nio.file.attribute.FileTime
import java.util.concurrent.TimeUnit

/**
 * The launcher ./hugesim and its class-data archive (cli/target/jvm-cache): one per JDK and set of jars,
 * mapped by later starts, recorded again when a jar or the JDK changes, and never a reason for a run to
 * fail. Runs the real launcher in a copy of the built command (the jars the reactor just packaged), with
 * the JDK running these specifications.
 */
@Stepwise
class LauncherSpec extends Specification {
    static final Path ROOT = Paths.get('..').toAbsolutePath().normalize()
    static final String JAVA_HOME = System.getProperty('java.home')
    static final int FEATURE = Runtime.version().feature()
    /** A start that must map the archive or fail: how a feature tells a mapped archive from a silent fallback. */
    static final String REQUIRE_ARCHIVE = FEATURE >= 25 ? '-XX:AOTMode=on' : '-Xshare:on'

    @Shared @TempDir Path tree
    @Shared Path cache

    def setupSpec() {
        Path built = ROOT.resolve('cli/target')
        assert Files.isRegularFile(built.resolve('hugesim-cli.jar')): 'package the cli module first (./mvnw -pl scenarios -am verify)'
        Files.copy(ROOT.resolve('hugesim'), tree.resolve('hugesim'))
        tree.resolve('hugesim').toFile().setExecutable(true)
        Files.createDirectories(tree.resolve('scenarios'))
        Files.copy(ROOT.resolve('scenarios/hot-upgrade.groovy'), tree.resolve('scenarios/hot-upgrade.groovy'))
        Path lib = Files.createDirectories(tree.resolve('cli/target/lib'))
        Files.copy(built.resolve('hugesim-cli.jar'), tree.resolve('cli/target/hugesim-cli.jar'))
        Files.list(built.resolve('lib')).withCloseable { s -> s.each { Files.copy(it, lib.resolve(it.fileName)) } }
        cache = tree.resolve('cli/target/jvm-cache')
    }

    /** Runs the launcher in the copied tree; the scripts' cache stays inside it too. */
    Map launch(Map<String, String> env = [:], String... args) {
        def pb = new ProcessBuilder([tree.resolve('hugesim').toString()] + (args as List)).directory(tree.toFile())
        pb.environment().put('JAVA_HOME', JAVA_HOME)
        pb.environment().put('HUGESIM_CACHE', tree.resolve('script-cache').toString())
        pb.environment().remove('HUGESIM_JAVA_OPTS')
        // the archive's features start every JVM themselves; the daemon's feature turns it on
        pb.environment().put('HUGESIM_DAEMON', 'off')
        pb.environment().putAll(env)
        Path log = Files.createTempFile(tree, 'launch', '.txt')
        def p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start()
        assert p.waitFor(600, TimeUnit.SECONDS)
        [code: p.exitValue(), out: Files.readString(log)]
    }

    List<Path> archives() {
        if (!Files.isDirectory(cache)) return []
        Files.list(cache).withCloseable { s -> s.filter { it.fileName.toString() ==~ /hugesim-.*\.(jsa|aot)/ }.sorted().toList() }
    }

    /** The size the archive's name records (hugesim-KEY-SIZE.EXT). */
    static long namedSize(Path a) {
        String n = a.fileName.toString()
        n.substring(n.lastIndexOf('-') + 1, n.lastIndexOf('.')) as long
    }

    static Map<String, byte[]> files(Path dir) {
        Files.walk(dir).withCloseable { s ->
            s.filter { Files.isRegularFile(it) }.toList().collectEntries { [(dir.relativize(it).toString()): Files.readAllBytes(it)] }
        }
    }

    def "the first start records an archive that later starts map, and the outputs are the same with and without it"() {
        when: 'the first run after a build'
        def first = launch('run', 'scenarios/hot-upgrade.groovy', '--out', 'a')

        then: 'it ran, and one archive of the size its name says is in the cache folder'
        first.code == 0
        archives().size() == 1
        Files.size(archives()[0]) == namedSize(archives()[0])
        archives()[0].fileName.toString().endsWith(FEATURE >= 25 ? '.aot' : '.jsa')

        when: 'a start that fails unless it maps the archive, a run with it and a run without'
        def mapped = launch([HUGESIM_JAVA_OPTS: REQUIRE_ARCHIVE], '--version')
        def again = launch('run', 'scenarios/hot-upgrade.groovy', '--out', 'b')
        def without = launch([HUGESIM_ARCHIVE: 'off'], 'run', 'scenarios/hot-upgrade.groovy', '--out', 'c')

        then:
        mapped.code == 0
        mapped.out.trim() == 'hugesim 0.1.0'
        again.code == 0 && without.code == 0
        def a = files(tree.resolve('a')), b = files(tree.resolve('b')), c = files(tree.resolve('c'))
        a.keySet().any { it.endsWith('result.json') } && a.keySet().any { it.endsWith('.png') }
        a.keySet() == b.keySet() && a.keySet() == c.keySet()
        a.every { k, v -> Arrays.equals(v, b[k]) && Arrays.equals(v, c[k]) }
    }

    def "a truncated archive is never mapped (JDK 17 dies of SIGBUS on one): it is recorded again"() {
        given: 'the archive cut to a tenth, as a full disk or a killed writer would leave it'
        Path archive = archives()[0]
        long size = Files.size(archive)
        archive.toFile().setWritable(true)
        new RandomAccessFile(archive.toFile(), 'rw').withCloseable { it.setLength(size.intdiv(10)) }

        when:
        def r = launch([HUGESIM_JAVA_OPTS: REQUIRE_ARCHIVE], '--version')

        then: 'the start went on and maps a whole archive again'
        r.code == 0
        r.out.trim() == 'hugesim 0.1.0'
        archives().size() == 1
        Files.size(archives()[0]) == namedSize(archives()[0])
        !tree.toFile().list().any { it.startsWith('hs_err') }
    }

    def "an archive of the right size with the wrong content falls back to a normal start"() {
        given:
        Path archive = archives()[0]
        archive.toFile().setWritable(true)
        byte[] junk = new byte[Files.size(archive) as int]
        new Random(1).nextBytes(junk)
        Files.write(archive, junk)

        when:
        def r = launch('--version')

        then:
        r.code == 0
        r.out.trim() == 'hugesim 0.1.0'
    }

    def "a changed jar records a new archive, and the former one is removed"() {
        given:
        Path before = archives()[0]
        Path jar = tree.resolve('cli/target/lib').toFile().listFiles().find { it.name.startsWith('jackson-core') }.toPath()
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 60_000))

        when:
        def r = launch([HUGESIM_JAVA_OPTS: REQUIRE_ARCHIVE], '--version')

        then:
        r.code == 0
        archives().size() == 1
        archives()[0] != before
        !Files.exists(before)
    }

    def "two starts at once on an empty cache: both run, one records, and the archive they leave maps"() {
        given:
        cache.toFile().deleteDir()
        def outs = Collections.synchronizedList([])

        when:
        (1..2).collect { Thread.start { outs << launch('--version') } }*.join()
        def mapped = launch([HUGESIM_JAVA_OPTS: REQUIRE_ARCHIVE], '--version')

        then:
        outs.size() == 2
        outs.every { it.code == 0 && it.out.trim() == 'hugesim 0.1.0' }
        mapped.code == 0
        archives().size() == 1
        Files.size(archives()[0]) == namedSize(archives()[0])
        Files.list(cache).withCloseable { s -> s.noneMatch { it.fileName.toString().startsWith('.scratch-') } }
    }

    def "a cache folder that cannot be made means starts without an archive, not failed runs"() {
        given: 'a file where the cache folder would be'
        cache.toFile().deleteDir()
        Files.writeString(cache, 'not a folder')

        when:
        def r = launch('--version')

        then:
        r.code == 0
        r.out.trim() == 'hugesim 0.1.0'

        cleanup:
        Files.deleteIfExists(cache)
    }

    def "a recording that fails is not tried again on every start"() {
        given: 'no scenario to record with'
        Path script = tree.resolve('scenarios/hot-upgrade.groovy')
        Path aside = tree.resolve('hot-upgrade.groovy.aside')
        Files.move(script, aside, StandardCopyOption.REPLACE_EXISTING)

        when:
        def first = launch('--version')

        then: 'the start ran without an archive and marked its key as failed'
        first.code == 0
        first.out.trim() == 'hugesim 0.1.0'
        archives().isEmpty()
        def marks = Files.list(cache).withCloseable { s -> s.filter { it.fileName.toString().endsWith('.failed') }.toList() }
        marks.size() == 1

        when: 'the scenario is back: the marked key still does not record'
        Files.move(aside, script)
        def second = launch('--version')

        then:
        second.code == 0
        archives().isEmpty()
    }

    def "a run is handed to the background JVM the first run started, with the same outputs; daemon --stop stops it"() {
        given:
        def on = [HUGESIM_DAEMON: 'on']

        when: 'a run with no daemon up: it runs in its own JVM and starts one'
        def first = launch(on, 'run', 'scenarios/hot-upgrade.groovy', '--out', 'd1')

        then:
        first.code == 0
        first.out.contains('started a background JVM')
        waitFor { launch(on, 'daemon').out.contains('1 background JVM serving runs') }
        waitFor { daemonLog().contains('hugesim daemon: warmed up') }

        when: 'the next run, and one without the daemon'
        def served = launch(on, 'run', 'scenarios/hot-upgrade.groovy', '--out', 'd2')
        def alone = launch('run', 'scenarios/hot-upgrade.groovy', '--out', 'd3')

        then: 'the daemon served it; files and printed table are those of a run in a JVM of its own'
        served.code == 0 && alone.code == 0
        !served.out.contains('started a background JVM')
        daemonLog().contains('served run scenarios/hot-upgrade.groovy --out d2 (exit 0)')
        def a = files(tree.resolve('d1')), b = files(tree.resolve('d2')), c = files(tree.resolve('d3'))
        a.keySet().any { it.endsWith('report.html') }
        a.keySet() == b.keySet() && a.keySet() == c.keySet()
        a.every { k, v -> Arrays.equals(v, b[k]) && Arrays.equals(v, c[k]) }
        served.out.replace('d2', 'dX') == alone.out.replace('d3', 'dX')

        when: 'a bad script through the daemon'
        Files.writeString(tree.resolve('bad.groovy'), 'machine { ram 64.GB }\nnoSuchThing 3\n')
        def bad = launch(on, 'run', 'bad.groovy', '--out', 'd4')

        then: 'the same error and exit code as without it, and the daemon still serves'
        bad.code == 2
        bad.out == launch('run', 'bad.groovy', '--out', 'd4').out
        daemonLog().contains('served run bad.groovy --out d4 (exit 2)')

        when:
        def stopped = launch(on, 'daemon', '--stop')

        then:
        assert stopped.out.contains('stopped 1 background JVM'), daemonLog()
        waitFor { launch(on, 'daemon').out.contains('0 background JVMs serving runs') }
        waitFor { daemonLog().contains('hugesim daemon: stopping') }
    }

    def "a client that goes away during a run (Ctrl-C) takes the run with it: the daemon stops"() {
        given: 'a daemon up, and a scenario that runs for a while (a million hand-offs to a body)'
        def on = [HUGESIM_DAEMON: 'on']
        launch(on, 'run', 'scenarios/hot-upgrade.groovy', '--out', 'e1')
        assert waitFor { launch(on, 'daemon').out.contains('1 background JVM serving runs') }
        assert waitFor { daemonLog().contains('hugesim daemon: warmed up') }
        Files.writeString(tree.resolve('spin.groovy'), """\
            name 'spin'
            machine { memory 4.GB }
            policies thp()
            process('spin') { 1_000_000.times { sleep 1.ms } }
            run until: 2000.s, sample: 1.s
            """.stripIndent())

        when: 'the client is started, and killed once the daemon runs it'
        def pb = new ProcessBuilder(tree.resolve('hugesim').toString(), 'run', 'spin.groovy', '--out', 'e2').directory(tree.toFile())
        pb.environment().putAll([JAVA_HOME: JAVA_HOME, HUGESIM_CACHE: tree.resolve('script-cache').toString(), HUGESIM_DAEMON: 'on'])
        pb.environment().remove('HUGESIM_JAVA_OPTS')
        def client = pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
        Thread.sleep(1500)
        client.destroy()
        client.waitFor(60, TimeUnit.SECONDS)

        then: 'the daemon stopped instead of finishing a run nobody waits for'
        waitFor { daemonLog().contains('the client went away during a run; stopping') }
        waitFor { launch(on, 'daemon').out.contains('0 background JVMs serving runs') }
        !Files.exists(tree.resolve('e2')) || Files.walk(tree.resolve('e2')).withCloseable { w -> w.noneMatch { it.fileName.toString() == 'result.json' } }
    }

    String daemonLog() {
        Files.list(cache).withCloseable { s -> s.filter { it.fileName.toString().endsWith('.sock.log') }.toList() }
                .collect { Files.readString(it) }.join()
    }

    static boolean waitFor(Closure<Boolean> condition) {
        long end = System.nanoTime() + 60_000_000_000L
        while (!condition()) {
            if (System.nanoTime() > end) return false
            Thread.sleep(200)
        }
        true
    }
}
