package hugesim.property

import groovy.transform.CompileDynamic
import groovy.transform.CompileStatic
import hugesim.kernel.Kernel
import hugesim.kernel.Task
import hugesim.mm.vma.Vma
import hugesim.policy.Policy
import hugesim.scenario.ProcessSpec
import hugesim.scenario.Runner
import hugesim.scenario.Scenario

/**
 * Runs one sequence through the engine the way a scenario script runs: {@link Runner} with one process
 * body per process slot. An op runs at (its slot + 1) ms in its process's body, which sleeps until then
 * (or runs it at once when it is behind, e.g. after waiting for swap I/O); the invariants are checked after
 * every op, and before it too when I/O was in flight (completions change state between ops). Each body ends
 * with exit(); a body still stalled after the last op (a VM_FAULT_OOM that never ends) is killed by the
 * harness, as SIGKILL would. Then the run drains its I/O and the boot state is checked.
 */
@CompileStatic
final class Run {
    final Sequence seq
    final List<Op> ops
    Kernel k
    Checker checker
    /** The op running (or last run); -1 before the first and at the end. */
    int current = -1
    final List<Step> trace = []
    final Map<Integer, Task> tasks = new TreeMap<>()
    final Map<Integer, Map<Integer, Long>> tables = [:]
    final Map<Integer, Written> written = [:]
    final List<Integer> killed = []
    private final Map<Integer, List<Integer>> opsOf = [:]

    Run(Sequence seq) {
        this.seq = seq
        this.ops = seq.ops
        for (int j = 0; j < ops.size(); j++) opsOf.computeIfAbsent(ops[j].proc) { [] } << j
    }

    static Outcome run(Sequence seq) { new Run(seq).execute() }

    static String procName(int slot) { "p${slot}" }

    /** {@code -Dhugesim.property.debug=true}: print the model's state after every op (see {@link Checker#dump}). */
    static boolean DEBUG = Boolean.getBoolean('hugesim.property.debug')

    static final List<String> COVERAGE = ['thp_fault_alloc', 'thp_fault_fallback', 'thp_split_pmd', 'thp_deferred_split_page', 'thp_split_page',
                                          'thp_swpout', 'thp_swpout_fallback',
                                          'pswpin', 'pswpout', 'allocstall_normal', 'oom_kill', 'thp_zero_page_alloc',
                                          'thp_migration_success', 'thp_migration_split', 'pgmigrate_fail', 'thp_collapse_alloc',
                                          'pgsteal_file', 'workingset_refault_file']

    static final String SHMEM_ENABLED = 'kernel/mm/transparent_hugepage/shmem_enabled'

    /** Written with enabled=always: khugepaged scans every millisecond. */
    static final String KHUGEPAGED_SCAN_SLEEP = 'kernel/mm/transparent_hugepage/khugepaged/scan_sleep_millisecs'

    long killAt() { (ops.isEmpty() ? 1 : ops[ops.size() - 1].slot + 2) * Model.STEP + Model.SETTLE }

    long until() { killAt() + Model.SETTLE }

