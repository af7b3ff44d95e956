package hugesim.property

import groovy.transform.CompileDynamic
import groovy.transform.CompileStatic
import hugesim.kernel.Task
import hugesim.mm.mmap.Stack
import hugesim.uapi.Errno

import static hugesim.uapi.Mman.*
import static hugesim.uapi.Prctl.*

/**
 * The ops a sequence is made of. Each case says how often the generator draws it, how to draw one, how to
 * run it on a {@link Task}, how to print it as a line of a hugesim scenario script, and which simpler ops
 * the shrinker may try in its place. A new syscall is one more case here; cases whose Task method does
 * not exist yet ({@link #available}) are never drawn.
 */
@CompileStatic
enum OpKind {
    /**
     * mmap(0, len, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS[|MAP_HUGETLB|MAP_GROWSDOWN|MAP_RESERVED_THP]):
     * 1-8 PMDs, sometimes unaligned; a sixth of the others are MAP_GROWSDOWN stacks, often followed at once by
     * MADV_RESERVED_THP over their aligned part (a stack grows up to RLIMIT_STACK, 8 MiB, in all); in every third
     * sequence, a third of the rest are reserved mappings charged at mmap (the chargeAt: 'mmap' design, rules 54-56).
     */
    MMAP(12) {
        Op generate(Gen g, int proc) {
            Random r = g.random
            int pmds = 1 + r.nextInt(8)
            int delta = r.nextInt(10) < 7 ? 0 : (r.nextBoolean() ? 1 : -1) * (1 + r.nextInt(Model.PMD_PAGES - 1))
            boolean huge = r.nextInt(5) == 0
            boolean stack = !huge && r.nextInt(6) == 0 && !Model.WITHOUT.contains('MAP_GROWSDOWN')
            boolean reserved = !huge && !stack && g.designs != null && g.designs.nextInt(3) == 0 && !Model.WITHOUT.contains('MAP_RESERVED_THP')
            // shared anonymous memory (docs/model.md 3.7), from a stream of its own in the sequences that draw it
            boolean shared = !huge && !stack && !reserved && g.shmem != null && g.shmem.nextInt(3) == 0
            Op op = Op.of(kind: this, proc: proc, pmds: pmds, delta: delta, huge: huge, map: g.nextMapId(),
                    advice: stack ? MAP_GROWSDOWN : reserved ? MAP_RESERVED_THP : shared ? MAP_SHARED : 0)
            g.mapped(proc, op.map, op.mmapPages(), huge)
            if (stack) {
                g.stack(op.map)
                int aligned = delta >= 0 ? pmds : pmds - 1
                if (aligned > 0 && r.nextInt(5) < 2 && !Model.WITHOUT.contains('MADV_RESERVED_THP')) {
                    g.follow(Op.of(kind: MADVISE, proc: proc, map: op.map, off: 0, len: aligned * Model.PMD_PAGES, advice: MADV_RESERVED_THP))
                }
            }
            op
        }

        void execute(Exec x, Op op) {
            Step s = x.step(op)
            int flags = ((op.advice & MAP_SHARED) != 0 ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS | (op.huge ? MAP_HUGETLB : 0) | (op.advice & ~MAP_SHARED)
            long r = x.task.mmap(0, op.mmapLength(), PROT_READ | PROT_WRITE, flags)
            s.result = r
            if (!Errno.isError(r)) x.mapped(op.map, r)
        }

        String line(Step s, Names n) {
            Op op = s.op
            String flags = ((op.advice & MAP_SHARED) != 0 ? 'MAP_SHARED' : 'MAP_PRIVATE') + ' | MAP_ANONYMOUS' + (op.huge ? ' | MAP_HUGETLB' : '') + ((op.advice & MAP_GROWSDOWN) != 0 ? ' | MAP_GROWSDOWN' : '') +
                    ((op.advice & MAP_RESERVED_THP) != 0 ? ' | MAP_RESERVED_THP' : '')
            "long ${n.map(op.map)} = mmap(0, ${Model.size(op.mmapLength())}, PROT_READ | PROT_WRITE, ${flags})"
        }

        List<Op> simpler(Op op) {
            List<Op> out = []
            if (op.huge) out << op.with(huge: false)
            if (op.advice != 0) out << op.with(advice: 0)
            if (op.delta != 0) out << op.with(delta: 0)
            if (op.pmds > 1) { out << op.with(pmds: 1); out << op.with(pmds: op.pmds - 1) }
            out
        }

        String describe(Op op) {
            "mmap m${op.map} ${Model.size(op.mmapLength())}${op.huge ? ' MAP_HUGETLB' : ''}${(op.advice & MAP_SHARED) != 0 ? ' MAP_SHARED' : ''}${(op.advice & MAP_GROWSDOWN) != 0 ? ' MAP_GROWSDOWN' : ''}${(op.advice & MAP_RESERVED_THP) != 0 ? ' MAP_RESERVED_THP' : ''}"
        }
    },

    /**
     * The memPool design (docs/model.md 9): a pool file of the size an MMAP with MAP_RESERVED_THP drew (rounded
     * up to PMDs), reserved by ftruncate and mapped MAP_SHARED, its descriptor closed: the mapping holds the file.
     * Never drawn: {@link Sequence#withPool} makes it of the reserved mmaps.
     */
    POOL_FILE(0) {
        Op generate(Gen g, int proc) { null }

        void execute(Exec x, Op op) {
            Step s = x.step(op)
            long len = poolLength(op)
            int fd = x.task.memfd_create('pool', MFD_POOL)
            long r = x.task.ftruncate(fd, len)
            if (r == 0) r = x.task.mmap(0, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
            x.task.close(fd)
            s.result = r
            if (!Errno.isError(r)) x.mapped(op.map, r)
        }

        String line(Step s, Names n) {
            String fd = "fd${s.op.map}", len = Model.size(poolLength(s.op))
            "int ${fd} = memfd_create('pool', MFD_POOL); long ${n.map(s.op.map)} = ftruncate(${fd}, ${len}) ?: mmap(0, ${len}, PROT_READ | PROT_WRITE, MAP_SHARED, ${fd}, 0); close(${fd})"
        }

        List<Op> simpler(Op op) { op.pmds > 1 ? [op.with(pmds: 1), op.with(pmds: op.pmds - 1)] : [] }

        String describe(Op op) { "pool file m${op.map} ${Model.size(poolLength(op))}" }
    },

    /** munmap of the whole mapping, an aligned part, an unaligned part or a range running past its end. */
    MUNMAP(8) {
        Op generate(Gen g, int proc) { rangeOp(g, proc, this, 0) }

        void execute(Exec x, Op op) {
            Long base = x.base(op.map)
            if (base == null) { x.skip(op, "m${op.map} was never mapped"); return }
            Step s = x.step(op)
            long a = base + op.off * Model.PAGE, l = op.len * Model.PAGE
            s.result = x.task.munmap(a, l)
            if (s.result == 0) x.erased(a, a + l)
        }

        String line(Step s, Names n) { "munmap(${n.addr(s.op)}, ${Model.size(s.op.len * Model.PAGE)})" }

        List<Op> simpler(Op op) { simplerRange(op) }

        String describe(Op op) { "munmap m${op.map}+${op.off}p ${op.len}p" }
    },

    /** madvise with one of the advices that matter to huge pages and the RFC, over any kind of range. */
    MADVISE(30) {
        final int[] advices = [MADV_RESERVED_THP, MADV_RESERVED_THP, MADV_RESERVED_THP, MADV_HUGEPAGE, MADV_HUGEPAGE,
                               MADV_NOHUGEPAGE, MADV_DONTNEED, MADV_DONTNEED, MADV_PAGEOUT, MADV_PAGEOUT, MADV_COLD,
                               MADV_POPULATE_WRITE, MADV_POPULATE_WRITE, MADV_DONTFORK] as int[]

        Op generate(Gen g, int proc) {
            int advice = advices[g.random.nextInt(advices.length)]
            if (Model.WITHOUT.contains(Model.adviceName(advice))) return null
            rangeOp(g, proc, this, advice)
        }

        void execute(Exec x, Op op) {
            Long base = x.base(op.map)
            if (base == null) { x.skip(op, "m${op.map} was never mapped"); return }
            Step s = x.step(op)
            long a = base + op.off * Model.PAGE, l = op.len * Model.PAGE
            s.result = x.task.madvise(a, l, op.advice)
            if (op.advice == MADV_DONTNEED) x.erased(a, a + l)
            if (op.advice == MADV_POPULATE_WRITE && s.result == 0) x.written(a, a + l)
        }

        String line(Step s, Names n) {
            "madvise(${n.addr(s.op)}, ${Model.size(s.op.len * Model.PAGE)}, ${Model.adviceName(s.op.advice)})"
        }

        List<Op> simpler(Op op) { simplerRange(op) }

        String describe(Op op) { "madvise m${op.map}+${op.off}p ${op.len}p ${Model.adviceName(op.advice)}" }
    },

    /**
     * Writes a range (write faults); skipped when the range is not wholly mapped, so it never SIGSEGVs,
     * unless it starts just below a MAP_GROWSDOWN mapping: the stack then grows down to it first.
     */
    TOUCH(22) {
        Op generate(Gen g, int proc) { belowStack(g, proc, this) ?: rangeOp(g, proc, this, 0, false) }

        void execute(Exec x, Op op) { access(x, op, true) }

        String line(Step s, Names n) { "touch(${n.addr(s.op)}, ${Model.size(s.op.len * Model.PAGE)})" }

        List<Op> simpler(Op op) { simplerRange(op) }

        String describe(Op op) { "touch m${op.map}+${op.off}p ${op.len}p" }
    },

    /** Reads a range (read faults: the huge zero page where THP allows it); below a stack as TOUCH. */
    READ(5) {
        Op generate(Gen g, int proc) { belowStack(g, proc, this) ?: rangeOp(g, proc, this, 0, false) }

        void execute(Exec x, Op op) { access(x, op, false) }

        String line(Step s, Names n) { "read(${n.addr(s.op)}, ${Model.size(s.op.len * Model.PAGE)})" }

        List<Op> simpler(Op op) { simplerRange(op) }

        String describe(Op op) { "read m${op.map}+${op.off}p ${op.len}p" }
    },

    /** The workload's idle verb: the range goes cold and becomes reclaimable. */
    IDLE(7) {
        Op generate(Gen g, int proc) { rangeOp(g, proc, this, 0, false) }

        void execute(Exec x, Op op) {
            Long base = x.base(op.map)
            if (base == null) { x.skip(op, "m${op.map} was never mapped"); return }
            x.step(op)
            x.task.idle(base + op.off * Model.PAGE, op.len * Model.PAGE)
        }

        String line(Step s, Names n) { "idle(${n.addr(s.op)}, ${Model.size(s.op.len * Model.PAGE)})" }

        List<Op> simpler(Op op) { simplerRange(op) }

        String describe(Op op) { "idle m${op.map}+${op.off}p ${op.len}p" }
    },

    /**
     * File I/O through the page cache (docs/model.md 5.6), drawn only from the files' own stream (weight 0,
     * so the other draws stay as they were): readFile or writeFile of 1-8 PMDs of one of three files at an
     * offset of 0-7 PMDs, deleteFile, or vm.drop_caches.
     */
    FILE(0) {
        Op generate(Gen g, int proc) {
            Random r = g.files
            int what = r.nextInt(10)
            Op.of(kind: this, proc: proc, advice: what < 5 ? FILE_READ : what < 8 ? FILE_WRITE : what < 9 ? FILE_DELETE : FILE_DROP,
                    arg: r.nextInt(3), off: r.nextInt(8), len: 1 + r.nextInt(8))
        }

        void execute(Exec x, Op op) {
            Step s = x.step(op)
            String name = "f${op.arg}"
            long off = op.off * Model.PMD_PAGES * (long) Model.PAGE, len = op.len * Model.PMD_PAGES * (long) Model.PAGE
            switch (op.advice) {
                case FILE_READ: x.task.readFile(name, off, len, null); s.result = 0L; break
                case FILE_WRITE: x.task.writeFile(name, off, len, null); s.result = 0L; break
                case FILE_DELETE: s.result = (long) x.task.deleteFile(name); break
                default: s.result = (long) x.task.kernel().views.sysctl('vm.drop_caches', 1L)
            }
        }

        String line(Step s, Names n) {
            Op op = s.op
            String size = Model.size(op.len * Model.PMD_PAGES * (long) Model.PAGE), at = Model.size(op.off * Model.PMD_PAGES * (long) Model.PAGE)
            switch (op.advice) {
                case FILE_READ: return "readFile 'f${op.arg}', ${size}, offset: ${at}"
                case FILE_WRITE: return "writeFile 'f${op.arg}', ${size}, offset: ${at}"
                case FILE_DELETE: return "deleteFile('f${op.arg}')"
                default: return "sysctl('vm.drop_caches', 1)"
            }
        }

        List<Op> simpler(Op op) { op.len > 1 ? [op.with(len: 1)] : [] }

        String describe(Op op) { "file ${['read', 'write', 'delete', 'drop'][op.advice]} f${op.arg}+${op.off} ${op.len}" }
    },

    /** The process sleeps a while longer (its later ops run late; I/O in flight completes). */
    SLEEP(4) {
        Op generate(Gen g, int proc) { Op.of(kind: this, proc: proc, arg: 1 + g.random.nextInt(30)) }

        void execute(Exec x, Op op) {
            x.step(op)
            x.task.sleep(op.arg * 1_000_000L)
        }

        String line(Step s, Names n) { "sleep ${Model.duration(s.op.arg * 1_000_000L)}" }

        List<Op> simpler(Op op) { op.arg > 1 ? [op.with(arg: 1)] : [] }

        String describe(Op op) { "sleep ${op.arg} ms" }
    },

    /** exit(): the process's memory is torn down; it runs no more ops. */
    EXIT(2) {
        Op generate(Gen g, int proc) {
            g.exited(proc)
            Op.of(kind: this, proc: proc)
        }

        void execute(Exec x, Op op) {
            x.step(op)
            x.task.exit()
        }

        String line(Step s, Names n) { 'exit()' }

        String describe(Op op) { 'exit' }
    },

    /** fork(): a child that shares the mappings copy-on-write and runs the ops of process slot {@code arg}. */
    FORK(3) {
        boolean available() { hasTaskMethod('fork', 2) }

        Op generate(Gen g, int proc) {
            int child = g.forked(proc)
            child < 0 ? null : Op.of(kind: this, proc: proc, arg: child)
        }

        void execute(Exec x, Op op) {
            Step s = x.step(op)
            s.result = x.fork(op.arg)
        }

        String line(Step s, Names n) { "fork('${n.proc(s.op.arg)}') { … }   // the child's ops are listed under its name below" }

        String describe(Op op) { "fork p${op.arg}" }
    },

    /** mremap of (part of) a mapping: shrink, grow in place or by moving, or a same-size DONTUNMAP move. */
    MREMAP(4) {
        boolean available() { hasTaskMethod('mremap', 5) }

        Op generate(Gen g, int proc) {
            Op base = rangeOp(g, proc, this, 0, false)
            if (base == null) return null
            Random r = g.random
            int flags = [0, MREMAP_MAYMOVE, MREMAP_MAYMOVE, MREMAP_MAYMOVE | MREMAP_DONTUNMAP][r.nextInt(4)]
            int newLen = (flags & MREMAP_DONTUNMAP) != 0 ? base.len
                    : r.nextBoolean() ? Model.PMD_PAGES * (1 + r.nextInt(8)) : 1 + r.nextInt(8 * Model.PMD_PAGES)
            base.with(advice: flags, arg: newLen)
        }

        void execute(Exec x, Op op) {
            Long base = x.base(op.map)
            if (base == null) { x.skip(op, "m${op.map} was never mapped"); return }
            Step s = x.step(op)
            long a = base + op.off * Model.PAGE, oldLen = op.len * Model.PAGE, newLen = op.arg * Model.PAGE
            long r = x.task.mremap(a, oldLen, newLen, op.advice, 0L)
            s.result = r
            if (!Errno.isError(r)) {
                x.moved(a, oldLen, r, newLen)
                if (op.off == 0) x.mapped(op.map, r)
            }
        }

        String line(Step s, Names n) {
            "mremap(${n.addr(s.op)}, ${Model.size(s.op.len * Model.PAGE)}, ${Model.size(s.op.arg * Model.PAGE)}, ${Model.mremapFlags(s.op.advice)}, 0)"
        }

        List<Op> simpler(Op op) {
            List<Op> out = simplerRange(op).collect { Op o -> (op.advice & MREMAP_DONTUNMAP) != 0 ? o.with(arg: o.len) : o }
            if ((op.advice & MREMAP_DONTUNMAP) != 0) out << op.with(advice: MREMAP_MAYMOVE)
            out
        }

        String describe(Op op) { "mremap m${op.map}+${op.off}p ${op.len}p -> ${op.arg}p ${Model.mremapFlags(op.advice)}" }
    },

    /** mprotect to read-only, read-write or none. */
    MPROTECT(3) {
        boolean available() { hasTaskMethod('mprotect', 3) }

        Op generate(Gen g, int proc) {
            int prot = [PROT_READ, PROT_READ | PROT_WRITE, PROT_NONE][g.random.nextInt(3)]
            rangeOp(g, proc, this, prot)
        }

        void execute(Exec x, Op op) {
            Long base = x.base(op.map)
            if (base == null) { x.skip(op, "m${op.map} was never mapped"); return }
            Step s = x.step(op)
            s.result = (long) x.task.mprotect(base + op.off * Model.PAGE, op.len * Model.PAGE, op.advice)
        }

        String line(Step s, Names n) { "mprotect(${n.addr(s.op)}, ${Model.size(s.op.len * Model.PAGE)}, ${Model.protName(s.op.advice)})" }

        List<Op> simpler(Op op) { simplerRange(op) }

        String describe(Op op) { "mprotect m${op.map}+${op.off}p ${op.len}p ${Model.protName(op.advice)}" }
    },

    /** mlock: the range is locked (not reclaimed; MADV_DONTNEED refused). */
    MLOCK(3) {
        boolean available() { hasTaskMethod('mlock', 2) }

        Op generate(Gen g, int proc) { rangeOp(g, proc, this, 0) }

        void execute(Exec x, Op op) {
            Long base = x.base(op.map)
            if (base == null) { x.skip(op, "m${op.map} was never mapped"); return }
            Step s = x.step(op)
            s.result = (long) x.task.mlock(base + op.off * Model.PAGE, op.len * Model.PAGE)
        }

        String line(Step s, Names n) { "mlock(${n.addr(s.op)}, ${Model.size(s.op.len * Model.PAGE)})" }

        List<Op> simpler(Op op) { simplerRange(op) }

        String describe(Op op) { "mlock m${op.map}+${op.off}p ${op.len}p" }
    },

    /** munlock. */
    MUNLOCK(2) {
        boolean available() { hasTaskMethod('munlock', 2) }

        Op generate(Gen g, int proc) { rangeOp(g, proc, this, 0) }

        void execute(Exec x, Op op) {
            Long base = x.base(op.map)
            if (base == null) { x.skip(op, "m${op.map} was never mapped"); return }
            Step s = x.step(op)
            s.result = (long) x.task.munlock(base + op.off * Model.PAGE, op.len * Model.PAGE)
        }

        String line(Step s, Names n) { "munlock(${n.addr(s.op)}, ${Model.size(s.op.len * Model.PAGE)})" }

        List<Op> simpler(Op op) { simplerRange(op) }

        String describe(Op op) { "munlock m${op.map}+${op.off}p ${op.len}p" }
    },

    /** prctl(PR_SET_THP_DISABLE, 0 or 1[, PR_THP_DISABLE_EXCEPT_ADVISED]) for the process's mm (rule 43). */
    PRCTL(1) {
        boolean available() { hasTaskMethod('prctl', 5) }

        Op generate(Gen g, int proc) {
            Random r = g.random
            Op.of(kind: this, proc: proc, arg: r.nextInt(5) < 2 ? 0 : 1, advice: r.nextBoolean() ? PR_THP_DISABLE_EXCEPT_ADVISED : 0)
        }

        void execute(Exec x, Op op) {
            Step s = x.step(op)
            s.result = x.task.prctl(PR_SET_THP_DISABLE, op.arg, op.advice, 0L, 0L)
        }

        String line(Step s, Names n) {
            "prctl(PR_SET_THP_DISABLE, ${s.op.arg}${s.op.advice != 0 ? ', PR_THP_DISABLE_EXCEPT_ADVISED' : ''})"
        }

        List<Op> simpler(Op op) { op.advice != 0 ? [op.with(advice: 0)] : [] }

        String describe(Op op) { "prctl PR_SET_THP_DISABLE ${op.arg}${op.advice != 0 ? ' EXCEPT_ADVISED' : ''}" }
    },

    /** sysctl vm.max_map_count: small limits (mmap, split_vma, munmap fail with ENOMEM; rule 30) or the default again. */
    SYSCTL(1) {
        Op generate(Gen g, int proc) {
            Random r = g.random
            Op.of(kind: this, proc: proc, arg: r.nextBoolean() ? DEFAULT_MAX_MAP_COUNT : 3 + r.nextInt(10))
        }

        void execute(Exec x, Op op) {
            Step s = x.step(op)
            s.result = (long) x.task.kernel().views.sysctl('vm.max_map_count', (long) op.arg)
        }

        String line(Step s, Names n) { "sysctl('vm.max_map_count', ${s.op.arg})" }

        String describe(Op op) { "sysctl vm.max_map_count=${op.arg}" }
    },

    /** A THP setting in sysfs: transparent_hugepage/defrag (direct reclaim on THP faults) or, less often, enabled. */
    SYSFS(1) {
        Op generate(Gen g, int proc) {
            Random r = g.random
            int i = r.nextInt(4) < 3 ? r.nextInt(5) : 5 + r.nextInt(3)
            Op.of(kind: this, proc: proc, advice: i)
        }

        void execute(Exec x, Op op) {
            Step s = x.step(op)
            List<String> setting = SYSFS_SETTINGS[op.advice]
            s.result = (long) x.task.kernel().views.sysfsWrite(setting[0], setting[1])
        }

        String line(Step s, Names n) {
            List<String> setting = SYSFS_SETTINGS[s.op.advice]
            "sysfs('${setting[0]}', '${setting[1]}')"
        }

        String describe(Op op) { "sysfs ${SYSFS_SETTINGS[op.advice].join('=')}" }
    },

    /**
     * migrate_pages(2) (two nodes only) of process slot {@code arg} (-1: pid 0, the caller itself) from node
     * {@code off} to node {@code len}, mostly from the node the target runs on, where its THPs are. The error
     * paths too ({@code advice}, {@link #MIGRATE_MODES}): a new node the machine lacks (-EPERM), no new node
     * (-EINVAL), both nodes to one, a pid no process has (-ESRCH); an exited target gives -ESRCH as well.
     */
    MIGRATE(8) {
        boolean available() { hasTaskMethod('migrate_pages', 3) }

        boolean isNuma() { true }

        Op generate(Gen g, int proc) {
            Random r = g.random
            int pick = r.nextInt(20)
            List<Integer> live = g.live()
            int target = pick < 6 ? -1 : pick < 9 ? proc : pick < 19 ? live[r.nextInt(live.size())] : r.nextInt(g.slotCount())
            int from = g.node(target < 0 ? proc : target)
            if (r.nextInt(4) == 0) from = 1 - from
            int mode = r.nextInt(20) < 17 ? 0 : 1 + r.nextInt(MIGRATE_MODES.size() - 1)
            Op.of(kind: this, proc: proc, arg: target, off: from, len: 1 - from, advice: mode)
        }

        void execute(Exec x, Op op) {
            int pid = 0
            if (op.advice == 4) {
                pid = NO_SUCH_PID
            } else if (op.arg >= 0) {
                Task t = x.taskOf(op.arg)
                if (t == null) { x.skip(op, "p${op.arg} never started"); return }
                pid = t.pid()
            }
            List<Integer> from = op.advice == 3 ? [0, 1] : [op.off]
            List<Integer> to = op.advice == 1 ? [Model.NODES] : op.advice == 2 ? [] as List<Integer> : [op.len]
            Step s = x.step(op)
            s.pid = pid == 0 || pid == NO_SUCH_PID ? pid : x.scriptPid(pid)
            s.result = x.task.migrate_pages(pid, from, to)
        }

        String line(Step s, Names n) {
            Op op = s.op
            String from = op.advice == 3 ? '[0, 1]' : "[${op.off}]"
            String to = op.advice == 1 ? "[${Model.NODES}]" : op.advice == 2 ? '[]' : "[${op.len}]"
            String who = op.advice == 4 ? 'no such process' : op.arg < 0 ? 'itself' : n.proc(op.arg)
            "migrate_pages(${s.pid}, ${from}, ${to})   // ${who}"
        }

        List<Op> simpler(Op op) {
            List<Op> out = []
            if (op.advice != 0) out << op.with(advice: 0)
            if (op.arg >= 0) out << op.with(arg: -1)
            out
        }

        String describe(Op op) {
            "migrate_pages ${op.advice == 4 ? 'pid ' + NO_SUCH_PID : op.arg < 0 ? 'self' : 'p' + op.arg} ${MIGRATE_MODES[op.advice]} ${op.off} -> ${op.len}"
        }
    },

    /**
     * A node's HugeTLB pool (two nodes only): /sys/devices/system/node/nodeN/hugepages/hugepages-2048kB/nr_hugepages
     * written with a small count (node {@code off}, count {@code arg}); now and then node 2, which the
     * machine lacks (no such file).
     */
    NODE_HUGEPAGES(2) {
        boolean isNuma() { true }

        Op generate(Gen g, int proc) {
            Random r = g.random
            int node = r.nextInt(12) == 0 ? Model.NODES : r.nextInt(Model.NODES)
            Op.of(kind: this, proc: proc, off: node, arg: r.nextInt(4) == 0 ? 0 : r.nextInt(13))
        }

        void execute(Exec x, Op op) {
            hugesim.mm.hugetlb.Hstate h = x.task.kernel().m.defaultHstate
            long[] before = new long[h.nodes()]
            for (int n = 0; n < h.nodes(); n++) before[n] = h.total(n) - h.surplus(n)
            Step s = x.step(op)
            s.result = (long) x.task.kernel().views.sysfsWrite(nodeFile(op.off), Integer.toString(op.arg))
            x.poolWritten(s.result == 0 ? op.off : -1, op.arg, before)
        }

        String line(Step s, Names n) { "sysfs('${nodeFile(s.op.off)}', ${s.op.arg})" }

        List<Op> simpler(Op op) { op.arg > 0 ? [op.with(arg: 0)] : [] }

        String describe(Op op) { "node${op.off} nr_hugepages=${op.arg}" }
    }

    /** MIGRATE modes (its {@code advice}). */
    static final List<String> MIGRATE_MODES = ['', 'to a node the machine lacks', 'to no node', 'from both nodes', 'of no process'].asImmutable()

    /** A pid no process has. */
    static final int FILE_READ = 0, FILE_WRITE = 1, FILE_DELETE = 2, FILE_DROP = 3

    static final int NO_SUCH_PID = 99999

    /** A pool file's size: the drawn mmap's length rounded up to PMDs (rule 80: whole huge pages). */
    static long poolLength(Op op) { Model.roundUp(op.mmapLength(), Model.PMD) }

    /** A node's nr_hugepages file (2 MiB pages). */
    static String nodeFile(int node) { "devices/system/node/node${node}/hugepages/hugepages-2048kB/nr_hugepages".toString() }

    /** SYSFS ops: file and value; defrag modes first. */
    static final List<List<String>> SYSFS_SETTINGS = [
            ['kernel/mm/transparent_hugepage/defrag', 'always'], ['kernel/mm/transparent_hugepage/defrag', 'defer'],
            ['kernel/mm/transparent_hugepage/defrag', 'defer+madvise'], ['kernel/mm/transparent_hugepage/defrag', 'madvise'],
            ['kernel/mm/transparent_hugepage/defrag', 'never'],
            ['kernel/mm/transparent_hugepage/enabled', 'always'], ['kernel/mm/transparent_hugepage/enabled', 'madvise'],
            ['kernel/mm/transparent_hugepage/enabled', 'never'],
    ].asImmutable() as List<List<String>>

    /** vm.max_map_count at boot (DEFAULT_MAX_MAP_COUNT). */
    static final int DEFAULT_MAX_MAP_COUNT = 65530

    /** How often the generator draws this kind, relative to the others. */
    final int weight

    OpKind(int weight) { this.weight = weight }

    /** Whether the engine offers this call yet. */
    boolean available() { true }

    /** Drawn on NUMA machines only (two nodes). */
    boolean isNuma() { false }

    /** Draws an op of this kind for process {@code proc}, or null when there is nothing to act on. */
    abstract Op generate(Gen g, int proc)

    /** Runs the op in its process's body; records a {@link Step} (or a skip) through {@code x}. */
    abstract void execute(Exec x, Op op)

    /** The op as a line of a process body in a hugesim scenario script. */
    abstract String line(Step s, Names n)

    /** Simpler variants for the shrinker to try in the op's place, simplest first. */
    List<Op> simpler(Op op) { [] }

    abstract String describe(Op op)

    static List<OpKind> drawable() { values().findAll { OpKind k -> k.available() && !Model.WITHOUT.contains(k.name()) } }

    // ---- helpers shared by the cases ------------------------------------------------------------

    private static final Map<String, Boolean> METHODS = new java.util.concurrent.ConcurrentHashMap<>()

    static boolean hasTaskMethod(String name, int params) {
        METHODS.computeIfAbsent("${name}/${params}".toString()) { String k ->
            Task.methods.any { java.lang.reflect.Method m -> m.name == name && m.parameterCount == params }
        }
    }

    /**
     * An op over a range of one of the process's mappings: the whole mapping, a PMD-aligned part, an
     * unaligned part, or (with {@code pastEnd}) one running past the mapping's end.
     */
    static Op rangeOp(Gen g, int proc, OpKind kind, int advice, boolean pastEnd = true) {
        List<Integer> maps = g.maps(proc)
        if (maps.isEmpty()) return null
        Random r = g.random
        int map = maps[r.nextInt(maps.size())]
        int pages = g.pages(map)
        int windows = (pages + Model.PMD_PAGES - 1).intdiv(Model.PMD_PAGES) as int
        int off, len
        int pick = r.nextInt(100)
        if (pick < 30) {
            off = 0
            len = pages
        } else if (pick < 65) {
            int a = r.nextInt(windows)
            off = a * Model.PMD_PAGES
            len = (1 + r.nextInt(windows - a)) * Model.PMD_PAGES
        } else if (pick < 92 || !pastEnd) {
            off = r.nextInt(pages)
            len = 1 + r.nextInt(pages - off)
        } else {
            off = r.nextInt(pages)
            len = pages - off + 1 + r.nextInt(Model.PMD_PAGES)
        }
        Op.of(kind: kind, proc: proc, map: map, off: off, len: len, advice: advice)
    }

    /** Simpler ranges: from the start, PMD-aligned, shorter. */
    static List<Op> simplerRange(Op op) {
        List<Op> out = []
        if (op.off % Model.PMD_PAGES != 0) out << op.with(off: op.off - op.off % Model.PMD_PAGES)
        if (op.len % Model.PMD_PAGES != 0 && op.len > Model.PMD_PAGES) out << op.with(len: op.len - op.len % Model.PMD_PAGES)
        if (op.len % Model.PMD_PAGES != 0) out << op.with(len: Model.roundUp(op.len, Model.PMD_PAGES) as int)
        if (op.off > 0) out << op.with(off: 0)
        if (op.len > Model.PMD_PAGES) out << op.with(len: Model.PMD_PAGES)
        if (op.len > 1) out << op.with(len: op.len.intdiv(2) as int)
        out
    }

    /**
     * TOUCH and READ just below a MAP_GROWSDOWN mapping (a third of those that pick one): less than a PMD,
     * one PMD, more, or two, mostly within RLIMIT_STACK; one page, up to the mapping's start, or into it.
     */
    static Op belowStack(Gen g, int proc, OpKind kind) {
        Random r = g.random
        List<Integer> maps = g.maps(proc)
        if (maps.isEmpty()) return null
        int map = maps[r.nextInt(maps.size())]
        if (!g.isStack(map) || r.nextInt(3) != 0) return null
        int pages = g.pages(map)
        int P = Model.PMD_PAGES
        int room = (int) (Stack.RLIMIT_STACK / Model.PAGE) - pages
        if (room <= 0 && r.nextInt(4) != 0) return null
        int down = [1 + r.nextInt(P - 1), P, P + 1 + r.nextInt(P - 1), 2 * P, 1 + r.nextInt(3 * P), P][r.nextInt(6)]
        if (down > room && room > 0 && r.nextInt(4) != 0) down = 1 + r.nextInt(room)
        int pick = r.nextInt(10)
        int len = pick < 3 ? 1 : pick < 7 ? down : down + 1 + r.nextInt(pages)
        Op.of(kind: kind, proc: proc, map: map, off: -down, len: len)
    }

    /**
     * TOUCH and READ: skipped unless the range is wholly mapped now (a hole would SIGSEGV the process), or
     * starts below a VM_GROWSDOWN VMA: then the stack grows first, as the fault's expand_stack() would, so
     * that the checker learns what growth the RFC leaves uncharged; skipped too when the stack may not grow
     * (RLIMIT_STACK, the guard gap: expand_stack() changes nothing then). Holes above are met in order: one
     * below another stack grows it the same way, any other SIGSEGVs.
     */
    static void access(Exec x, Op op, boolean write) {
        Long base = x.base(op.map)
        if (base == null) { x.skip(op, "m${op.map} was never mapped"); return }
        long a = base + op.off * Model.PAGE, l = op.len * Model.PAGE
        long hole = x.firstHole(a, l)
        if (hole == a && x.belowStack(a)) {
            if (!x.growStack(a)) { x.skip(op, 'the stack may not grow there (RLIMIT_STACK, stack_guard_gap): SIGSEGV'); return }
            for (hole = x.firstHole(a, l); hole >= 0 && x.belowStack(hole) && x.growStack(hole); ) hole = x.firstHole(hole, a + l - hole)
        } else if (hole >= 0) {
            x.skip(op, op.off < 0 ? 'not below a stack' : 'range not wholly mapped')
            return
        }
        x.step(op)
        x.task.touch(a, l, null, write, true)
        if (write && !x.task.exited()) x.written(a, a + l)
    }
}

/** What a generator needs to know while it draws a sequence. */
@CompileStatic
interface Gen {
    Random getRandom()

    /**
     * The stream of the designs' draws (docs/model.md section 7), apart so that the other draws stay as they
     * were; null in the sequences that do not draw them.
     */
    Random getDesigns()

    /** The stream of the file calls' draws, apart as the designs' are; null in the sequences that do not draw them. */
    Random getFiles()

    /** The stream of shared anonymous mappings' draws (shmem), apart as the designs' are; null where not drawn. */
    Random getShmem()

    int nextMapId()

    /** Mapping ids process {@code proc} may refer to. */
    List<Integer> maps(int proc)

    int pages(int map)

    void mapped(int proc, int map, int pages, boolean huge)

    void exited(int proc)

    /** Mapping {@code map} is a MAP_GROWSDOWN stack. */
    void stack(int map)

    boolean isStack(int map)

    /** Draws {@code op} next (for the same process, if it still runs then). */
    void follow(Op op)

    /** A new process slot forked from {@code parent}, inheriting its mappings; -1 when no slot is left. */
    int forked(int parent)

    /** NUMA nodes of the machine. */
    int nodes()

    /** The node process slot {@code proc} runs on. */
    int node(int proc)

    /** Process slots that have not exited (as far as the generator knows: exit() ops drawn). */
    List<Integer> live()

    /** Process slots handed out so far (start-of-run and fork children). */
    int slotCount()
}

/** What an op needs from the driver while it runs. */
@CompileStatic
interface Exec {
    Task getTask()

    /** The address of mapping {@code map} in this process, or null when it was never mapped. */
    Long base(int map)

    void mapped(int map, long addr)

    /** The first address of [addr, addr + len) that no VMA maps, or -1. */
    long firstHole(long addr, long len)

    /** Records that the op runs now (after its sleep); the returned step takes its result. */
    Step step(Op op)

    /** Records that the op was not run (it keeps its sleep, so the timeline stays the same). */
    void skip(Op op, String why)

    /** [from, to) was written: it must stay present (resident or swapped) until released. */
    void written(long from, long to)

    /** [from, to) was released (munmap, MADV_DONTNEED): nothing need be present there any more. */
    void erased(long from, long to)

    /** mremap moved [from, from + oldLen) to [to, to + newLen). */
    void moved(long from, long oldLen, long to, long newLen)

    /** fork(): starts process slot {@code child}; returns the syscall's result. */
    long fork(int child)

    /** The task of process slot {@code slot}, or null when it never started (its fork failed or did not happen). */
    Task taskOf(int slot)

    /** A run's pid as the printed script numbers processes (the harness's task is not in the script). */
    int scriptPid(int pid)

    /** A node's nr_hugepages was written: the pool's persistent pages there changed as the write asked. */
    void poolWritten(int node, long count, long[] persistentBefore)

    /** {@code addr} lies below a VM_GROWSDOWN VMA, in the hole under it. */
    boolean belowStack(long addr)

    /** expand_stack() to {@code addr}, as the fault there is about to; tells the checker what grew. False: refused. */
    boolean growStack(long addr)
}

/** Names in a printed script. */
@CompileStatic
interface Names {
    String map(int id)

    String proc(int slot)

    /** The address of an op's range start: {@code m0}, {@code m0 + 12.KB}. */
    String addr(Op op)
}
