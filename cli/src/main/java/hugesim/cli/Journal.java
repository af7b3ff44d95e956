package hugesim.cli;

import hugesim.experiment.RunRow;
import hugesim.experiment.SweepFiles;
import hugesim.experiment.SweepSpec;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The runs of a sweep that have finished, appended and flushed as each finishes, so that {@code --resume}
 * can go on after an interruption without redoing them. Lives in {@code DIR/<scenario>/.sweep-partial[-shard-I-of-N]}
 * until the sweep's outputs are written.
 */
final class Journal implements AutoCloseable {
    private final SweepSpec spec;
    private final Writer out;

    private Journal(SweepSpec spec, Writer out) {
        this.spec = spec;
        this.out = out;
    }

    static Path dirFor(Path scenarioDir, SweepSpec spec) {
        return scenarioDir.resolve(".sweep-partial" + (spec.shard() == null ? "" : "-shard-" + spec.shard().index() + "-of-" + spec.shard().count()));
    }

    /** The runs an interrupted sweep finished, or an error when the journal belongs to another sweep. */
    static List<RunRow> finished(Path dir, SweepSpec spec) throws IOException {
        Path specFile = dir.resolve(SweepFiles.SPEC);
        if (!Files.exists(specFile)) return List.of();
        SweepSpec old = SweepFiles.readSpec(specFile);
        String diff = spec.differenceFrom(old);
        if (diff == null && !java.util.Objects.equals(spec.shard(), old.shard())) diff = "shard " + old.shard() + " vs " + spec.shard();
        if (diff != null) {
            throw new IllegalArgumentException("--resume: the unfinished sweep in " + dir + " is another sweep (" + diff + "); run without --resume to start over");
        }
        Path runs = dir.resolve(SweepFiles.RUNS);
        return Files.exists(runs) ? SweepFiles.readRuns(spec, runs) : List.of();
    }

    /** Opens the journal: continues it when {@code resume}, else starts it afresh. */
    static Journal open(Path dir, SweepSpec spec, boolean resume, List<RunRow> kept) throws IOException {
        if (!resume) OutputDir.delete(dir);
        Files.createDirectories(dir);
        SweepFiles.writeSpec(spec, dir.resolve(SweepFiles.SPEC));
        Path runs = dir.resolve(SweepFiles.RUNS);
        // rewritten from what was read, so a line cut short by a crash does not stay in the middle of the file
        SweepFiles.writeRuns(spec, kept, runs);
        return new Journal(spec, Files.newBufferedWriter(runs, StandardCharsets.UTF_8, StandardOpenOption.APPEND));
    }

    void append(RunRow r) throws IOException {
        out.write(SweepFiles.runLine(spec, r));
        out.flush();
    }

    @Override
    public void close() throws IOException { out.close(); }
}
