package hugesim.kernel;

import hugesim.mm.Geometry;
import hugesim.mm.KernelVersion;
import hugesim.mm.filemap.Disk;
import hugesim.mm.swap.SwapKind;
import hugesim.units.Bandwidth;
import hugesim.units.Size;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The machine a scenario boots: memory, NUMA nodes, a swap device and the kernel command line.
 *
 * @param memory     bytes of RAM, split evenly over the nodes
 * @param nodes      NUMA nodes
 * @param swap       bytes of swap (0: none)
 * @param swapWrite  swap device write bandwidth
 * @param swapRead   swap device read bandwidth
 * @param swapFile   a swap file on a filesystem rather than a block device (no whole-THP swap-out)
 * @param migrate    how fast pages are migrated (compaction, CMA); an engineering estimate, docs/model.md 5.3
 * @param cmdline    kernel command line
 * @param geometry   page and PMD sizes
 * @param kernelReserved bytes the kernel keeps for itself at boot, outside MemTotal ({@link #DEFAULT_KERNEL_RESERVED}: derived from memory, {@link Memblock})
 * @param swapKind   what the swap area lives on
 * @param zramRatio  zram's compression ratio
 * @param kernel     which kernel's behaviour the model follows where releases differ
 * @param disk       the disk files live on
 */
public record MachineConfig(long memory, int nodes, long swap, Bandwidth swapWrite, Bandwidth swapRead, boolean swapFile,
                            Bandwidth migrate, String cmdline, Geometry geometry, long kernelReserved, SwapKind swapKind,
                            double zramRatio, KernelVersion kernel, Disk.Spec disk) {

    /** kernelReserved when the scenario does not say: {@link Memblock#defaultReserved(long, Geometry)}. */
    public static final long DEFAULT_KERNEL_RESERVED = -1;

    /** The default kernel memory, an SSD (or a swap file), on mainline. */
    public MachineConfig(long memory, int nodes, long swap, Bandwidth swapWrite, Bandwidth swapRead, boolean swapFile,
                         Bandwidth migrate, String cmdline, Geometry geometry) {
        this(memory, nodes, swap, swapWrite, swapRead, swapFile, migrate, cmdline, geometry, DEFAULT_KERNEL_RESERVED);
    }

    /** An SSD (or a swap file) on mainline. */
    public MachineConfig(long memory, int nodes, long swap, Bandwidth swapWrite, Bandwidth swapRead, boolean swapFile,
                         Bandwidth migrate, String cmdline, Geometry geometry, long kernelReserved) {
        this(memory, nodes, swap, swapWrite, swapRead, swapFile, migrate, cmdline, geometry, kernelReserved, SwapKind.SSD,
                SwapKind.ZRAM_RATIO, KernelVersion.MAINLINE, Disk.Spec.SSD);
    }

    /** The default kernel memory, with this swap device and kernel. */
    public MachineConfig(long memory, int nodes, long swap, Bandwidth swapWrite, Bandwidth swapRead, boolean swapFile,
                         Bandwidth migrate, String cmdline, Geometry geometry, SwapKind swapKind, double zramRatio, KernelVersion kernel) {
        this(memory, nodes, swap, swapWrite, swapRead, swapFile, migrate, cmdline, geometry, DEFAULT_KERNEL_RESERVED, swapKind,
                zramRatio, kernel, Disk.Spec.SSD);
    }

    public static final Bandwidth DEFAULT_SWAP_BANDWIDTH = new Bandwidth(Size.GB);
    public static final Bandwidth DEFAULT_MIGRATE = new Bandwidth(5 * Size.GB);

    public MachineConfig {
        if (memory <= 0) throw new IllegalArgumentException("memory must be positive, got " + memory + " bytes");
        if (nodes < 1 || nodes > 64) throw new IllegalArgumentException("nodes must be 1..64, got " + nodes);
        long perNode = memory / nodes;
        // the zones are kept in PMD-sized blocks (Zone), so memory comes in whole ones
        if (perNode % geometry.blockSize() != 0 || memory % nodes != 0) {
            throw new IllegalArgumentException("memory " + Size.format(memory) + " does not split into whole "
                    + Size.format(geometry.blockSize()) + " PMD-sized blocks over " + nodes + " node(s)");
        }
        checkMemoryLimit(memory, geometry);
        if (swap < 0) throw new IllegalArgumentException("swap must not be negative, got " + swap + " bytes");
        if (swap > 0 && swap % geometry.pmdSize() != 0) {
            throw new IllegalArgumentException("swap " + Size.format(swap) + " is not a whole number of " + Size.format(geometry.pmdSize()) + " clusters");
        }
        checkSwapLimit(swap, geometry);
        if (swapFile && swapKind == SwapKind.ZRAM) throw new IllegalArgumentException("a swap file cannot live on zram: give file: true or device: 'zram', not both");
        if (!(zramRatio >= 1) || Double.isInfinite(zramRatio)) throw new IllegalArgumentException("zram ratio must be at least 1 (no compression), got " + zramRatio);
        if (kernelReserved != DEFAULT_KERNEL_RESERVED) Memblock.check(kernelReserved, memory, nodes, geometry);
        if (disk == null) throw new IllegalArgumentException("a machine needs a disk for its files");
    }

    /** The kernel's own memory at boot, in bytes: the scenario's, else the default for this memory. */
    public long kernelReservedBytes() {
        return kernelReserved == DEFAULT_KERNEL_RESERVED ? Memblock.defaultReserved(memory, geometry) : kernelReserved;
    }

    /** Memory is numbered in PMD-sized blocks with an int: beyond that the model refuses, naming the limit. */
    public static void checkMemoryLimit(long memory, Geometry geometry) {
        if (memory / geometry.blockSize() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("memory " + Size.format(memory) + " is more than the model's limit of 2^31 - 1 blocks of "
                    + Size.format(geometry.blockSize()) + " (just under " + Size.format((1L << 31) * geometry.blockSize()) + ")");
        }
    }

    /** The swap device numbers its clusters with an int: beyond that the model refuses, naming the limit. */
    public static void checkSwapLimit(long swap, Geometry geometry) {
        if (swap / geometry.pmdSize() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("swap " + Size.format(swap) + " is more than the model's limit of 2^31 - 1 swap clusters of "
                    + Size.format(geometry.pmdSize()) + " (just under " + Size.format((1L << 31) * geometry.pmdSize()) + ")");
        }
    }

    public static MachineConfig of(long memory) {
        return new MachineConfig(memory, 1, 0, DEFAULT_SWAP_BANDWIDTH, DEFAULT_SWAP_BANDWIDTH, false, DEFAULT_MIGRATE, "", Geometry.X86_64);
    }

    public MachineConfig withCmdline(String more) {
        String c = (cmdline + " " + more).trim();
        return new MachineConfig(memory, nodes, swap, swapWrite, swapRead, swapFile, migrate, c, geometry, kernelReserved, swapKind, zramRatio, kernel, disk);
    }

    /** The same machine with the kernel keeping {@code bytes} at boot (0: none, all of RAM managed). */
    public MachineConfig withKernelReserved(long bytes) {
        return new MachineConfig(memory, nodes, swap, swapWrite, swapRead, swapFile, migrate, cmdline, geometry, bytes, swapKind, zramRatio, kernel, disk);
    }

    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("arch", geometry.arch());
        m.put("memory_bytes", memory);
        m.put("nodes", nodes);
        m.put("page_size", geometry.pageSize());
        m.put("pmd_size", geometry.pmdSize());
        m.put("pageblock_order", geometry.pageblockOrder());
        m.put("pageblock_size", geometry.pageblockSize());
        m.put("swap_bytes", swap);
        m.put("swap_write_Bps", swapWrite.bytesPerSecond());
        m.put("swap_read_Bps", swapRead.bytesPerSecond());
        m.put("swap_file", swapFile);
        m.put("swap_device", swapKind.label);
        if (swapKind == SwapKind.ZRAM) m.put("zram_ratio", zramRatio);
        m.put("kernel", kernel.label);
        m.put("kernel_reserved_bytes", kernelReservedBytes());
        m.put("disk", disk.kind().label);
        m.put("disk_read_Bps", disk.read().bytesPerSecond());
        m.put("disk_write_Bps", disk.write().bytesPerSecond());
        m.put("cmdline", cmdline);
        return m;
    }
}
