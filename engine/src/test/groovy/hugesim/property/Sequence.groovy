package hugesim.property

import groovy.transform.CompileStatic
import groovy.transform.EqualsAndHashCode

/** A generated test case: the machine's configuration and the ops, in the order of their time slots. */
@CompileStatic
@EqualsAndHashCode
final class Sequence {
    /** Processes running from time 0 (slots 0..procs-1); fork children take the slots above. */
    final int procs
    /** Reserved THP as the author plans it (reservedThp(overcommit: true)) rather than as posted. */
    final boolean overcommit
    /** transparent_hugepage/enabled = always (else madvise, the default), and khugepaged scanning every millisecond. */
    final boolean thpAlways
    /** RAM in bytes: {@link Model#MEMORY}, or 96 MiB for memory pressure (reclaim, OOM). */
    final long memory
    /** thp_reserved_nr: {@link Model#RESERVED}, or a few, for quota and pool exhaustion. */
    final int reserved
    final List<Op> ops
    /** Where it came from, for the printed script: "seed 1, sequence 17". */
    final String origin
    /** NUMA nodes (1 or 2): memory is split evenly over them. */
    final int nodes
    /** The node each start-of-run process runs on (bit {@code slot} set: node 1); fork children inherit their parent's. */
    final int onNode1
    /** Reserved THPs served from HugeTLB's pool (sharedPool, docs/model.md 7.2) rather than reserved pageblocks. */
    final boolean shared
    /** The swap device (docs/model.md 5.1): 'ssd', 'zram', or 'hdd' on kernel 6.1 (no whole-THP clusters). */
    final String swap
    /** The zoneNosplit design (docs/model.md 7.3): a NoSplit zone and no reserved pageblocks. */
    final boolean nosplit
    /** Memory cgroups the processes run in and their limits (docs/model.md 8), or null: no cgroup. */
    final MemcgDraw memcg
    /**
     * The memPool design (docs/model.md 9): HugeTLB's pool alone, and the mappings drawn with MAP_RESERVED_THP
     * are pool files instead (memfd_create(MFD_POOL), ftruncate, mmap(MAP_SHARED)).
     */
    final boolean pool

    Sequence(int procs, boolean overcommit, boolean thpAlways, List<Op> ops, String origin,
             long memory = Model.MEMORY, int reserved = Model.RESERVED, int nodes = 1, int onNode1 = 0, boolean shared = false,
             String swap = 'ssd', boolean nosplit = false, MemcgDraw memcg = null, boolean pool = false) {
        this.procs = procs
        this.overcommit = overcommit
        this.thpAlways = thpAlways
        this.memory = memory
        this.reserved = reserved
        this.ops = List.copyOf(ops)
        this.origin = origin
        this.nodes = nodes
        this.onNode1 = nodes > 1 ? onNode1 & ((1 << procs) - 1) : 0
        this.shared = shared
        this.swap = swap
        this.nosplit = nosplit
        this.memcg = memcg
        this.pool = pool
    }

    /** The node start-of-run process {@code slot} runs on. */
    int node(int slot) { slot < procs && (onNode1 & (1 << slot)) != 0 ? 1 : 0 }

    Sequence withOps(List<Op> o) { new Sequence(procs, overcommit, thpAlways, o, origin, memory, reserved, nodes, onNode1, shared, swap, nosplit, memcg, pool) }

    /** {@code n} start-of-run processes; {@code placement}: their nodes, as {@link #onNode1}. */
    Sequence withProcs(int n, List<Op> o, int placement = onNode1) { new Sequence(n, overcommit, thpAlways, o, origin, memory, reserved, nodes, placement, shared, swap, nosplit, memcg, pool) }

    Sequence withConfig(boolean oc, boolean always, long mem = memory, int resv = reserved) {
        new Sequence(procs, oc, always, ops, origin, mem, resv, nodes, onNode1, shared, swap, nosplit, memcg, pool)
    }

    Sequence withNodes(int n, int placement) { new Sequence(procs, overcommit, thpAlways, ops, origin, memory, reserved, n, placement, shared, swap, nosplit, memcg, pool) }

