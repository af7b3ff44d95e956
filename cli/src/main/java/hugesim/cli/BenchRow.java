package hugesim.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** One scenario and policy's figures from {@code hugesim bench}, as printed and as kept in its JSON file. */
record BenchRow(String scenario, String policy, double medianMs, double minMs, double maxMs, double cpuMs,
                double floorMs, double peakHeapMiB) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    static List<BenchRow> read(Path f) throws IOException {
        return JSON.readValue(f.toFile(), new TypeReference<List<BenchRow>>() {});
    }

    static void write(Path f, List<BenchRow> rows) throws IOException {
        Path tmp = Files.createTempFile(f.toAbsolutePath().getParent(), ".bench-", ".json");
        JSON.writeValue(tmp.toFile(), rows);
        Files.move(tmp, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** " (-12.3 % median, +1.0 % heap)" against the same scenario and policy in {@code before}, or "". */
    String change(List<BenchRow> before) {
        for (BenchRow b : before) {
            if (b.scenario.equals(scenario) && b.policy.equals(policy)) {
                return String.format(Locale.ROOT, "  (%+.1f %% median, %+.1f %% cpu, %+.1f %% heap)",
                        pct(medianMs, b.medianMs), pct(cpuMs, b.cpuMs), pct(peakHeapMiB, b.peakHeapMiB));
            }
        }
        return before.isEmpty() ? "" : "  (new)";
    }

    private static double pct(double now, double then) {
        return then == 0 ? 0 : 100 * (now - then) / then;
    }
}
