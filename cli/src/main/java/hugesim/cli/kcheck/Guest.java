package hugesim.cli.kcheck;

import hugesim.kernel.MachineConfig;
import hugesim.mm.KernelVersion;
import hugesim.mm.swap.SwapKind;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Boots the scenario's machine under QEMU (TCG): the kernel, an initramfs holding the guest program as
 * /init, the trace and the modules the swap disk needs, and the scenario's command line. The guest's
 * readings come back on its second serial port; its console (ttyS0) is kept for errors. Everything is
 * made in a temporary directory that is removed afterwards, and QEMU is killed on a timeout or when the
 * JVM exits.
 */
public final class Guest {
    /** What every boot adds: no address randomization (the model's addresses are replayed), no reboot on panic. */
    static final String BASE_CMDLINE = "console=ttyS0 quiet panic=-1 norandmaps transparent_hugepage=madvise";
    /** QEMU gets a CPU per node, so that a process runs on its node's CPU; TCG runs them all on one thread. */
    static final int MAX_NODES = 4;
    private static final String[] SWAP_MODULES = {"virtio_pci", "virtio_blk"};

    public record Output(List<String> lines, String console, double seconds, String cmdline) {}

    private Guest() {}

    /** The largest guest this host runs: half of MemAvailable, in whole GiB. */
    public static long hostLimitBytes() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemAvailable:")) {
                    long kb = Long.parseLong(l.replaceAll("\\D", ""));
                    return (kb * 1024 / 2) & -(1L << 30);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through
        }
        return 2L << 30;
    }

    /** Refuses machines the guest cannot be: too large for this host, or what QEMU here does not emulate. */
    public static void check(MachineConfig m) {
        long limit = hostLimitBytes();
        if (m.memory() > limit) {
            throw new CheckFailure("machine memory " + hugesim.units.Size.format(m.memory()) + " is too large for a guest here: this host runs guests of up to "
                    + hugesim.units.Size.format(limit) + " (half its available memory)");
        }
        if (!m.geometry().arch().equals("x86_64")) throw new CheckFailure("machine arch '" + m.geometry().arch() + "': kernel-check boots x86_64 guests only");
        if (m.geometry().pageblockOrder() != 9) throw new CheckFailure("machine pageblockOrder: an x86_64 kernel's pageblock order is fixed at 9");
        if (m.nodes() > MAX_NODES) throw new CheckFailure("machine nodes " + m.nodes() + ": kernel-check boots guests of up to " + MAX_NODES + " NUMA nodes");
        if (m.swap() > 0 && m.swapKind() == SwapKind.ZRAM) throw new CheckFailure("swap device: 'zram': kernel-check replays swap on a virtio disk only");
    }

    /**
     * Refuses a swap device whose whole-THP swap-out differs between the kernel the script models and the
     * guest's: a rotational disk (6.1 splits, 6.14 and later do not), and a swap file, which the guest replays
     * as a rotational disk (the same as a swap file on 6.1 only).
     */
    public static void check(MachineConfig m, String release) {
        boolean guest61 = release.startsWith("6.1.") || release.equals("6.1");
        if (m.swap() == 0) return;
        boolean disk = !m.swapFile() && m.swapKind() == SwapKind.HDD;
        if (disk && guest61 != (m.kernel() == KernelVersion.V6_1)) {
            throw new CheckFailure("swap device: 'hdd': the guest runs " + release + (guest61 ? ", which splits every THP on a rotational disk, but the script models mainline: add kernel '6.1' to its machine { }"
                    : ", which swaps THPs out whole to a rotational disk, but the script models 6.1: drop kernel '6.1'"));
        }
        if (m.swapFile() && !guest61) {
            throw new CheckFailure("file: true is replayed as a rotational disk, which only 6.1 treats as a swap file; the guest runs " + release);
        }
    }

    public static Output run(KernelImage kernel, MachineConfig m, GuestTrace trace, long timeoutSeconds) {
        Path dir = null;
        Process qemu = null;
        Thread hook = null;
        try {
            dir = Files.createTempDirectory("hugesim-kcheck-");
            Path init = compile(dir);
            List<String> traceLines = new ArrayList<>();
            // khugepaged scans on the guest's clock, which the replay does not keep: its timed scans would fall
            // between arbitrary operations, so it sleeps a day between them (a scan woken otherwise can still come:
            // see thp_collapse_alloc's tolerance)
            traceLines.add("write /sys/kernel/mm/transparent_hugepage/khugepaged/scan_sleep_millisecs 86400000");
            Cpio cpio = new Cpio().dir("dev").dir("proc").dir("sys").dir("modules");
            List<String> qemuArgs = new ArrayList<>(List.of("qemu-system-x86_64", "-machine", "q35", "-cpu", "max",
                    "-m", (m.memory() >> 20) + "M", "-smp", String.valueOf(m.nodes()), "-nodefaults", "-display", "none", "-monitor", "none", "-no-reboot"));
            if (m.nodes() > 1) {
                // memory split evenly, as the model splits it; CPU i on node i
                for (int i = 0; i < m.nodes(); i++) {
                    qemuArgs.addAll(List.of("-object", "memory-backend-ram,id=ram" + i + ",size=" + (m.memory() / m.nodes() >> 20) + "M",
                            "-numa", "node,nodeid=" + i + ",cpus=" + i + ",memdev=ram" + i));
                }
            }
            if (m.swap() > 0) {
                for (Path mod : kernel.modules(SWAP_MODULES)) {
                    String name = mod.getFileName().toString();
                    cpio.file("modules/" + name, 0644, Files.readAllBytes(mod));
                    traceLines.add("module " + name);
                }
                Path disk = dir.resolve("swap.img");
                SwapImage.write(disk, m.swap());
                qemuArgs.addAll(List.of("-drive", "file=" + disk + ",if=none,id=swap,format=raw,cache=unsafe",
                        "-device", "virtio-blk-pci,drive=swap"));
                // 6.1 gives whole-THP swap clusters only to non-rotational block devices: the model's swap
                // file (no whole-THP swap-out) is replayed as a rotational disk (see check(m, release))
                boolean rotational = m.swapFile() || m.swapKind() == SwapKind.HDD;
                traceLines.add("write /sys/block/vda/queue/rotational " + (rotational ? 1 : 0));
                traceLines.add("swapon /dev/vda");
            }
            traceLines.addAll(trace.lines);
            cpio.file("init", 0755, Files.readAllBytes(init));
            cpio.file("trace", 0644, String.join("\n", traceLines).concat("\n").getBytes(StandardCharsets.UTF_8));
            Path initrd = dir.resolve("initrd.cpio");
            try (OutputStream o = Files.newOutputStream(initrd)) {
                cpio.writeTo(o);
            }
            Path console = dir.resolve("console.log"), out = dir.resolve("out.jsonl");
            String cmdline = (BASE_CMDLINE + " " + m.cmdline()).trim();
            qemuArgs.addAll(List.of("-kernel", kernel.path().toString(), "-initrd", initrd.toString(), "-append", cmdline,
                    "-serial", "file:" + console, "-serial", "file:" + out));
            long start = System.nanoTime();
            try {
                qemu = new ProcessBuilder(qemuArgs).redirectErrorStream(true).redirectOutput(dir.resolve("qemu.log").toFile()).start();
            } catch (IOException e) {
                throw new CheckFailure("cannot start qemu-system-x86_64 (apt-get install qemu-system-x86): " + e.getMessage());
            }
            Process running = qemu;
            hook = new Thread(() -> kill(running));
            Runtime.getRuntime().addShutdownHook(hook);
            boolean ended = qemu.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - start) / 1e9;
            String consoleText = Files.exists(console) ? Files.readString(console, StandardCharsets.ISO_8859_1) : "";
            if (!ended) {
                kill(qemu);
                throw new CheckFailure("the guest did not finish within " + timeoutSeconds + " s (killed)", tail(consoleText));
            }
            if (qemu.exitValue() != 0) {
                String log = Files.readString(dir.resolve("qemu.log"), StandardCharsets.ISO_8859_1).trim();
                throw new CheckFailure("qemu-system-x86_64 failed (exit " + qemu.exitValue() + "): " + lastLine(log), tail(consoleText));
            }
            List<String> lines = Files.exists(out) ? Files.readAllLines(out, StandardCharsets.ISO_8859_1) : List.of();
            return new Output(lines, consoleText, seconds, cmdline);
        } catch (IOException e) {
            throw new CheckFailure("kernel-check: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CheckFailure("kernel-check interrupted");
        } finally {
            if (qemu != null) kill(qemu);
            if (hook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // the JVM is exiting: the hook runs anyway
                }
            }
            if (dir != null) delete(dir);
        }
    }

    /** The guest program, compiled statically from the source shipped with hugesim. */
    private static Path compile(Path dir) throws IOException, InterruptedException {
        Path src = dir.resolve("guest.c"), bin = dir.resolve("init");
        try (InputStream in = Guest.class.getResourceAsStream("guest.c")) {
            Files.copy(in, src);
        }
        Process gcc;
        try {
            gcc = new ProcessBuilder("gcc", "-static", "-O2", "-o", bin.toString(), src.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new CheckFailure("kernel-check needs a C compiler to build its guest program (apt-get install gcc): " + e.getMessage());
        }
        String log = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (gcc.waitFor() != 0) throw new CheckFailure("gcc -static could not build the guest program: " + lastLine(log));
        return bin;
    }

    private static void kill(Process p) {
        if (!p.isAlive()) return;
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String tail(String console) {
        String[] lines = console.replace("\r", "").split("\n");
        int from = Math.max(0, lines.length - 15);
        return String.join("\n", java.util.Arrays.copyOfRange(lines, from, lines.length));
    }

    private static String lastLine(String text) {
        String[] l = text.trim().split("\n");
        return l[l.length - 1];
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temporary directory
        }
    }

    /** A swap device image: a sparse file with the header mkswap writes (include/linux/swap.h union swap_header). */
    static final class SwapImage {
        private SwapImage() {}

        /** {@code bytes} of swap space: one page more for the header, so SwapTotal is what the model has. */
        static void write(Path file, long bytes) throws IOException {
            int page = 4096;
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                f.setLength(bytes + page);
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(page).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                b.putInt(1024, 1);                                  // info.version
                b.putInt(1028, (int) (bytes / page));               // info.last_page
                b.putInt(1032, 0);                                  // info.nr_badpages
                b.position(page - 10);
                b.put("SWAPSPACE2".getBytes(StandardCharsets.US_ASCII));
                f.seek(0);
                f.write(b.array());
            }
        }
    }
}