    Sequence withShared(boolean s) { new Sequence(procs, overcommit, thpAlways, ops, origin, memory, reserved, nodes, onNode1, s, swap, nosplit, memcg, pool) }

    Sequence withSwap(String device) { new Sequence(procs, overcommit, thpAlways, ops, origin, memory, reserved, nodes, onNode1, shared, device, nosplit, memcg, pool) }

    Sequence withNosplit(boolean n) { new Sequence(procs, overcommit, thpAlways, ops, origin, memory, reserved, nodes, onNode1, shared, swap, n, memcg, pool) }

    Sequence withMemcg(MemcgDraw m) { new Sequence(procs, overcommit, thpAlways, ops, origin, memory, reserved, nodes, onNode1, shared, swap, nosplit, m, pool) }

    /** The memPool design: the same draws, the MAP_RESERVED_THP mappings made pool files (docs/model.md 9). */
    Sequence withPool() {
        List<Op> o = ops.collect { Op op -> op.kind == OpKind.MMAP && (op.advice & hugesim.uapi.Mman.MAP_RESERVED_THP) != 0 ? op.with(kind: OpKind.POOL_FILE, advice: 0) : op }
        new Sequence(procs, overcommit, thpAlways, o, origin, memory, reserved, nodes, onNode1, shared, swap, nosplit, memcg, true)
    }

    /** Every process slot an op refers to, the initial ones included. */
    int slots() {
        int n = procs
        for (Op op : ops) {
            n = Math.max(n, op.proc + 1)
            if (op.kind == OpKind.FORK || (op.kind == OpKind.MIGRATE && op.arg >= 0)) n = Math.max(n, op.arg + 1)
        }
        n
    }

    @Override
    String toString() {
        "${procs} processes${nodes > 1 ? " on ${nodes} nodes (node 1: ${(0..<procs).findAll { int i -> node(i) == 1 }.collect { "p${it}" }})" : ''}, ${Model.size(memory)}, ${shared ? 'sharedPool' : nosplit ? 'zoneNosplit' : pool ? 'memPool' : "thp_reserved_nr=${reserved}"}${overcommit ? ', overcommit' : ''}${thpAlways ? ', THP always' : ''}${swap != 'ssd' ? ", swap on ${swap}" : ''}${memcg != null ? ", ${memcg.describe(procs)}" : ''}: " + ops.join('; ')
    }
}

/**
 * Memory cgroups for a sequence (docs/model.md 8): each start-of-run process runs in g0 or g1 (a fork child in
 * its parent's), and each cgroup a process runs in has its limits written at time 0.
 */
@CompileStatic
@EqualsAndHashCode
final class MemcgDraw {
    static final List<String> FILES = ['memory.max', 'memory.high', 'memory.low', 'memory.swap.max']
    /** Bit {@code slot} set: start-of-run process {@code slot} runs in g1, else in g0. */
    final int inG1
    /** Per cgroup, the bytes written to each of {@link #FILES}, -1 for none. */
    final List<Long> g0, g1

    MemcgDraw(int inG1, List<Long> g0, List<Long> g1) {
        this.inG1 = inG1
        this.g0 = List.copyOf(g0)
        this.g1 = List.copyOf(g1)
    }

    /** Drawn from a stream of its own: placements, then each cgroup's limits, some of them left unset. */
    static MemcgDraw draw(Random r, int procs) {
        int inG1 = r.nextInt(1 << procs)
        new MemcgDraw(inG1, limits(r), limits(r))
    }

    private static List<Long> limits(Random r) {
        long mb = Model.MB
        [pick(r, [-1L, 8 * mb, 16 * mb, 32 * mb, 64 * mb]), pick(r, [-1L, -1L, 8 * mb, 24 * mb, 48 * mb]),
         pick(r, [-1L, -1L, 16 * mb, 64 * mb]), pick(r, [-1L, -1L, 0L, mb, 8 * mb])]
    }

    private static long pick(Random r, List<Long> from) { from[r.nextInt(from.size())] }

    /** The cgroup start-of-run process {@code slot} runs in. */
    String cgroup(int slot) { (inG1 & (1 << slot)) != 0 ? 'g1' : 'g0' }

