package hugesim.dsl

import hugesim.kernel.MachineConfig
import hugesim.mm.Geometry
import hugesim.mm.KernelVersion
import hugesim.mm.filemap.Disk
import hugesim.mm.swap.SwapKind
import hugesim.units.Bandwidth

/** The {@code machine { … }} block: memory, NUMA nodes, swap device, the files' disk, kernel command line. */
@groovy.transform.CompileStatic
class MachineSpec {
    // field names differ from the keywords: Groovy reads `memory -1.GB` as `memory - 1.GB`, which must
    // not silently find a field (see propertyMissing)
    private Long memoryBytes
    private int nodeCount = 1
    private long swapBytes
    private Bandwidth swapWrite
    private Bandwidth swapRead
    private boolean swapFile
    private SwapKind swapKind = SwapKind.SSD
    private double zramRatio = SwapKind.ZRAM_RATIO
    private KernelVersion kernelVersion = KernelVersion.MAINLINE
    private Disk.Spec diskSpec = Disk.Spec.SSD
    private Bandwidth migrateRate = MachineConfig.DEFAULT_MIGRATE
    private Geometry geometry = Geometry.X86_64
    private Integer pageblockMaxOrder
    private long kernelReservedBytes = MachineConfig.DEFAULT_KERNEL_RESERVED
    private int kernelReservedLine = -1
    /** The script line calling into the block, so that a size refused once the machine is known names its line. */
    @groovy.transform.PackageScope Closure<Integer> callerLine
    private final List<String> cmdlineParts = []

    /** RAM, e.g. {@code memory 64.GB}. */
    void memory(long bytes) {
        if (bytes <= 0) throw new IllegalArgumentException("memory must be positive, got ${bytes} bytes")
        if (bytes < 64L * hugesim.units.Size.MB) throw new IllegalArgumentException("memory ${bytes} means ${bytes} bytes, too small a machine to model (64 MiB at least): write a size with a unit, e.g. memory 8.GB")
        MachineConfig.checkMemoryLimit(bytes, geometry)
        memoryBytes = bytes
    }

    /** A size given as text or a fraction: refused with the form it takes. */
    void memory(Object other) {
        throw new IllegalArgumentException("memory needs a size like 8.GB, got ${other instanceof CharSequence ? "'${other}'" : other}")
    }

    /** NUMA nodes; memory is split evenly over them. */
    void nodes(int n) {
        if (n < 1 || n > 64) throw new IllegalArgumentException("nodes must be between 1 and 64, got ${n}")
        nodeCount = n
    }

    /** Swap given as text or a fraction: refused with the form it takes. */
    void swap(Map opts = [:], Object other) {
        throw new IllegalArgumentException("swap needs a size like 32.GB, got ${other instanceof CharSequence ? "'${other}'" : other}")
    }

    /**
     * A swap area: {@code swap 32.GB, device: 'ssd', write: 2.GBps, read: 3.GBps, file: false}; the device is
     * 'ssd' (the default), 'hdd' or 'zram' (with {@code ratio: 3.0}); the rates default to the device's.
     */
    void swap(Map opts = [:], long bytes) {
        Options.check('swap', opts, ['device', 'write', 'read', 'file', 'ratio'])
        if (bytes < 0) throw new IllegalArgumentException("swap must not be negative, got ${bytes} bytes")
        MachineConfig.checkSwapLimit(bytes, geometry)
        swapBytes = bytes
        if (opts.device != null) swapKind = SwapKind.of(opts.device.toString())
        if (opts.write != null) swapWrite = Options.rate('swap', 'write', opts.write)
        if (opts.read != null) swapRead = Options.rate('swap', 'read', opts.read)
        if (opts.file != null) swapFile = opts.file as boolean
        if (opts.ratio != null) {
            if (swapKind != SwapKind.ZRAM) throw new IllegalArgumentException("swap ratio: is zram's compression ratio; give device: 'zram' with it")
            if (!(opts.ratio instanceof Number)) throw new IllegalArgumentException("swap ratio: needs a number like 3.0, got ${opts.ratio}")
            zramRatio = (opts.ratio as Number).doubleValue()
            if (!(zramRatio >= 1) || Double.isInfinite(zramRatio)) throw new IllegalArgumentException("swap ratio: must be at least 1 (no compression), got ${opts.ratio}")
        }
        if (swapFile && swapKind == SwapKind.ZRAM) throw new IllegalArgumentException("swap: a swap file cannot live on zram: give file: true or device: 'zram', not both")
    }

