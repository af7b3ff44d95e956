package hugesim.record;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code <policy>/result.json}: one policy's run whole, with the script, seed and parameters that made it. */
public final class ResultJson implements OutputFormat {
    public static final String FILE = "result.json";

    @Override
    public void write(ScenarioRun run, Path dir) throws IOException {
        for (RunResult r : run.results()) ResultWriter.writeJson(run, r, Files.createDirectories(dir.resolve(r.policyKey())).resolve(FILE));
    }
}