    /** The cgroups some start-of-run process of {@code procs} runs in, in order. */
    List<String> used(int procs) { (0..<procs).collect { int s -> cgroup(s) }.unique().sort() }

    List<Long> limits(String cgroup) { cgroup == 'g0' ? g0 : g1 }

    /** The writes at time 0: [path, bytes], for the cgroups in use. */
    List<List<Object>> writes(int procs) {
        List<List<Object>> out = []
        for (String g : used(procs)) {
            List<Long> l = limits(g)
            for (int f = 0; f < FILES.size(); f++) if (l[f] >= 0) out << ["${g}/${FILES[f]}".toString(), (Object) l[f]]
        }
        out
    }

    String describe(int procs) {
        "cgroups " + used(procs).collect { String g ->
            "${g} (${(0..<procs).findAll { int s -> cgroup(s) == g }.collect { "p${it}" }.join(' ')}: " +
                    writes(procs).findAll { List w -> ((String) w[0]).startsWith(g + '/') }.collect { List w -> "${((String) w[0]).substring(3)} ${Model.size((long) w[1])}" }.join(', ') + ')'
        }.join(', ')
    }
}

/** One entry of a run's trace: an op that ran (or was skipped) in a process body, after its sleep. */
@CompileStatic
final class Step {
    /** Index of the op in the sequence; -1 for the implicit exit at the end of a body or the harness. */
    int index = -1
    int proc
    Op op
    /** Nanoseconds the body slept just before it. */
    long sleep
    /** The syscall's return value, when it has one. */
    Long result
    /** MIGRATE: the pid passed, as the printed script numbers processes (null: the op passed 0, itself). */
    Integer pid
    /** Why the op did not run (it is then printed as its sleep only). */
    String skipped
    /** The end of a body: the implicit exit(). */
    boolean implicitExit
    /** The harness killed this still-running (stalled) process after the last op. */
    boolean harnessKill
    /** Printed after the line: where an invariant broke or a finding appeared. */
    final List<String> notes = []
}

/** An invariant that did not hold. */
@CompileStatic
final class Violation extends RuntimeException {
    /** I0 (the engine threw), I1..I7 as in {@link Checker}. */
    final String invariant
    final String detail
    /** The op running or just run when it broke; -1 at the end of the run. */
    int opIndex = -1
    String where

    Violation(String invariant, String detail, Throwable cause = null) {
        super(invariant + ': ' + detail, cause, false, false)
        this.invariant = invariant
        this.detail = detail
    }

    String getMessage() { "${invariant} ${Checker.NAMES[invariant] ?: ''}: ${detail}${where ? ' (' + where + ')' : ''}" }
}

/** A state the RFC's own code gets into that its design should not allow. */
@CompileStatic
final class Finding {
    /**
     * rule19 (a kernel_warning from the RFC's code), rule19-eaten (a grown stack's uncharge took another
     * VMA's charge) or rule32 (quota promises blocks in use).
     */
    final String kind
    final String detail
    final int opIndex

    Finding(String kind, String detail, int opIndex) {
        this.kind = kind
        this.detail = detail
        this.opIndex = opIndex
    }

    String toString() { "${kind}: ${detail}" }
}

/** What one run of a sequence came to. */
@CompileStatic
final class Outcome {
    final Sequence seq
    final Violation violation
    /** The first I7 (presence) violation: recorded, not fatal, so the other invariants go on being checked. */
    final Violation presence
    final Map<String, Finding> findings
    final List<Step> trace
    /** Names of process slots the harness had to kill at the end (still stalled). */
    final List<Integer> killed
    /** What the run exercised: vmstat counters and event kinds at its end (for the campaign's coverage line). */
    final Map<String, Long> coverage = [:]

    Outcome(Sequence seq, Violation violation, Violation presence, Map<String, Finding> findings, List<Step> trace, List<Integer> killed) {
        this.seq = seq
        this.violation = violation
        this.presence = presence
        this.findings = findings
        this.trace = trace
        this.killed = killed
    }

    boolean ok() { violation == null }
}
