package hugesim.cli

import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir
import spock.lang.Timeout

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths

import static hugesim.cli.RunCommandSpec.hugesim
import static hugesim.cli.RunCommandSpec.names

/**
 * Mutated versions of every scenario in scenarios/ (a token deleted, two numbers swapped, the file cut
 * short; seeded, so every build tries the same ones) run in this JVM: each must end in exit 0, 1 or 2
 * within the time bound, with one line on stderr and no stack trace for 2, and touch nothing outside
 * its --out. scenarios/bench/ is left out: its size benchmark alone takes 20 s of CPU unmutated.
 */
class FuzzSpec extends Specification {
    static final Path SCENARIOS = Paths.get('..', 'scenarios')
    static final long SEED = Long.getLong('hugesim.fuzz.seed', 20261205L)
    static final int PER_SCRIPT = Integer.getInteger('hugesim.fuzz.perScript', 3)
    static final double BOUND_SECONDS = 60

    @Shared @TempDir Path shared
    @TempDir Path dir
    @Shared String cacheBefore
    @Shared Map<String, Long> scenariosBefore

    static class Case {
        String label
        String name
        String text
        String toString() { label }
    }

    def setupSpec() {
        cacheBefore = System.getProperty('hugesim.cache')
        System.setProperty('hugesim.cache', shared.resolve('cache').toString())
        scenariosBefore = snapshot(SCENARIOS)
    }

    def cleanupSpec() {
        if (cacheBefore == null) System.clearProperty('hugesim.cache') else System.setProperty('hugesim.cache', cacheBefore)
    }

    /** Every file under {@code root} with its size and modification time: what "untouched" means. */
    static Map<String, Long> snapshot(Path root) {
        Files.walk(root).withCloseable { s ->
            s.filter { Files.isRegularFile(it) && !it.toString().contains("${File.separator}target${File.separator}") }.toList()
        }.collectEntries { [(root.relativize(it).toString()): Files.size(it) * 31 + Files.getLastModifiedTime(it).toMillis()] }
    }

    static List<Case> cases() {
        def random = new Random(SEED)
        List<Path> scripts = Files.walk(SCENARIOS).withCloseable { s ->
            s.filter { it.toString().endsWith('.groovy') && !it.toString().contains("${File.separator}src${File.separator}") && !it.toString().contains("${File.separator}bench${File.separator}") }
                    .sorted().toList()
        }
        List<Case> out = []
        for (Path p : scripts) {
            String text = Files.readString(p)
            for (int i = 0; i < PER_SCRIPT; i++) {
                def (String how, String mutated) = mutate(text, i % 3, random)
                out << new Case(label: "${SCENARIOS.relativize(p)} ${how}", name: p.fileName.toString(), text: mutated)
            }
        }
        out
    }

    /** 0: a token deleted; 1: two numbers swapped; 2: the file cut short. */
    static List mutate(String text, int kind, Random random) {
        if (kind == 0) {
            def m = text =~ /\w+|[^\s\w]/
            List<int[]> spans = []
            while (m.find()) spans << ([m.start(), m.end()] as int[])
            int[] t = spans[random.nextInt(spans.size())]
            return ["without '${text.substring(t[0], t[1])}' at ${t[0]}", text.substring(0, t[0]) + text.substring(t[1])]
        }
        if (kind == 1) {
            def m = text =~ /(?<![\w.])\d+(\.\d+)?(?![\w])/
            List<int[]> spans = []
            while (m.find()) spans << ([m.start(), m.end()] as int[])
            if (spans.size() >= 2) {
                int a = random.nextInt(spans.size()), b = random.nextInt(spans.size() - 1)
                if (b >= a) b++
                int[] x = spans[Math.min(a, b)], y = spans[Math.max(a, b)]
                String nx = text.substring(x[0], x[1]), ny = text.substring(y[0], y[1])
                return ["${nx} at ${x[0]} swapped with ${ny} at ${y[0]}",
                        text.substring(0, x[0]) + ny + text.substring(x[1], y[0]) + nx + text.substring(y[1])]
            }
        }
        int cut = random.nextInt(text.length())
        return ["cut at ${cut}", text.substring(0, cut)]
    }

    @Timeout(180)
    def "a mutated scenario ends in exit 0, 1 or 2, in time, one line for 2, nothing touched outside --out: #c"() {
        given:
        def script = Files.writeString(dir.resolve(c.name), c.text)
        def out = dir.resolve('out')
        def cwd = names(Paths.get('.'))

        when:
        long t0 = System.nanoTime()
        def o = hugesim('run', script.toString(), '--out', out.toString(), '--no-charts', '--no-report')
        double seconds = (System.nanoTime() - t0) / 1e9

        then:
        o.code in [0, 1, 2]
        seconds < BOUND_SECONDS
        o.code != 2 || o.err.readLines().size() == 1
        !o.err.contains('\tat ')
        !o.err.contains('Exception in thread')
        names(dir) - ['out'] == [c.name]
        names(Paths.get('.')) == cwd
        !Files.exists(out) || names(out).every { !it.startsWith('.') }

        where:
        c << cases()
    }

    def "the scenarios themselves were not touched by their mutants"() {
        expect:
        snapshot(SCENARIOS) == scenariosBefore
    }
}
