package hugesim.cli;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A background JVM that serves {@code hugesim run} and {@code replay} for one folder, as a build tool's
 * daemon does: the Groovy runtime, the DSL's compiler, the chart toolkit and the compiled code stay warm
 * between runs, so a run costs the client's JVM start and the work itself. One run at a time (a client
 * that finds it busy runs by itself); its outputs are those of the same run in a JVM of its own.
 * It ends after {@link #IDLE_MINUTES} idle minutes, when its socket is removed (a rebuild, {@code hugesim
 * daemon --stop}), when its jars change, when a client goes away during a run (Ctrl-C), and after a run
 * that left threads behind or ran out of memory: the next run then starts afresh.
 */
final class Daemon {
    static final int IDLE_MINUTES = 15;
    /** The system property the launcher sets: a scenario the daemon runs once before it serves. */
    static final String WARM_UP = "hugesim.daemon.warmUp";
    /**
     * The threads a run makes: its policies' runs (Parallel), the script's evaluation (the DSL's loader) and
     * the process bodies (the engine's Process). Scripts may start no others; what libraries start for
     * themselves (Groovy's cache cleaners, the JDK's disposers) lives for the JVM and is no run's leftover.
     * Bodies on virtual threads (JDK 21 and later) are not listed; they end with their run unless runaway.
     */
    private static final List<String> RUN_THREADS = List.of("hugesim run", "scenario script", "process ");

    private final Path socket;
    private final String key;
    private final PrintStream log = System.out;
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile long idleSince = System.nanoTime();
    private volatile boolean collect;

