package hugesim.property

import groovy.transform.CompileStatic
import groovy.transform.EqualsAndHashCode

/**
 * One step of a property-test sequence: a syscall or workload verb of one process. Mappings are named by
 * {@link #map}, the id the creating {@code MMAP} op gave them, never by address or position, so a sequence
 * keeps its meaning when the shrinker removes other ops: an op whose mapping does not exist (its mmap was
 * removed or failed) is skipped. Ranges are in 4 KiB pages from the mapping's start.
 *
 * <p>Which fields an op uses depends on its {@link OpKind}; the others are 0 (or -1 for {@link #map}).
 */
@CompileStatic
@EqualsAndHashCode
final class Op {
    /** What the op does. */
    final OpKind kind
    /** The process slot that runs it (0..procs-1 at the start; fork children get higher slots). */
    final int proc
    /** MMAP: the id of the mapping it creates; others: the mapping they act on; -1: none. */
    final int map
    /** MMAP: PMDs (2 MiB) of length. */
    final int pmds
    /** MMAP: 4 KiB pages added to (or, negative, taken from) pmds × 2 MiB, for unaligned lengths. */
    final int delta
    /** MMAP: MAP_HUGETLB. */
    final boolean huge
    /**
     * MADVISE: the advice; MPROTECT: the prot; MREMAP: the flags; MMAP: flags added to
     * MAP_PRIVATE|MAP_ANONYMOUS (MAP_GROWSDOWN); PRCTL: arg3 (PR_THP_DISABLE_EXCEPT_ADVISED); SYSFS: which
     * setting ({@link OpKind#SYSFS_SETTINGS}).
     */
    final int advice
    /**
     * Range start, in pages from the mapping's start; negative for a TOUCH or READ just below a
     * MAP_GROWSDOWN mapping (the stack grows down to it).
     */
    final int off
    /** Range length, in pages. */
    final int len
    /**
     * SLEEP: milliseconds; FORK: the child's process slot; MREMAP: the new length in pages; PRCTL: arg2 of
     * PR_SET_THP_DISABLE (0 or 1); SYSCTL: the value of vm.max_map_count.
     */
    final int arg
    /**
     * The op's time slot: it runs at (slot + 1) ms. Slots stay put when the shrinker removes other ops,
     * so the I/O timing a failure may depend on does not move.
     */
    final int slot

    Op(OpKind kind, int proc, int map, int pmds, int delta, boolean huge, int advice, int off, int len, int arg, int slot) {
        this.kind = kind
        this.proc = proc
        this.map = map
        this.pmds = pmds
        this.delta = delta
        this.huge = huge
        this.advice = advice
        this.off = off
        this.len = len
        this.arg = arg
        this.slot = slot
    }

    static Op of(Map<String, Object> a) {
        new Op((OpKind) a.kind, (int) (a.proc ?: 0), a.containsKey('map') ? (int) a.map : -1, (int) (a.pmds ?: 0),
                (int) (a.delta ?: 0), (boolean) (a.huge ?: false), (int) (a.advice ?: 0), (int) (a.off ?: 0),
                (int) (a.len ?: 0), (int) (a.arg ?: 0), (int) (a.slot ?: 0))
    }

    /** A copy with some fields changed: {@code op.with(off: 0, len: 512)}. */
    Op with(Map<String, Object> changes) {
        Map<String, Object> a = [kind: (Object) kind, proc: proc, map: map, pmds: pmds, delta: delta, huge: huge,
                                 advice: advice, off: off, len: len, arg: arg, slot: slot]
        a.putAll(changes)
        of(a)
    }

    /** Length in bytes of the mapping an MMAP op asks for. */
    long mmapLength() {
        long l = pmds * Model.PMD + delta * Model.PAGE
        l > 0 ? l : Model.PAGE
    }

    /** Pages the mapping spans (HugeTLB and MAP_RESERVED_THP lengths round up to the huge page, rule 54). */
    int mmapPages() {
        long l = mmapLength()
        if (huge || (kind == OpKind.MMAP && (advice & hugesim.uapi.Mman.MAP_RESERVED_THP) != 0)) l = Model.roundUp(l, Model.PMD)
        else l = Model.roundUp(l, Model.PAGE)
        (int) (l / Model.PAGE)
    }

    /** For the shrinker: a simpler op has a smaller rank (fewer unaligned numbers, no MAP_HUGETLB, smaller sizes). */
    List<Integer> rank() {
        int unaligned = (off % Model.PMD_PAGES != 0 ? 1 : 0) + (len % Model.PMD_PAGES != 0 ? 1 : 0) + (delta != 0 ? 1 : 0)
        [unaligned, huge ? 1 : 0, pmds, Math.abs(delta), len, Math.abs(off), arg, advice]
    }

    static int compareRank(Op a, Op b) {
        List<Integer> x = a.rank(), y = b.rank()
        for (int i = 0; i < x.size(); i++) {
            int c = Integer.compare(x[i], y[i])
            if (c != 0) return c
        }
        0
    }

    @Override
    String toString() { "p${proc} ${kind.describe(this)}" }
}
