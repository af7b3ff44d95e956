package hugesim.scenarios

import spock.lang.Shared
import spock.lang.Specification

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import java.util.regex.Matcher

/**
 * docs/model.md is the reference every "rule N", "S13" and "docs/model.md 4.1" of the project points to: the
 * numbers cited in scenarios/, the specifications, the engine and README must exist there, so a rule cannot be
 * cited without being stated (or renumbered without its citations following).
 */
class ModelDocSpec extends Specification {
    static final Path ROOT = Paths.get('..').toAbsolutePath().normalize()

    @Shared String doc = Files.readString(ROOT.resolve('docs/model.md'))
    @Shared Map<Integer, String> rules = ruleParagraphs(doc)
    @Shared Set<String> sections = (doc =~ /(?m)^#{2,3} (\d+(?:\.\d+)?)\.? /).collect { it[1] } as Set
    @Shared Set<Integer> kernelScenarios = (doc =~ /(?m)^\*\*S(\d+) /).collect { it[1] as int } as Set

    /** Each rule's paragraph, from its "**Rule N.**" to the next blank line. */
    static Map<Integer, String> ruleParagraphs(String text) {
        Map<Integer, String> out = [:]
        Matcher m = text =~ /(?ms)^\*\*Rule (\d+)\.\*\*(.*?)(?=\n\n|\z)/
        while (m.find()) {
            int n = m.group(1) as int
            if (out.containsKey(n)) throw new AssertionError("docs/model.md states rule ${n} twice")
            out[n] = m.group(2)
        }
        out
    }

    /** The text files that cite the model: scenario scripts, specifications, engine sources, README. */
    static List<Path> citingFiles() {
        List<Path> files = [ROOT.resolve('README.md')]
        [ROOT.resolve('scenarios'), ROOT.resolve('engine/src'), ROOT.resolve('dsl/src'), ROOT.resolve('cli/src'),
         ROOT.resolve('charts/src')].each { dir ->
            Files.walk(dir).withCloseable { s ->
                files.addAll(s.filter { Files.isRegularFile(it) && !it.toString().contains("${File.separator}target${File.separator}") }
                        .filter { it.toString() ==~ /.*\.(groovy|java|c)$/ }
                        .toList())
            }
        }
        files
    }

    /** Rule numbers a text cites: "rule 32", "rules 17-19", "rules 21, 22 and 46", "Rules 40-42". */
    static Set<Integer> rulesCitedIn(String text) {
        Set<Integer> out = [] as Set
        (text =~ /\b[Rr]ules? (\d+(?:(?:\s*(?:,|-|–|and|or|to)\s*)\d+)*)/).each { List g ->
            (g[1] =~ /(\d+)\s*(?:-|–|to)\s*(\d+)|(\d+)/).each { List p ->
                if (p[3] != null) out << (p[3] as int)
                else (((p[1] as int))..((p[2] as int))).each { out << it }
            }
        }
        out
    }

    /** Rule numbers in a file's name: rule-32-….groovy, rules-16-47-….groovy (each number a rule). */
    static Set<Integer> rulesNamedBy(Path file) {
        def m = file.fileName.toString() =~ /^rules?((?:-\d\d)+)-/
        m ? (m[0][1] =~ /\d\d/).collect { it as int } as Set : [] as Set
    }

    def "docs/model.md states rules 1 to 84 in order, each with its source and whether the model is exact, inferred or simplified"() {
        expect:
        rules.keySet() as List == (1..84).toList()
        rules.findAll { n, p -> !p.contains('*Source:*') }.keySet().isEmpty()
        rules.findAll { n, p -> !(p =~ /\*Status:\*\s+(exact|inferred|simplified)/) }.keySet().isEmpty()
    }

    def "every rule cited in scenarios/, the specifications, the engine and README is stated in docs/model.md"() {
        given:
        Map<Integer, List<String>> cited = [:].withDefault { [] }
        citingFiles().each { f ->
            (rulesCitedIn(Files.readString(f)) + rulesNamedBy(f)).each { cited[it] << ROOT.relativize(f).toString() }
        }
        def conformance = Files.list(ROOT.resolve('scenarios/conformance')).withCloseable { it.toList() }

        expect: 'the check reads what it should: the conformance scripts name rules, and rule 32 is cited'
        conformance.every { !rulesNamedBy(it).isEmpty() }
        cited[32].any { it.contains('rule-32-quota-without-blocks.groovy') }

        and: 'no citation of a rule the reference lacks'
        cited.findAll { n, where -> !rules.containsKey(n) }.collectEntries { n, where -> [n, where.unique()] } == [:]
    }

    def "every rule of section 7 (the review thread's designs, rules 54 to 71) is shown by a script under scenarios/designs"() {
        given:
        def designs = Files.list(ROOT.resolve('scenarios/designs')).withCloseable { it.toList() }

        expect:
        (54..71).findAll { n -> !designs.any { n in rulesNamedBy(it) } }.isEmpty()
    }

    def "every rule of section 9 (the memPool design, rules 79 to 84) is shown by a script under scenarios/designs"() {
        given:
        def designs = Files.list(ROOT.resolve('scenarios/designs')).withCloseable { it.toList() }

        expect:
        (79..84).findAll { n -> !designs.any { n in rulesNamedBy(it) } }.isEmpty()
    }

    def "every rule of section 8 (the memory controller, rules 72 to 78) is shown by a script under scenarios/memcg or scenarios/kernel"() {
        given:
        def scripts = Files.list(ROOT.resolve('scenarios/memcg')).withCloseable { it.toList() }
        String s19 = Files.readString(ROOT.resolve('scenarios/kernel/s19-memcg-swap-max.groovy'))

        expect:
        (72..78).findAll { n -> !scripts.any { n in rulesNamedBy(it) || n in rulesCitedIn(Files.readString(it)) } && !(n in rulesCitedIn(s19)) }.isEmpty()
    }

    def "rule references inside docs/model.md itself point to stated rules"() {
        expect:
        rulesCitedIn(doc).findAll { !rules.containsKey(it) }.isEmpty()
    }

    def "every kernel scenario S1-S25 cited (scenarios/kernel/sNN-*.groovy, 'S13' in comments and feature names) is in docs/model.md section 6"() {
        given:
        Map<Integer, List<String>> cited = [:].withDefault { [] }
        citingFiles().each { f ->
            (Files.readString(f) =~ /\bS(\d{1,2})\b/).each { cited[it[1] as int] << ROOT.relativize(f).toString() }
            def m = f.fileName.toString() =~ /^s(\d\d)-/
            if (m) cited[m[0][1] as int] << ROOT.relativize(f).toString()
        }

        expect:
        kernelScenarios == (1..25).toSet()
        cited.containsKey(21) && cited.containsKey(25)
        cited.keySet().findAll { !(it in kernelScenarios) }.isEmpty()
    }

    def "every docs/model.md section cited ('docs/model.md 4.1', 'section 6', 'Section 2.2 of docs/model.md') exists"() {
        given:
        Map<String, List<String>> cited = [:].withDefault { [] }
        citingFiles().each { f ->
            String text = Files.readString(f).replaceAll(/\s*\n\s*(\/\/|\*|#)?\s*/, ' ')
            (text =~ /docs\/model\.md,? (?:section )?(\d+(?:\.\d+)?)\b/).each { cited[it[1]] << ROOT.relativize(f).toString() }
            (text =~ /[Ss]ection (\d+(?:\.\d+)?) of docs\/model\.md/).each { cited[it[1]] << ROOT.relativize(f).toString() }
        }

        expect:
        ['1', '1.2', '1.9', '2.5', '4.1', '4.3', '5.3', '6', '7', '7.1'].every { it in sections }
        cited.containsKey('4.1')
        cited.keySet().findAll { !(it in sections) }.isEmpty()
    }

    def "nothing cites a reference outside the repository, and README links docs/model.md"() {
        expect:
        citingFiles().findAll { Files.readString(it).contains('kernel-' + 'model') }.isEmpty()
        Files.readString(ROOT.resolve('README.md')).contains('](docs/model.md)')
    }
}