    Outcome execute() {
        Policy p = Model.policy(seq)
        List<ProcessSpec> specs = []
        if (seq.thpAlways) specs << new ProcessSpec('at 0 s#0', 0, setupBody(), true)
        if (seq.memcg != null && !seq.memcg.writes(seq.procs).isEmpty()) specs << new ProcessSpec("at 0 s#${seq.thpAlways ? 1 : 0}".toString(), 0, memcgBody(), true)
        for (int slot = 0; slot < seq.procs; slot++) {
            specs << new ProcessSpec(procName(slot), 0, body(slot, -1), false, seq.node(slot), seq.memcg?.cgroup(slot))
        }
        specs << new ProcessSpec('harness', killAt(), harnessBody(), true)
        Scenario s = new Scenario('property', '', Model.machine(seq), [p], specs, until(), until(), 1)
        Violation violation = null
        try {
            Runner.run(s, p, 60_000_000_000L)
            current = -1
            if (checker == null) throw new IllegalStateException('no process body ran')
            try {
                checker.checkFinal()
            } catch (Violation v) {
                v.where = 'at the end of the run, after every process exited'
                throw v
            }
        } catch (Violation v) {
            violation = v
        } catch (Throwable t) {
            violation = new Violation('I0', t.toString() + ' at ' + (t.stackTrace.length > 0 ? t.stackTrace[0].toString() : '?'), t)
            if (DEBUG) t.printStackTrace(System.out)
            violation.opIndex = current
            violation.where = current >= 0 ? "in or after op ${current}: ${ops[current]}".toString() : 'at the end of the run'
        }
        if (violation != null) note(violation)
        Violation presence = checker?.presenceViolation
        Outcome o = new Outcome(seq, violation, presence, checker == null ? [:] : new LinkedHashMap<String, Finding>(checker.findings), trace, killed)
        if (k != null) {
            for (String c : COVERAGE) {
                long n = k.m.get(hugesim.mm.VmStat.valueOf(c))
                if (n > 0) o.coverage[c] = n
            }
            for (hugesim.record.Event e : k.m.events()) {
                if (e.kind() in ['sigbus', 'sigsegv', 'oom_kill', 'fault_stall', 'kernel_warning']) o.coverage[e.kind()] = (o.coverage[e.kind()] ?: 0L) + 1
            }
            if (seq.nodes > 1) o.coverage['two_nodes'] = 1L
            for (Step st : trace) {
                if (st.op?.kind == OpKind.MIGRATE && st.result != null && st.result < 0) o.coverage['migrate_pages_error'] = (o.coverage['migrate_pages_error'] ?: 0L) + 1
            }
            for (Step st : trace) {
                // the chargeAt: 'mmap' design's mappings (rule 55): made and charged, or refused with ENOMEM
                if (st.op?.kind == OpKind.MMAP && (st.op.advice & hugesim.uapi.Mman.MAP_RESERVED_THP) != 0 && st.result != null) {
                    String key = st.result < 0 ? 'map_reserved_thp_enomem' : 'map_reserved_thp'
                    o.coverage[key] = (o.coverage[key] ?: 0L) + 1
                }
            }
            if (killed) o.coverage['killed_stalled'] = (long) killed.size()
            // the memory cgroups' limits at work (docs/model.md 8): memory.events and memory.swap.events
            for (def cg : k.memcgs().values()) {
                cg.events().each { String e, Long n -> if (n > 0) o.coverage["memcg_${e}".toString()] = (o.coverage["memcg_${e}".toString()] ?: 0L) + n }
                if (cg.swapEvents().max > 0) o.coverage['memcg_swap_max'] = (o.coverage['memcg_swap_max'] ?: 0L) + cg.swapEvents().max
            }
            if (checker.stackGrowths) o.coverage['stack_growth'] = checker.stackGrowths
            if (checker.reservedStackGrowths) o.coverage['reserved_stack_growth'] = checker.reservedStackGrowths
            if (checker.poolFilePages) o.coverage['pool_file_pages'] = checker.poolFilePages
            if (checker.poolFileResv) o.coverage['pool_file_resv'] = checker.poolFileResv
            if (checker.nosplitThps) o.coverage['nosplit_thp'] = checker.nosplitThps
            if (checker.nosplitPteMapped) o.coverage['nosplit_pte_mapped'] = checker.nosplitPteMapped
            if (checker.shmemMapped) o.coverage['shmem_mapped'] = checker.shmemMapped
            if (checker.shmemPmdMapped) o.coverage['shmem_pmd_mapped'] = checker.shmemPmdMapped
            for (Step st : trace) if (st.op != null && st.skipped == null) o.coverage[st.op.kind.name()] = (o.coverage[st.op.kind.name()] ?: 0L) + 1
        }
        o
    }

    /** Puts the broken invariant after the op where it broke (or at the end of the script). */
    private void note(Violation v) {
        String text = "^ ${v.invariant} ${Checker.NAMES[v.invariant]} broke here: ${v.detail}"
        Step at = null
        if (v.opIndex >= 0) at = trace.reverse().find { Step s -> s.index == v.opIndex }
        if (at == null) {
            at = new Step(proc: -1)
            trace << at
        }
        at.notes << text
    }

