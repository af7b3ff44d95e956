package hugesim.cli.kcheck;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * An x86 bzImage: checked by its boot-protocol header ("HdrS" at 0x202, Documentation/arch/x86/boot.rst),
 * with the release string the header points to, and that release's modules under /lib/modules if any.
 */
public record KernelImage(Path path, String version) {

    /** The kernel .ci/run installs: the newest /boot/vmlinuz-*, or null when there is none. */
    public static Path defaultPath() {
        try (Stream<Path> s = Files.list(Path.of("/boot"))) {
            return s.filter(p -> p.getFileName().toString().startsWith("vmlinuz-"))
                    .max(Comparator.comparing(p -> p.getFileName().toString())).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    /** Reads the header; a file that is missing, unreadable or not a bzImage is a {@link CheckFailure}. */
    public static KernelImage open(Path path) {
        if (!Files.isRegularFile(path)) throw new CheckFailure("--kernel " + path + ": no such file");
        if (!Files.isReadable(path)) throw new CheckFailure("--kernel " + path + ": not readable");
        try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "r")) {
            byte[] magic = new byte[4];
            if (f.length() < 0x1000) throw notKernel(path);
            f.seek(0x202);
            f.readFully(magic);
            if (!"HdrS".equals(new String(magic, StandardCharsets.US_ASCII))) throw notKernel(path);
            f.seek(0x20E);
            int off = (f.read() | f.read() << 8) + 0x200;
            if (off >= f.length()) throw notKernel(path);
            f.seek(off);
            StringBuilder v = new StringBuilder();
            for (int c; (c = f.read()) > 0 && v.length() < 256; ) v.append((char) c);
            return new KernelImage(path, v.toString());
        } catch (IOException e) {
            throw new CheckFailure("--kernel " + path + ": " + e.getMessage());
        }
    }

    private static CheckFailure notKernel(Path path) {
        return new CheckFailure("--kernel " + path + ": not an x86 bzImage (no \"HdrS\" boot header)");
    }

    /** The release, e.g. 6.1.0-50-amd64: the version string's first word. */
    public String release() {
        int sp = version.indexOf(' ');
        return sp < 0 ? version : version.substring(0, sp);
    }

    /**
     * The module files to load, dependencies first, for {@code names} (e.g. virtio_pci, virtio_blk): none
     * when the kernel has them built in or has no module tree here (a kernel built with them =y).
     */
    public List<Path> modules(String... names) throws IOException {
        Path dir = Path.of("/lib/modules", release());
        Path dep = dir.resolve("modules.dep");
        if (!Files.isRegularFile(dep)) return List.of();
        Map<String, List<String>> deps = new java.util.HashMap<>();
        Map<String, String> byName = new java.util.HashMap<>();
        for (String line : Files.readAllLines(dep)) {
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            String mod = line.substring(0, colon);
            String rest = line.substring(colon + 1).trim();
            deps.put(mod, rest.isEmpty() ? List.of() : List.of(rest.split("\\s+")));
            byName.put(baseName(mod), mod);
        }
        Set<String> order = new LinkedHashSet<>();
        for (String n : names) {
            String mod = byName.get(n);
            if (mod != null) add(mod, deps, order);
        }
        List<Path> out = new ArrayList<>();
        for (String m : order) out.add(dir.resolve(m));
        return out;
    }

    private static void add(String mod, Map<String, List<String>> deps, Set<String> order) {
        if (order.contains(mod)) return;
        List<String> ds = new ArrayList<>(deps.getOrDefault(mod, List.of()));
        java.util.Collections.reverse(ds);          // modules.dep lists the deepest dependency last
        for (String d : ds) add(d, deps, order);
        order.add(mod);
    }

    static String baseName(String mod) {
        String f = mod.substring(mod.lastIndexOf('/') + 1);
        int dot = f.indexOf(".ko");
        return dot < 0 ? f : f.substring(0, dot);
    }
}
