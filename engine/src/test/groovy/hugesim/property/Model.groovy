package hugesim.property

import groovy.transform.CompileStatic
import hugesim.kernel.MachineConfig
import hugesim.mm.Geometry
import hugesim.mm.KernelVersion
import hugesim.mm.swap.SwapKind
import hugesim.policy.Policy
import hugesim.policy.ReservedThpPolicy
import hugesim.policy.MemPoolPolicy
import hugesim.policy.SharedPoolPolicy
import hugesim.policy.ZoneNosplitPolicy
import hugesim.policy.ThpPolicy
import hugesim.uapi.Errno
import hugesim.uapi.Mman
import hugesim.units.Bandwidth

import java.lang.reflect.Field
import java.lang.reflect.Modifier

/**
 * The machine every sequence runs on, and small helpers shared by the op model, the driver and the
 * script printer.
 */
@CompileStatic
final class Model {
    static final long PAGE = 4096
    static final long PMD = 2L << 20
    static final int PMD_PAGES = 512
    static final long KB = 1024, MB = 1024 * 1024, GB = 1024 * 1024 * 1024

    static final long MEMORY = 256 * MB
    static final long SWAP = 64 * MB
    static final long SWAP_RATE = GB
    static final int RESERVED = 16
    static final int HUGEPAGES = 16
    /** Blocks of the zoneNosplit design's zone (docs/model.md 7.3). */
    static final int NOSPLIT = 16

    /** zoneNosplit's users: overcommit means nothing there, so its draw picks 'madvised' instead (rule 66). */
    static String users(Sequence s) { s.overcommit ? 'madvised' : 'any' }
    /** memPool's numa: overcommit means nothing there, so its draw picks 'preferred' instead (rule 81). */
    static String numa(Sequence s) { s.overcommit ? 'preferred' : 'local' }
    /** NUMA nodes of the two-node machines. */
    static final int NODES = 2
    /** Time between two ops of a sequence: op j runs at (j + 1) × STEP. */
    static final long STEP = 1_000_000L
    /** After the last op: time for bodies to finish before stalled ones are killed, then to drain I/O. */
    static final long SETTLE = 2_000_000_000L

    /**
     * The machine's command line and policy: the RFC as posted (policy thp() with thp_reserved_nr on the
     * command line), or the author's overcommit plan (policy reservedThp(overcommit: true), which adds it); or
     * the sharedPool design (docs/model.md 7.2), whose policy boots the HugeTLB pool alone.
     */
    static String cmdline(Sequence s) {
        // sharedPool: its policy boots the one pool (hugepages=), and no reserved pageblocks
        if (s.shared) return ''
        // memPool: its policy boots HugeTLB's pool (hugepages=), round-robin over the nodes
        if (s.pool) return ''
        // zoneNosplit: its policy boots the zone (nosplit=); the HugeTLB pool as in every sequence
        if (s.nosplit) return "hugepages=${HUGEPAGES}".toString()
        s.overcommit ? "hugepages=${HUGEPAGES}".toString() : "thp_reserved_nr=${s.reserved} hugepages=${HUGEPAGES}".toString()
    }

    static Policy policy(Sequence s) {
        if (s.shared) return new SharedPoolPolicy(HUGEPAGES * PMD, 'madvise', true, s.overcommit, 'fallback')
        if (s.nosplit) return new ZoneNosplitPolicy(NOSPLIT * PMD, users(s))
        if (s.pool) return new MemPoolPolicy(null, HUGEPAGES * PMD, numa(s))
        s.overcommit ? new ReservedThpPolicy(s.reserved * PMD, true) : new ThpPolicy()
    }

    static String policyText(Sequence s) {
        if (s.shared) return "sharedPool(pool: ${size(HUGEPAGES * PMD)}${s.overcommit ? ', overcommit: true' : ''})".toString()
        if (s.nosplit) return "zoneNosplit(size: ${size(NOSPLIT * PMD)}${users(s) == 'any' ? '' : ", users: '${users(s)}'"})".toString()
        if (s.pool) return "memPool(size: ${size(HUGEPAGES * PMD)}${numa(s) == 'local' ? '' : ", numa: '${numa(s)}'"})".toString()
        s.overcommit ? "reservedThp(reserve: ${size(s.reserved * PMD)}, overcommit: true)".toString() : 'thp()'
    }

    static MachineConfig machine(Sequence s) {
        new MachineConfig(s.memory, s.nodes, SWAP, new Bandwidth(SWAP_RATE), new Bandwidth(SWAP_RATE), false,
                MachineConfig.DEFAULT_MIGRATE, cmdline(s), Geometry.X86_64, SwapKind.of(s.swap), SwapKind.ZRAM_RATIO,
                s.swap == 'hdd' ? KernelVersion.V6_1 : KernelVersion.MAINLINE)
    }

    /**
     * Op kinds and advices the generator leaves out, from {@code -Dhugesim.property.without=FORK,MADV_PAGEOUT}:
     * to look past a known bug for others.
     */
    static final Set<String> WITHOUT = (System.getProperty('hugesim.property.without', '').split(',')
            .collect { String x -> x.trim() }.findAll { String x -> x } as Set<String>)

    static long roundUp(long x, long a) { Math.floorDiv(x + a - 1, a) * a }

    /** A byte count as the DSL writes it: 4.MB, 2052.KB, 12.KB, 100 (bytes). */
    static String size(long bytes) {
        if (bytes == 0) return '0'
        if (bytes % MB == 0) return "${bytes.intdiv(MB)}.MB"
        if (bytes % KB == 0) return "${bytes.intdiv(KB)}.KB"
        return Long.toString(bytes)
    }

    /** A duration as the DSL writes it, exact to the nanosecond. */
    static String duration(long nanos) {
        if (nanos % 1_000_000_000L == 0) return "${nanos.intdiv(1_000_000_000L)}.s"
        if (nanos % 1_000_000L == 0) return "${nanos.intdiv(1_000_000L)}.ms"
        if (nanos % 1_000L == 0) return "${nanos.intdiv(1_000L)}.us"
        return "${nanos}.ns"
    }

    /** A syscall's return value: an address in hex, 0, or -ENAME. */
    static String result(long r) {
        if (Errno.isError(r)) return '-' + Errno.name(-r)
        if (r > 0xffff) return String.format('0x%x', r)
        return Long.toString(r)
    }

    private static final Map<Integer, String> MADV = [:]
    static {
        for (Field f : Mman.declaredFields) {
            if (Modifier.isStatic(f.modifiers) && f.name.startsWith('MADV_') && f.type == int) MADV[(Integer) f.get(null)] = f.name
        }
    }

    static String adviceName(int advice) { MADV[advice] ?: Integer.toString(advice) }

    static String protName(int prot) {
        if (prot == 0) return 'PROT_NONE'
        List<String> p = []
        if ((prot & Mman.PROT_READ) != 0) p << 'PROT_READ'
        if ((prot & Mman.PROT_WRITE) != 0) p << 'PROT_WRITE'
        if ((prot & Mman.PROT_EXEC) != 0) p << 'PROT_EXEC'
        p.join(' | ')
    }

    static String mremapFlags(int flags) {
        if (flags == 0) return '0'
        List<String> p = []
        if ((flags & Mman.MREMAP_MAYMOVE) != 0) p << 'MREMAP_MAYMOVE'
        if ((flags & Mman.MREMAP_FIXED) != 0) p << 'MREMAP_FIXED'
        if ((flags & Mman.MREMAP_DONTUNMAP) != 0) p << 'MREMAP_DONTUNMAP'
        p.join(' | ')
    }

    private Model() {}
}
