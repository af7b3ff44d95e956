package hugesim.dsl

import hugesim.policy.Policy
import spock.lang.Specification

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths

/**
 * A base for specifications about one's own fleet:
 * <pre>
 * class UpgradeSpec extends HugesimSpecification {
 *     def "22 GB of reserved THP carries the upgrade"() {
 *         when: def results = run('scenarios/upgrade.groovy')
 *         then: results[reservedThp(reserve: 22.GB, overcommit: true)].summary().clean()
 *     }
 * }
 * </pre>
 * {@code run(FILE)} loads a scenario script (a path, else a resource on the test classpath) and runs it under
 * each of its policies; {@code run { … }} does the same for a scenario written inline, with the script's
 * keywords. The policies ({@code hugetlb}, {@code hugetlbCma}, {@code thp}, {@code reservedThp}, {@code sharedPool}, {@code zoneNosplit}, {@code memPool}, {@code shmemThp}) are the DSL's
 * own, so a result is found by the policy that produced it. A bad scenario fails the feature with
 * {@code FILE:LINE: what was wrong} ({@link ScenarioException}).
 */
abstract class HugesimSpecification extends Specification {
    /** The DSL's policy factories, outside any script. */
    private static final ScenarioScript POLICIES = new ScenarioScript() {
        @Override
        Object run() { null }
    }

    /** Runs a scenario script under each of its policies; {@code set} gives parameters other values. */
    Results run(Map<String, Object> set = [:], String path) {
        ScenarioFile f = Scenarios.load(resolve(path))
        (set ? f.with(Settings.DEFAULT.with(set, 0)) : f).runAll()
    }

    /** Runs a scenario written here: {@code run { machine { memory 8.GB }; policy thp(); process('p') { … }; run until: 1.s }}. */
    Results run(Map<String, Object> set = [:],
                @DelegatesTo(value = ScenarioScript, strategy = Closure.DELEGATE_FIRST) Closure scenario) {
        StackTraceElement caller = new Throwable().stackTrace.find { it.className == this.class.name && it.fileName }
        String file = caller?.fileName ?: "${this.class.simpleName}.groovy"
        Scenarios.inline(this.class.simpleName, file, Settings.DEFAULT.with(set, 0), scenario).runAll()
    }

    Policy hugetlb(Map opts) { POLICIES.hugetlb(opts) }

    Policy hugetlbCma(Map opts) { POLICIES.hugetlbCma(opts) }

    Policy thp(Map opts = [:]) { POLICIES.thp(opts) }

    Policy reservedThp(Map opts) { POLICIES.reservedThp(opts) }

    Policy sharedPool(Map opts) { POLICIES.sharedPool(opts) }

    Policy zoneNosplit(Map opts) { POLICIES.zoneNosplit(opts) }

    Policy shmemThp(Map opts = [:]) { POLICIES.shmemThp(opts) }

    Policy memPool(Map opts) { POLICIES.memPool(opts) }

    /** A path as given, else a resource of that name on the test classpath (e.g. src/test/resources/scenarios/…). */
    private Path resolve(String path) {
        Path p = Paths.get(path)
        if (Files.exists(p)) return p
        URL url = this.class.classLoader.getResource(path)
        url != null && url.protocol == 'file' ? Paths.get(url.toURI()) : p
    }
}
