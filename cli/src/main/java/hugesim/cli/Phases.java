package hugesim.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * When the system property {@code hugesim.phases} names a file, each {@link #mark} appends "NAME SECONDS"
 * (the JVM's uptime) to it: how {@code hugesim bench --startup} splits a run into phases. Otherwise a
 * mark costs one property lookup.
 */
final class Phases {
    private static final String FILE = System.getProperty("hugesim.phases");

    private Phases() {}

    static void mark(String name) {
        if (FILE == null) return;
        String line = name + " " + ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0 + "\n";
        try {
            Files.writeString(Path.of(FILE), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // a benchmark's bookkeeping must never fail the run it measures
        }
    }
}
