package hugesim.property

import groovy.transform.CompileStatic

/**
 * Prints a run as a hugesim scenario script that replays it: the same machine and policy, one process
 * per slot, each op after the sleep its body really took (so the interleaving and the I/O timing are the
 * same), fork children as {@code fork('pN') { … }} blocks, results and the broken invariant as comments.
 * Run it with {@code ./hugesim run FILE}.
 */
@CompileStatic
final class ScriptWriter {
    private final Outcome o
    private final Map<Integer, String> mapNames = [:]
    private final Map<Integer, List<Step>> stepsOf = new TreeMap<>()
    private final Map<Integer, List<String>> extraNotes

    private ScriptWriter(Outcome o, Map<Integer, List<String>> extraNotes) {
        this.o = o
        this.extraNotes = extraNotes
        for (Step s : o.trace) {
            if (s.harnessKill) continue
            stepsOf.computeIfAbsent(s.proc) { [] } << s
            if (s.op != null && s.op.kind == OpKind.MMAP && s.skipped == null && !mapNames.containsKey(s.op.map)) {
                mapNames[s.op.map] = "m${mapNames.size()}".toString()
            }
        }
    }

    /**
     * @param name       the scenario's name
     * @param header     comment lines at the top (what broke, where it came from)
     * @param extraNotes comments to print after the op with a given index
     */
    static String write(Outcome o, String name, List<String> header, Map<Integer, List<String>> extraNotes = [:]) {
        new ScriptWriter(o, extraNotes).text(name, header)
    }

    private final Names names = new Names() {
        String map(int id) { mapNames[id] ?: "m_${id}".toString() }

        String proc(int slot) { Run.procName(slot) }

        String addr(Op op) {
            long off = op.off * Model.PAGE
            off == 0 ? map(op.map) : off < 0 ? "${map(op.map)} - ${Model.size(-off)}".toString() : "${map(op.map)} + ${Model.size(off)}".toString()
        }
    }

    private String text(String name, List<String> header) {
        Sequence seq = o.seq
        StringBuilder b = new StringBuilder()
        for (String h : header) b << '// ' << h << '\n'
        b << "name '${name}'\n"
        b << "description 'Property-test sequence (${seq.origin}), shrunk to ${seq.ops.size()} ops'\n\n"
        b << 'machine {\n'
        b << "    memory ${Model.size(seq.memory)}\n"
        String device = seq.swap == 'ssd' ? '' : "device: '${seq.swap}', "
        b << "    swap ${Model.size(Model.SWAP)}, ${device}write: ${Model.SWAP_RATE.intdiv(Model.GB)}.GBps, read: ${Model.SWAP_RATE.intdiv(Model.GB)}.GBps\n"
        if (seq.swap == 'hdd') b << "    kernel '6.1'\n"
        if (seq.nodes > 1) b << "    nodes ${seq.nodes}\n"
        b << "    cmdline '${Model.cmdline(seq)}'\n"
        b << '}\n\n'
        b << "policy ${Model.policyText(seq)}\n\n"
        if (seq.thpAlways) b << "at(0.s) { sysfs('kernel/mm/transparent_hugepage/enabled', 'always'); sysfs('${Run.SHMEM_ENABLED}', 'always'); sysfs('${Run.KHUGEPAGED_SCAN_SLEEP}', '1') }\n\n"
        if (seq.memcg != null && !seq.memcg.writes(seq.procs).isEmpty()) {
            b << 'at(0.s) { ' << seq.memcg.writes(seq.procs).collect { List w -> "cgroup '${w[0]}', ${Model.size((long) w[1])}" }.join('; ') << ' }\n\n'
        }
        for (int slot = 0; slot < seq.procs; slot++) {
            String cg = seq.memcg != null ? ", cgroup: '${seq.memcg.cgroup(slot)}'" : ''
            b << "process('${Run.procName(slot)}'${seq.node(slot) != 0 ? ", node: ${seq.node(slot)}" : ''}${cg}) {\n"
            body(b, slot, '    ')
            b << '}\n\n'
        }
        for (Step s : o.trace) {
            if (s.harnessKill) {
                b << "// After the last op the test harness killed ${Run.procName(s.proc)} (SIGKILL: it was still stalled at " +
                        "${Model.duration(new Run(seq).killAt())}); the DSL has no verb for that.\n"
            }
            if (s.harnessKill || (s.proc < 0)) for (String n : s.notes) b << '// ' << n << '\n'
        }
        long until = new Run(seq).until()
        b << "run until: ${Model.duration(until)}, sample: ${Model.duration(until)}\n"
        b.toString()
    }

    private void body(StringBuilder b, int slot, String indent) {
        for (Step s : stepsOf.getOrDefault(slot, [])) {
            if (s.sleep > 0) b << indent << "sleep ${Model.duration(s.sleep)}" << (s.skipped != null ? "   // ${s.op} skipped: ${s.skipped}" : '') << '\n'
            else if (s.skipped != null) b << indent << "// ${s.op} skipped: ${s.skipped}\n"
            if (s.skipped == null) {
                if (s.implicitExit) {
                    b << indent << 'exit()\n'
                } else if (s.op.kind == OpKind.FORK) {
                    b << indent << "fork('${Run.procName(s.op.arg)}') {" << (s.result != null ? "   // = ${Model.result(s.result)}" : '') << '\n'
                    body(b, s.op.arg, indent + '    ')
                    b << indent << '}\n'
                } else {
                    String line = s.op.kind.line(s, names)
                    if (s.result != null) line = line.padRight(96) + "   // = ${Model.result(s.result)}"
                    b << indent << line << '\n'
                }
            }
            for (String n : s.notes) b << indent << '// ' << n << '\n'
            if (s.index >= 0 && s.skipped == null) for (String n : extraNotes.getOrDefault(s.index, [])) b << indent << '// ' << n << '\n'
        }
    }
}