    private Daemon(Path socket, String key) {
        this.socket = socket;
        this.key = key;
    }

    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Path socket = Path.of(args[0]);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            // another daemon took it first (it serves), or a killed one left its socket (taken over)
            if (DaemonWire.answers(socket)) System.exit(0);
            Files.deleteIfExists(socket);
            server.bind(UnixDomainSocketAddress.of(socket));
        }
        Object fileKey = Files.readAttributes(socket, BasicFileAttributes.class).fileKey();
        Daemon d = new Daemon(socket, DaemonWire.key());
        d.log.println("hugesim daemon: serving " + System.getProperty("user.dir") + " on " + socket);
        WarmUp.start(true);
        String warm = System.getProperty(WARM_UP);
        if (warm != null && Files.isRegularFile(Path.of(warm))) {
            d.busy.set(true);
            Thread t = new Thread(() -> d.warmUp(warm), "daemon-warm-up");
            t.setDaemon(true);
            t.start();
        }
        Thread watch = new Thread(() -> d.watch(fileKey), "daemon-watch");
        watch.setDaemon(true);
        watch.start();
        while (true) {
            SocketChannel ch = server.accept();
            if (!d.busy.compareAndSet(false, true)) {
                try (ch) {
                    ch.write(java.nio.ByteBuffer.wrap(new byte[] {DaemonWire.BUSY}));
                } catch (IOException ignored) {
                    // the client gave up already
                }
                continue;
            }
            Thread t = new Thread(() -> d.serve(ch), "daemon-run");
            t.start();
        }
    }

    /** Ends the JVM when its socket is gone or replaced, its jars changed, or it was idle too long. */
    private void watch(Object fileKey) {
        while (true) {
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                return;
            }
            // a run's garbage goes once it is over, not on the next run's time
            if (!busy.get() && collect) {
                collect = false;
                System.gc();
            }
            boolean idle = !busy.get() && System.nanoTime() - idleSince > IDLE_MINUTES * 60_000_000_000L;
            if (!DaemonWire.same(socket, fileKey) || (!busy.get() && !key.equals(DaemonWire.key())) || idle) {
                if (DaemonWire.same(socket, fileKey)) {
                    try {
                        Files.deleteIfExists(socket);
                    } catch (IOException ignored) {
                        // exiting anyway; a client finding a dead socket runs by itself
                    }
                }
                log.println("hugesim daemon: stopping");
                System.exit(0);
            }
        }
    }

    private void serve(SocketChannel ch) {
        boolean stop = false, released = false;
        try (ch) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(DaemonWire.input(ch)));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(DaemonWire.output(ch)));
            DaemonWire.Request req = DaemonWire.Request.read(in);
            if (!req.cwd().equals(System.getProperty("user.dir"))) {
                out.writeByte(DaemonWire.BUSY);
                out.flush();
                return;
            }
            AtomicBoolean done = new AtomicBoolean();
            Thread gone = new Thread(() -> {
                // the client sends nothing more: end of stream before the answer is a client gone (Ctrl-C)
                try {
                    in.read();
                } catch (IOException ignored) {
                    // the same
                }
                if (!done.get()) {
                    log.println("hugesim daemon: the client went away during a run; stopping");
                    System.exit(130);
                }
            }, "daemon-client");
            gone.setDaemon(true);
            gone.start();
            Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
            PrintStream o = new PrintStream(new BufferedOutputStream(new DaemonWire.FrameStream(out, DaemonWire.OUT), 8192), true, req.charset());
            PrintStream e = new PrintStream(new BufferedOutputStream(new DaemonWire.FrameStream(out, DaemonWire.ERR), 8192), true, req.charset());
            int code;
            System.setOut(o);
            System.setErr(e);
            try {
                code = Main.execute(req.args());
            } catch (Throwable t) {
                e.println("hugesim: " + Main.describe(t));
                code = Main.BAD_INPUT;
                if (t instanceof Error) {
                    log.println("hugesim daemon: " + t);
                    stop = true;
                }
            } finally {
                o.flush();
                e.flush();
                System.setOut(log);
                System.setErr(log);
            }
            String left = leftover(before);
            if (left != null) {
                log.println("hugesim daemon: the run left thread '" + left + "' running");
                stop = true;
            }
            log.println("hugesim daemon: served " + String.join(" ", req.args()) + " (exit " + code + ")");
            done.set(true);
            // ready for the next run before this one's client hears it is over: it may start one at once; or,
            // stopping, gone from the folder, so that the next client runs by itself and starts a new daemon
            if (stop) Files.deleteIfExists(socket);
            else {
                ready();
                released = true;
            }
            synchronized (out) {
                out.writeByte(DaemonWire.EXIT);
                out.writeInt(code);
                out.flush();
            }
        } catch (java.io.EOFException e) {
            // a client that only looked whether the daemon answers (hugesim daemon)
        } catch (IOException | RuntimeException e) {
            log.println("hugesim daemon: " + e);
        } finally {
            if (stop) {
                log.println("hugesim daemon: stopping, so that the next run starts in a fresh JVM");
                System.exit(0);
            }
            if (!released) ready();
        }
    }

    /**
     * Runs {@code script} once, its outputs into a scratch folder and its printed table nowhere, so that the
     * first run served finds the code compiled (it took longer than a run in a JVM of its own). Clients that
     * come meanwhile find the daemon busy and run by themselves.
     */
    private void warmUp(String script) {
        PrintStream none = new PrintStream(java.io.OutputStream.nullOutputStream());
        Path out = null;
        try {
            out = Files.createTempDirectory("hugesim-warm-up-");
            System.setOut(none);
            System.setErr(none);
            Main.execute("run", script, "--out", out.toString());
        } catch (Throwable e) {
            // a daemon that could not warm up serves all the same
        } finally {
            System.setOut(log);
            System.setErr(log);
            try {
                if (out != null) OutputDir.delete(out);
            } catch (IOException ignored) {
                // a scratch folder left in the temporary directory
            }
            log.println("hugesim daemon: warmed up");
            ready();
        }
    }

    /** Takes the next run: once per run, since the next may already be under way after it. */
    private void ready() {
        idleSince = System.nanoTime();
        collect = true;
        busy.set(false);
    }

    /** A thread of the run still running, which the next run would share the JVM with (a runaway body's), or null. */
    private static String leftover(Set<Thread> before) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (before.contains(t) || !t.isAlive()) continue;
            for (String run : RUN_THREADS) if (t.getName().startsWith(run)) return t.getName();
        }
        return null;
    }
}
