package hugesim.cli;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The client side of {@link Daemon}: hands {@code hugesim run} and {@code replay} to the background JVM that
 * serves this folder, when one is up and idle, and relays what it writes; otherwise the run is done here
 * and a daemon is started for the next one. The launcher turns this on (system property
 * {@value DaemonWire#DIR}); {@code HUGESIM_DAEMON=off} turns it off.
 */
final class DaemonClient {
    /** Whether a daemon answered (busy or not): then none is started after a run done here. */
    private static boolean answered;

    private DaemonClient() {}

    /** Commands worth a daemon: the ones people repeat while they edit a scenario. */
    static boolean serves(String[] args) {
        return args.length > 0 && (args[0].equals("run") || args[0].equals("replay")) && DaemonWire.socket() != null;
    }

    /** The exit code of the run as the daemon served it, or null when no daemon took it. */
    static Integer tryRun(String[] args) {
        Path socket = DaemonWire.socket();
        SocketChannel ch;
        try {
            ch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
        answered = true;
        boolean said = false;
        try (ch) {
            DataOutputStream out = new DataOutputStream(DaemonWire.output(ch));
            String charset = System.getProperty("sun.stdout.encoding", Charset.defaultCharset().name());
            DaemonWire.writeRequest(out, System.getProperty("user.dir"), charset, args);
            DataInputStream in = new DataInputStream(new BufferedInputStream(DaemonWire.input(ch)));
            OutputStream stdout = new FileOutputStream(FileDescriptor.out), stderr = new FileOutputStream(FileDescriptor.err);
            byte[] buf = new byte[8192];
            while (true) {
                byte kind = in.readByte();
                said = true;
                switch (kind) {
                    case DaemonWire.OUT, DaemonWire.ERR -> {
                        int len = in.readInt();
                        if (len > buf.length) buf = new byte[len];
                        in.readFully(buf, 0, len);
                        (kind == DaemonWire.OUT ? stdout : stderr).write(buf, 0, len);
                    }
                    case DaemonWire.EXIT -> { return in.readInt(); }
                    case DaemonWire.BUSY -> { return null; }
                    default -> throw new IOException("unknown frame " + kind);
                }
            }
        } catch (IOException e) {
            // gone before it said anything (it was stopping): the run is done here instead; after, it is lost
            if (!said) return null;
            System.err.println("hugesim: the background JVM ended during the run (its log: " + DaemonWire.log(socket) + ")");
            return Main.BAD_INPUT;
        }
    }

    /**
     * Starts the daemon for this folder in the background, in a session of its own (the terminal's Ctrl-C is
     * not for it), with this JVM's options less the quick compiler's limit: it runs many scenarios, so the
     * optimising compiler pays for itself. Says so once on stderr. Any failure just means no daemon.
     */
    static void start() {
        Path socket = DaemonWire.socket();
        if (socket == null || answered) return;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>();
        if (new File("/usr/bin/setsid").canExecute()) cmd.add("/usr/bin/setsid");
        cmd.add(java);
        for (String o : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (o.startsWith("-XX:TieredStopAtLevel") || o.startsWith("-Dhugesim.phases")) continue;
            cmd.add(o);
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Daemon.class.getName(), socket.toString()));
        try {
            File log = DaemonWire.log(socket).toFile();
            new ProcessBuilder(cmd).redirectInput(new File("/dev/null")).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log)).start();
            System.err.println("hugesim: started a background JVM that serves the next runs here faster"
                    + " (it stops after " + Daemon.IDLE_MINUTES + " idle minutes; HUGESIM_DAEMON=off to go without)");
        } catch (IOException | RuntimeException e) {
            // runs go on without one
        }
    }
}
