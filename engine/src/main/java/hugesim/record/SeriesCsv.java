package hugesim.record;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code <policy>/series.csv}: every metric, one row per sample. */
public final class SeriesCsv implements OutputFormat {
    public static final String FILE = "series.csv";

    @Override
    public void write(ScenarioRun run, Path dir) throws IOException {
        for (RunResult r : run.results()) ResultWriter.writeCsv(r, Files.createDirectories(dir.resolve(r.policyKey())).resolve(FILE));
    }
}