    /**
     * The disk the scenario's files live on: {@code disk 'ssd'} (the default) or {@code disk 'hdd'}, at its
     * kind's rates unless {@code read:} and {@code write:} give others (e.g. {@code disk 'ssd', read: 3.GBps}).
     */
    void disk(Map opts = [:], String kind) {
        Options.check('disk', opts, ['read', 'write'])
        if (kind == 'zram') throw new IllegalArgumentException("disk is 'ssd' or 'hdd'; zram is a swap device, not a disk for files")
        if (!(kind in ['ssd', 'hdd'])) throw new IllegalArgumentException("unknown disk '${kind}'; known: 'ssd' (the default), 'hdd'")
        SwapKind k = SwapKind.of(kind)
        diskSpec = new Disk.Spec(k, opts.read == null ? k.read : Options.rate('disk', 'read', opts.read),
                opts.write == null ? k.write : Options.rate('disk', 'write', opts.write))
    }

    /** Which kernel's behaviour to follow where releases differ: {@code kernel '6.1'} (default 'mainline'). */
    void kernel(String version) { kernelVersion = KernelVersion.of(version) }

    /** How fast the kernel migrates pages (compaction, CMA allocation). */
    void migrate(Bandwidth rate) { migrateRate = rate }

    /** The architecture: {@code arch 'x86_64'} (default) or {@code arch 'arm64-64k'} (512 MiB PMD). */
    void arch(String name) {
        geometry = Geometry.named(name)
        if (pageblockMaxOrder != null) geometry = geometry.withPageBlockMaxOrder(pageblockMaxOrder)
    }

    /**
     * CONFIG_PAGE_BLOCK_MAX_ORDER, e.g. {@code pageblockOrder 5} on arm64-64k for 2 MiB pageblocks under a
     * 512 MiB PMD; pageblock_order is the smaller of it and the PMD order.
     */
    void pageblockOrder(int order) {
        geometry = Geometry.named(geometry.arch()).withPageBlockMaxOrder(order)
        pageblockMaxOrder = order
    }

    Geometry geometry() { geometry }

    /** NUMA nodes, as {@code nodes n} set them (1 by default). */
    int nodeCount() { nodeCount }

    /**
     * Memory the kernel keeps for itself at boot, outside MemTotal (image, memory map, hash tables); the
     * default is derived from memory size, as 6.1 keeps it: {@code kernelReserved 64.MB}, or 0 for none.
     */
    void kernelReserved(long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("kernelReserved must not be negative, got ${bytes} bytes")
        if (bytes > 0 && bytes < 4096) throw new IllegalArgumentException("kernelReserved ${bytes} means ${bytes} bytes: write a size with a unit, e.g. kernelReserved 64.MB")
        kernelReservedBytes = bytes
        kernelReservedLine = callerLine == null ? -1 : callerLine.call()
    }

    /** A size given as text or a fraction: refused with the form it takes. */
    void kernelReserved(Object other) {
        throw new IllegalArgumentException("kernelReserved needs a size like 64.MB, got ${other instanceof CharSequence ? "'${other}'" : other}")
    }

    /** Kernel command-line parameters, added to those of the policy. */
    void cmdline(String line) { cmdlineParts << line }

    MachineConfig build() {
        if (memoryBytes == null) throw new IllegalArgumentException("machine { } needs a memory size, e.g. memory 64.GB")
        try {
            new MachineConfig(memoryBytes, nodeCount, swapBytes, swapWrite ?: swapKind.write, swapRead ?: swapKind.read, swapFile,
                    migrateRate, cmdlineParts.join(' '), geometry, kernelReservedBytes, swapKind, zramRatio, kernelVersion, diskSpec)
        } catch (IllegalArgumentException e) {
            // judged against memory and nodes, which the block may set after it: the error names its line
            if (e.message.startsWith('kernelReserved') && kernelReservedLine > 0) throw new ScriptLineException(e.message, kernelReservedLine)
            throw e
        }
    }

    def propertyMissing(String name) {
        if (name in KEYWORDS) {
            throw new IllegalArgumentException("'${name}' is used as a value here; Groovy reads '${name} -X' as '${name} minus X', so write ${name}(-X)")
        }
        throw new IllegalArgumentException("unknown name '${name}' in machine { }; known: ${KEYWORDS.join(', ')}")
    }

    private static final List<String> KEYWORDS = ['memory', 'nodes', 'swap', 'migrate', 'cmdline', 'arch', 'pageblockOrder', 'kernelReserved', 'kernel', 'disk']

    def methodMissing(String name, args) {
        throw new IllegalArgumentException("unknown keyword '${name}' in machine { }${DidYouMean.suggest(name, KEYWORDS)}; known: ${KEYWORDS.join(', ')}")
    }
}