    private ProcessSpec.Body setupBody() {
        return { Task t ->
            start(t)
            t.kernel().views.sysfsWrite('kernel/mm/transparent_hugepage/enabled', 'always')
            t.kernel().views.sysfsWrite(SHMEM_ENABLED, 'always')   // shared anonymous memory in THPs too
            // khugepaged every millisecond: within a run's few milliseconds it collapses what the ops leave
            t.kernel().views.sysfsWrite(KHUGEPAGED_SCAN_SLEEP, '1')
        } as ProcessSpec.Body
    }

    /** The memory cgroups' limits, written at time 0 (docs/model.md 8). */
    private ProcessSpec.Body memcgBody() {
        return { Task t ->
            start(t)
            for (List<Object> w : seq.memcg.writes(seq.procs)) t.cgroupWrite((String) w[0], w[1])
        } as ProcessSpec.Body
    }

    private ProcessSpec.Body body(int slot, int after) {
        return { Task t -> runBody(slot, t, after) } as ProcessSpec.Body
    }

    private ProcessSpec.Body harnessBody() {
        return { Task t -> harness() } as ProcessSpec.Body
    }

    private void start(Task t) {
        if (k == null) {
            k = t.kernel()
            checker = new Checker(this, k)
        }
    }

    /** The last check found no I/O in flight and no op started since: nothing can have changed the model's state. */
    private boolean settled

    /** Checks the invariants around op {@code j} (-1: not at an op); {@code when}: 'before', 'after' or a phrase. */
    void check(String when, int j) {
        // before an op: only when something may have happened since the last check (I/O completing)
        if (when == 'before' && settled) return
        current = j
        if (DEBUG) System.out.println("check ${when} ${j}:\n" + checker.dump())
        try {
            settled = checker.check()
        } catch (Violation v) {
            v.opIndex = j
            v.where = j >= 0 ? "${when} op ${j}: ${ops[j]}".toString() : when
            throw v
        }
    }

    private void runBody(int slot, Task t, int after) {
        start(t)
        tasks[slot] = t
        tables.computeIfAbsent(slot) { new HashMap<Integer, Long>() }
        written.computeIfAbsent(slot) { new Written() }
        SlotExec x = new SlotExec(this, slot, t)
        for (int j : opsOf.getOrDefault(slot, [])) {
            if (j <= after) continue
            Op op = ops[j]
            long d = (op.slot + 1) * Model.STEP - k.env().now()
            if (d > 0) {
                t.sleep(d)
                x.pendingSleep += d
            }
            try {
                check('before', j)
            } catch (Violation v) {
                // broke while this body slept (I/O completing): the script shows the sleep and the note here
                trace << new Step(index: j, proc: slot, op: op, sleep: x.pendingSleep, skipped: 'not run: the invariant broke before it')
                throw v
            }
            current = j
            x.index = j
            settled = false   // the op may start I/O and wait for it while other bodies run
            try {
                op.kind.execute(x, op)
            } catch (hugesim.sim.Process.Unwind u) {
                check('after', j)   // exit() tore the process down and unwinds its body: check that too
                throw u
            }
            if (DEBUG) System.out.println("op ${j} ${op} -> ${trace.isEmpty() ? '' : trace[trace.size() - 1].result}\n" + checker.dump())
            check('after', j)
            if (t.exited()) return
        }
        Step e = new Step(proc: slot, sleep: x.pendingSleep, implicitExit: true)
        trace << e
        try {
            t.exit()
        } catch (hugesim.sim.Process.Unwind u) {
            check("after p${slot}'s implicit exit", -1)
            throw u
        }
    }

    private void harness() {
        check('after the last op, before the harness kills stalled processes', -1)
        for (Map.Entry<Integer, Task> e : tasks.entrySet()) {
            if (e.value.exited()) continue
            killed << e.key
            trace << new Step(proc: e.key, harnessKill: true)
            die(e.value)
        }
        check('after the harness killed stalled processes', -1)
    }

    /** Task.die(): teardown now, the body unwinds at its next step (what a SIGKILL does). */
    @CompileDynamic
    private static void die(Task t) { t.die() }

