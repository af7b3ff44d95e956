package hugesim.cli;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a client and the background JVM ({@link Daemon}) say to each other over the daemon's Unix socket,
 * and where that socket is. A request: {@link #MAGIC}, the client's working folder, its stdout's charset
 * and the arguments. The answer: frames of the command's stdout and stderr as they are written, then its
 * exit code; or {@link #BUSY} at once when another run is being served.
 */
final class DaemonWire {
    static final int MAGIC = 0x48534d31;
    static final byte OUT = 1, ERR = 2, EXIT = 3, BUSY = 4;
    /** The system property the launcher sets: the folder of the daemons' sockets (its class-data cache folder). */
    static final String DIR = "hugesim.daemon";
    /** Unix socket paths longer than this do not fit in sockaddr_un. */
    private static final int MAX_PATH = 100;
    private static final String SOCKET = ".sock";

    private DaemonWire() {}

    /**
     * The socket of the daemon that may serve this JVM's runs, or null when there is none to use. A daemon
     * serves one working folder, one set of jars and one environment (its key says which): relative paths,
     * the scripts' cache and the JVM's options are then what a run started here would have.
     */
    static Path socket() {
        String dir = System.getProperty(DIR);
        if (dir == null || "off".equals(System.getenv("HUGESIM_DAEMON"))) return null;
        Path p = Path.of(dir, "d-" + key() + SOCKET);
        return p.toString().length() <= MAX_PATH ? p : null;
    }

    /** The daemon's log, beside its socket. */
    static Path log(Path socket) { return Path.of(socket + ".log"); }

    /** Whether {@code p} is named as a daemon's socket ({@link #socket()}). */
    static boolean isSocket(Path p) {
        String n = p.getFileName().toString();
        return n.startsWith("d-") && n.endsWith(SOCKET);
    }

    /** A 64-bit FNV-1a hash, in hex, of the JDK, working folder, jars (size and time of each) and environment. */
    static String key() {
        StringBuilder s = new StringBuilder();
        s.append(System.getProperty("java.home")).append('\n').append(System.getProperty("user.dir")).append('\n');
        for (String jar : System.getProperty("java.class.path").split(File.pathSeparator)) {
            File f = new File(jar);
            s.append(jar).append(' ').append(f.length()).append(' ').append(f.lastModified()).append('\n');
        }
        Map<String, String> env = new TreeMap<>();
        System.getenv().forEach((k, v) -> {
            if (k.startsWith("HUGESIM_") || k.startsWith("LC_") || k.equals("LANG") || k.equals("HOME") || k.equals("TZ")) env.put(k, v);
        });
        s.append(env);
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        String hex = Long.toHexString(h);
        return "0".repeat(16 - hex.length()) + hex;
    }

    static void writeRequest(DataOutputStream out, String cwd, String charset, String[] args) throws IOException {
        out.writeInt(MAGIC);
        out.writeUTF(cwd);
        out.writeUTF(charset);
        out.writeInt(args.length);
        for (String a : args) out.writeUTF(a);
        out.flush();
    }

    record Request(String cwd, String charset, String[] args) {
        static Request read(DataInputStream in) throws IOException {
            if (in.readInt() != MAGIC) throw new IOException("not a hugesim request");
            String cwd = in.readUTF(), charset = in.readUTF();
            String[] args = new String[in.readInt()];
            for (int i = 0; i < args.length; i++) args[i] = in.readUTF();
            return new Request(cwd, charset, args);
        }
    }

    /** The bytes written to it, sent as frames of one kind ({@link #OUT} or {@link #ERR}). */
    static final class FrameStream extends OutputStream {
        private final DataOutputStream to;
        private final byte kind;

        FrameStream(DataOutputStream to, byte kind) {
            this.to = to;
            this.kind = kind;
        }

        @Override
        public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len == 0) return;
            synchronized (to) {
                to.writeByte(kind);
                to.writeInt(len);
                to.write(b, off, len);
                to.flush();
            }
        }
    }

    /**
     * The channel as streams. Not {@link java.nio.channels.Channels}' streams: their reads hold the channel's
     * blocking lock, so a thread waiting to read (for a client that goes away) would stop every write.
     */
    static java.io.InputStream input(java.nio.channels.SocketChannel ch) {
        return new java.io.InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return len == 0 ? 0 : ch.read(java.nio.ByteBuffer.wrap(b, off, len));
            }
        };
    }

    static OutputStream output(java.nio.channels.SocketChannel ch) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b, off, len);
                while (buf.hasRemaining()) ch.write(buf);
            }
        };
    }

    /** Whether a daemon listens on {@code socket}. */
    static boolean answers(Path socket) {
        try (java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(socket))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether a file is still there and the same file (a socket replaced by another daemon's is not). */
    static boolean same(Path p, Object fileKey) {
        try {
            return fileKey.equals(Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class).fileKey());
        } catch (IOException e) {
            return false;
        }
    }
}
