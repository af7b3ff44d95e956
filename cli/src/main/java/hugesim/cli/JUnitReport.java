package hugesim.cli;

import hugesim.record.Check;
import hugesim.record.Event;
import hugesim.record.EventData;
import hugesim.record.RunResult;
import hugesim.record.ScenarioRun;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --junit FILE}: the run as JUnit XML, which CI systems display: a test suite per scenario, and per policy a
 * test case for its bodies' asserts and one per expectation that applies to it. No timestamps, so the same run
 * gives the same file.
 */
final class JUnitReport {
    private record Case(String policy, String name, String failure) {}

    private JUnitReport() {}

    static void write(ScenarioRun run, Path file) throws IOException {
        List<Case> cases = new ArrayList<>();
        for (RunResult r : run.results()) {
            StringBuilder asserts = new StringBuilder();
            for (Event e : r.events()) {
                if (e.data() instanceof EventData.AssertFailed a) {
                    asserts.append(a.file()).append(a.line() > 0 ? ":" + a.line() : "").append(": process '").append(e.process())
                            .append("': assertion failed: ").append(a.message()).append('\n');
                }
            }
            cases.add(new Case(r.policy(), "asserts", asserts.isEmpty() ? null : asserts.toString()));
            for (Check c : r.checks()) {
                cases.add(new Case(r.policy(), "expect { " + c.text() + " }", c.met() ? null
                        : c.where() + ": not met under " + r.policy() + " (" + r.summary().verdict() + ")"));
            }
        }
        long failures = cases.stream().filter(c -> c.failure() != null).count();
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, "." + file.getFileName(), ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            x.writeStartElement("testsuites");
            x.writeAttribute("name", "hugesim");
            x.writeAttribute("tests", Integer.toString(cases.size()));
            x.writeAttribute("failures", Long.toString(failures));
            x.writeCharacters("\n  ");
            x.writeStartElement("testsuite");
            x.writeAttribute("name", run.scenario());
            x.writeAttribute("tests", Integer.toString(cases.size()));
            x.writeAttribute("failures", Long.toString(failures));
            x.writeAttribute("errors", "0");
            for (Case c : cases) {
                x.writeCharacters("\n    ");
                if (c.failure() == null) x.writeEmptyElement("testcase");
                else x.writeStartElement("testcase");
                x.writeAttribute("classname", run.scenario() + "." + c.policy());
                x.writeAttribute("name", c.name());
                if (c.failure() != null) {
                    x.writeCharacters("\n      ");
                    x.writeStartElement("failure");
                    x.writeAttribute("message", c.failure().lines().findFirst().orElse(""));
                    x.writeCharacters(c.failure());
                    x.writeEndElement();
                    x.writeCharacters("\n    ");
                    x.writeEndElement();
                }
            }
            x.writeCharacters("\n  ");
            x.writeEndElement();
            x.writeCharacters("\n");
            x.writeEndElement();
            x.writeCharacters("\n");
            x.writeEndDocument();
            x.close();
        } catch (XMLStreamException e) {
            Files.deleteIfExists(tmp);
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
