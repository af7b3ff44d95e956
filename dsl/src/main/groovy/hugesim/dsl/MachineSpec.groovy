package hugesim.dsl

import hugesim.kernel.MachineConfig
import hugesim.mm.Geometry
import hugesim.units.Bandwidth

/** The {@code machine { … }} block: memory, NUMA nodes, swap device, kernel command line. */
class MachineSpec {
    private Long memory
    private int nodes = 1
    private long swap
    private Bandwidth swapWrite = MachineConfig.DEFAULT_SWAP_BANDWIDTH
    private Bandwidth swapRead = MachineConfig.DEFAULT_SWAP_BANDWIDTH
    private boolean swapFile
    private Bandwidth migrate = MachineConfig.DEFAULT_MIGRATE
    private final List<String> cmdline = []

    /** RAM, e.g. {@code memory 64.GB}. */
    void memory(long bytes) {
        if (bytes <= 0) throw new IllegalArgumentException("memory must be positive, got ${bytes} bytes")
        memory = bytes
    }

    /** NUMA nodes; memory is split evenly over them. */
    void nodes(int n) {
        if (n < 1 || n > 64) throw new IllegalArgumentException("nodes must be between 1 and 64, got ${n}")
        nodes = n
    }

    /** A swap device: {@code swap 32.GB, write: 2.GBps, read: 3.GBps, file: false}. */
    void swap(Map opts = [:], long bytes) {
        Options.check('swap', opts, ['write', 'read', 'file'])
        if (bytes < 0) throw new IllegalArgumentException("swap must not be negative, got ${bytes} bytes")
        swap = bytes
        if (opts.write != null) swapWrite = Options.rate('swap', 'write', opts.write)
        if (opts.read != null) swapRead = Options.rate('swap', 'read', opts.read)
        if (opts.file != null) swapFile = opts.file as boolean
    }

    /** How fast the kernel migrates pages (compaction, CMA allocation). */
    void migrate(Bandwidth rate) { migrate = rate }

    /** Kernel command-line parameters, added to those of the policy. */
    void cmdline(String line) { cmdline << line }

    MachineConfig build() {
        if (memory == null) throw new IllegalArgumentException("machine { } needs a memory size, e.g. memory 64.GB")
        new MachineConfig(memory, nodes, swap, swapWrite, swapRead, swapFile, migrate, cmdline.join(' '), Geometry.X86_64)
    }

    def methodMissing(String name, args) {
        throw new IllegalArgumentException("unknown keyword '${name}' in machine { }; known: memory, nodes, swap, migrate, cmdline")
    }
}
