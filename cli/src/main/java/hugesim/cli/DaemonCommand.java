package hugesim.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code hugesim daemon [--stop]}: lists the background JVMs that serve runs ({@link Daemon}), or stops them. */
@Command(name = "daemon", mixinStandardHelpOptions = true,
        description = {"Lists or stops the background JVMs that serve run and replay.",
                "There is one per folder runs are started in; each stops by itself after " + Daemon.IDLE_MINUTES
                        + " idle minutes and when hugesim is rebuilt. HUGESIM_DAEMON=off runs without them."})
final class DaemonCommand implements Callable<Integer> {
    @Option(names = "--stop", description = "stop every one of them (each ends within two seconds)")
    boolean stop;

    @Override
    public Integer call() throws IOException {
        String dir = System.getProperty(DaemonWire.DIR);
        List<Path> sockets = List.of();
        if (dir != null && Files.isDirectory(Path.of(dir))) {
            try (Stream<Path> s = Files.list(Path.of(dir))) {
                sockets = s.filter(DaemonWire::isSocket).sorted().toList();
            }
        }
        int n = 0;
        for (Path p : sockets) {
            if (!DaemonWire.answers(p)) continue;
            n++;
            if (stop) Files.deleteIfExists(p);
            else System.out.println(p + " (log: " + DaemonWire.log(p) + ")");
        }
        System.out.println(stop ? "stopped " + n + " background JVM" + (n == 1 ? "" : "s")
                : n + " background JVM" + (n == 1 ? "" : "s") + " serving runs");
        return Main.OK;
    }
}
