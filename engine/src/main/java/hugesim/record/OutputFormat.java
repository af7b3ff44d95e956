package hugesim.record;

import java.io.IOException;
import java.nio.file.Path;

/**
 * One way of presenting a scenario's runs: result.json, series.csv, the summary files, the charts, the printed
 * table, a report. {@code hugesim run} hands every registered format the same typed result; adding a format
 * is a new class and one line where the formats are listed.
 */
public interface OutputFormat {
    /**
     * Writes this format for {@code run} into {@code dir}, the scenario's folder as it is being built (files
     * written here replace the previous run's files of the same names, and nothing else).
     */
    void write(ScenarioRun run, Path dir) throws IOException;
}
