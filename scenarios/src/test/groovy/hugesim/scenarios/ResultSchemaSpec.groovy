package hugesim.scenarios

import com.fasterxml.jackson.databind.ObjectMapper
import com.networknt.schema.JsonSchema
import com.networknt.schema.JsonSchemaFactory
import com.networknt.schema.SpecVersion
import hugesim.cli.Main
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths

/**
 * Every scenario's result.json, as {@code hugesim run} writes it, is valid against the schema the repository ships
 * (docs/result.schema.json). The size benchmarks in bench/ are left out: a day sampled every second is the same
 * layout, only longer.
 */
class ResultSchemaSpec extends Specification {
    static final ObjectMapper JSON = new ObjectMapper()
    @Shared JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(Files.newInputStream(Paths.get('..', 'docs', 'result.schema.json')))
    @TempDir Path out

    static List<Path> scenarios() {
        Files.walk(Paths.get('.')).withCloseable { s ->
            s.filter { it.toString().endsWith('.groovy') && !it.startsWith(Paths.get('.', 'src')) && !it.startsWith(Paths.get('.', 'bench')) }
                    .sorted().toList()
        }
    }

    /** Runs the hugesim command with its output swallowed; returns the exit code. */
    static int hugesim(String... args) {
        PrintStream o = System.out, e = System.err
        System.setOut(new PrintStream(OutputStream.nullOutputStream()))
        System.setErr(new PrintStream(OutputStream.nullOutputStream()))
        try {
            return Main.execute(args)
        } finally {
            System.setOut(o)
            System.setErr(e)
        }
    }

    def "docs/result.schema.json is a schema that rejects what result.json must not be"() {
        expect:
        !schema.validate(JSON.readTree('{"format": 1}')).isEmpty()
        !schema.validate(JSON.readTree('{"format": 2}')).isEmpty()
    }

    def "the scenarios are found"() {
        expect:
        scenarios().size() > 50
        scenarios().contains(Paths.get('.', 'hot-upgrade.groovy'))
    }

    def "result.json of every policy of #file is valid against docs/result.schema.json"() {
        when:
        int code = hugesim('run', file.toString(), '--out', out.toString(), '--no-charts')
        def results = Files.walk(out).withCloseable { s -> s.filter { it.fileName.toString() == 'result.json' }.toList() }

        then: 'it ran (exit 1 is a scenario whose own assert fails against the model: its outputs are written all the same)'
        code in [0, 1]
        !results.isEmpty()
        results.every { r ->
            def errors = schema.validate(JSON.readTree(r.toFile()))
            assert errors.isEmpty(): "${r}: ${errors*.message.take(5)}"
            true
        }

        where:
        file << scenarios()
    }
}