    /** fork() as op {@code at}: the child runs slot {@code child}'s ops after it. */
    long fork(int parent, Task t, int child, int at) {
        if (tasks.containsKey(child)) return -22L   // the slot is taken: cannot happen in a generated sequence
        long r = t.fork(procName(child), childBody(child, at))
        if (r >= 0) {
            tables[child] = new HashMap<Integer, Long>(tables[parent])
            Written w = written[parent].copy()
            Task c = null
            for (Task x : k.tasks()) if (x.pid() == r) c = x
            if (c != null) {
                List<long[]> keep = []
                for (Vma v : c.mm.vmas()) keep << ([v.start, v.end] as long[])
                w.retain(keep)
            }
            written[child] = w
        }
        r
    }

    /**
     * A pid as the printed script has it: the script has no harness process, whose task the run creates
     * after the start-of-run processes and before any fork child, so the children's pids there are one less.
     */
    int scriptPid(int pid) {
        Task harness = k.tasks().find { Task t -> t.name() == 'harness' }
        harness != null && pid > harness.pid() ? pid - 1 : pid
    }

    private Task.Body childBody(int child, int at) {
        return { Task c -> runBody(child, c, at) } as Task.Body
    }
}

/** The {@link Exec} of one process body. */
@CompileStatic
final class SlotExec implements Exec {
    final Run run
    final int slot
    final Task task
    long pendingSleep
    /** The op this body is running. */
    int index = -1

    SlotExec(Run run, int slot, Task task) {
        this.run = run
        this.slot = slot
        this.task = task
    }

    Task getTask() { task }

    Long base(int map) { run.tables[slot].get(map) }

    void mapped(int map, long addr) { run.tables[slot].put(map, addr) }

    long firstHole(long addr, long len) {
        long end = addr + Model.roundUp(len, Model.PAGE), at = addr
        for (Vma v : task.mm.intersecting(addr, end)) {
            if (v.start > at) return at
            at = Math.max(at, v.end)
        }
        at >= end ? -1 : at
    }

    Step step(Op op) {
        Step s = new Step(index: index, proc: slot, op: op, sleep: pendingSleep)
        pendingSleep = 0
        run.trace << s
        s
    }

    void skip(Op op, String why) {
        Step s = new Step(index: index, proc: slot, op: op, sleep: pendingSleep, skipped: why)
        pendingSleep = 0
        run.trace << s
    }

    void written(long from, long to) {
        List<long[]> vmas = []
        for (Vma v : task.mm.intersecting(from, to)) vmas << ([v.start, v.end] as long[])
        run.written[slot].wrote(from, to, vmas)
    }

    void erased(long from, long to) { run.written[slot].released(from, to) }

    void moved(long from, long oldLen, long to, long newLen) {
        Written w = run.written[slot]
        long old = Model.roundUp(oldLen, Model.PAGE)
        long keep = Math.min(old, Model.roundUp(newLen, Model.PAGE))
        List<long[]> carried = w.written.slice(from, from + keep, to - from)
        w.released(from, from + old)
        for (long[] r : carried) w.written.add(r[0], r[1])
        // the moved pages fill the new windows in order: counted, not placed
        w.unplaced(to, to + keep)
    }

    long fork(int child) { run.fork(slot, task, child, index) }

    Task taskOf(int slot) { run.tasks[slot] }

    int scriptPid(int pid) { run.scriptPid(pid) }

    void poolWritten(int node, long count, long[] persistentBefore) { run.checker.poolWritten(node, count, persistentBefore) }

    boolean belowStack(long addr) {
        Vma v = task.mm.findVma(addr)
        v != null && v.start > addr && v.has(hugesim.mm.vma.VmFlags.VM_GROWSDOWN)
    }

    boolean growStack(long addr) {
        long oldStart = task.mm.findVma(addr).start
        if (!run.checker.growStack(slot, task, addr)) return false
        // the window at an unaligned old start held pages above it only; the model counts a window's pages
        // without placing them (a later split there shares them out left first): no longer known where
        Vma v = task.mm.find(addr)
        if (v != null && v.start < oldStart && oldStart % Model.PMD != 0) run.written[slot].unplaced(oldStart, oldStart + Model.PAGE)
        true
    }
}
