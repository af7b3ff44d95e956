package hugesim.property

import groovy.transform.CompileStatic

import java.util.function.Predicate

/**
 * Delta debugging over a sequence: while the property keeps failing the same way, remove chunks of ops
 * (halves, quarters, ... single ops), then simplify each remaining op ({@link OpKind#simpler}), then the
 * configuration and the process slots nobody uses; repeat until nothing more goes. Every candidate is a
 * full re-run, so the result is a sequence that really fails.
 */
@CompileStatic
final class Shrinker {
    private final Predicate<Sequence> fails
    private final int budget
    int runs

    /** @param fails true when a candidate still shows the failure; @param budget the most re-runs to spend */
    Shrinker(Predicate<Sequence> fails, int budget = 3000) {
        this.fails = fails
        this.budget = budget
    }

    private boolean test(Sequence s) {
        if (runs >= budget) return false
        runs++
        fails.test(s)
    }

    Sequence shrink(Sequence s) {
        boolean progress = true
        while (progress && runs < budget) {
            progress = false
            Sequence r = removeChunks(s)
            if (r != s) { s = r; progress = true }
            r = simplifyOps(s)
            if (r != s) { s = r; progress = true }
            r = simplifyConfig(s)
            if (r != s) { s = r; progress = true }
            r = dropSlots(s)
            if (r != s) { s = r; progress = true }
            r = compactTimes(s)
            if (r != s) { s = r; progress = true }
        }
        s
    }

    /** Ops keep their time slots while others go; here they close up (op j at (j + 1) ms), if the failure stays. */
    private Sequence compactTimes(Sequence s) {
        boolean compact = true
        for (int j = 0; j < s.ops.size(); j++) if (s.ops[j].slot != j) compact = false
        if (compact || runs >= budget) return s
        List<Op> ops = []
        for (int j = 0; j < s.ops.size(); j++) ops << s.ops[j].with(slot: j)
        Sequence c = s.withOps(ops)
        test(c) ? c : s
    }

    private Sequence removeChunks(Sequence s) {
        for (int chunk = Math.max(1, s.ops.size().intdiv(2) as int); chunk >= 1; chunk = chunk.intdiv(2) as int) {
            int i = 0
            while (i < s.ops.size() && runs < budget) {
                List<Op> ops = new ArrayList<>(s.ops)
                int to = Math.min(ops.size(), i + chunk)
                ops.subList(i, to).clear()
                Sequence c = s.withOps(ops)
                if (!ops.isEmpty() && test(c)) s = c
                else i += chunk
            }
            if (chunk == 1) break
        }
        s
    }

    private Sequence simplifyOps(Sequence s) {
        for (int i = 0; i < s.ops.size() && runs < budget; i++) {
            for (Op simpler : s.ops[i].kind.simpler(s.ops[i])) {
                if (Op.compareRank(simpler, s.ops[i]) >= 0) continue   // only strictly simpler: no cycles
                List<Op> ops = new ArrayList<>(s.ops)
                ops[i] = simpler
                Sequence c = s.withOps(ops)
                if (test(c)) {
                    s = c
                    break
                }
            }
        }
        s
    }

    private Sequence simplifyConfig(Sequence s) {
        if (s.thpAlways) {
            Sequence c = s.withConfig(s.overcommit, false)
            if (test(c)) s = c
        }
        if (s.overcommit) {
            Sequence c = s.withConfig(false, s.thpAlways)
            if (test(c)) s = c
        }
        if (s.memory != Model.MEMORY || s.reserved != Model.RESERVED) {
            Sequence c = s.withConfig(s.overcommit, s.thpAlways, Model.MEMORY, Model.RESERVED)
            if (test(c)) s = c
        }
        // one node when no op needs two; every process on node 0
        if (s.nodes > 1 && !s.ops.any { Op op -> op.kind.numa }) {
            Sequence c = s.withNodes(1, 0)
            if (test(c)) s = c
        }
        if (s.onNode1 != 0) {
            Sequence c = s.withNodes(s.nodes, 0)
            if (test(c)) s = c
        }
        s
    }

    /** Process slots without ops go, and the ones above move down; then try running everything in fewer processes. */
    private Sequence dropSlots(Sequence s) {
        for (int slot = s.slots() - 1; slot >= 0 && runs < budget; slot--) {
            if (s.procs <= 1 && slot < s.procs) continue
            int sl = slot
            boolean used = s.ops.any { Op op -> op.proc == sl || ((op.kind == OpKind.FORK || op.kind == OpKind.MIGRATE) && op.arg == sl) }
            if (used) continue
            Sequence c = renumber(s, slot, -1)
            if (test(c)) s = c
        }
        // merge a process's ops into a lower one (only start-of-run processes, and only when neither forks)
        for (int slot = s.procs - 1; slot >= 1 && runs < budget; slot--) {
            int sl = slot
            if (s.ops.any { Op op -> op.kind == OpKind.FORK || (op.kind == OpKind.EXIT && op.proc == sl - 1) }) continue
            List<Op> ops = s.ops.collect { Op op ->
                Op o = op.proc == sl ? op.with(proc: sl - 1) : op
                o.kind == OpKind.MIGRATE && o.arg == sl ? o.with(arg: sl - 1) : o
            }
            Sequence c = renumber(s.withOps(ops), slot, -1)
            if (test(c)) s = c
        }
        s
    }

    /** Removes process slot {@code gone}: the slots above it move down by one. */
    static Sequence renumber(Sequence s, int gone, int unused) {
        List<Op> ops = s.ops.collect { Op op ->
            Op o = op.proc > gone ? op.with(proc: op.proc - 1) : op
            (o.kind == OpKind.FORK || o.kind == OpKind.MIGRATE) && o.arg > gone ? o.with(arg: o.arg - 1) : o
        }
        // the start-of-run processes above keep their nodes
        int low = s.onNode1 & ((1 << gone) - 1), high = (s.onNode1 >> (gone + 1)) << gone
        s.withProcs(gone < s.procs ? s.procs - 1 : s.procs, ops, gone < s.procs ? low | high : s.onNode1)
    }
}
