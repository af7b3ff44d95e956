package hugesim.dsl

import hugesim.kernel.Task
import hugesim.kernel.Trace
import hugesim.units.Bandwidth

import java.time.Duration
import java.util.random.RandomGenerator

/**
 * What a process body sees: the workload verbs (mapHuge, touch, read, idle, sleep, exit), the kernel's
 * syscalls with their argument order and return values, and the views (/proc, /sys, sysctl). When the
 * kernel records a trace (kernel-check), every call is recorded with the model's result; otherwise the
 * only cost is one null check.
 */
@groovy.transform.CompileStatic
class ProcessContext {
    private final Task task
    private int children
    /**
     * This process's own random stream, keyed by the run's seed and replication and the process's name: the
     * same script, seed and replication draw the same numbers under every policy and swept value.
     */
    final RandomGenerator random

    ProcessContext(Task task) {
        this.task = task
        this.random = task.kernel().env().random().stream("process ${task.name()}".toString())
    }

    /**
     * Before every model call: once the process was stopped (killed, exited, the run over), a body that
     * caught the stop gets it again instead of touching the model.
     */
    private void live() {
        hugesim.sim.Process.current()?.checkRunning()
    }

    /** The process's name. */
    String getName() { task.name() }

    /** Simulated time now, in seconds. */
    double getNow() { task.kernel().env().now() / 1e9 }

    /** Huge memory, backed the way the policy backs it; a failure is recorded and ends the process. */
    long mapHuge(long size) {
        live()
        Trace t = task.kernel().trace()
        t == null ? task.mapHuge(size) : t.end(t.begin(task, 'mapHuge', size), task.mapHuge(size))
    }

    /**
     * Writes [addr, addr + size); {@code rate:} spreads the accesses over size / rate. The range stays in
     * the process's working set (accessed until {@code idle}); with {@code once: true} this pass is its only access.
     */
    void touch(Map opts = [:], long addr, long size) {
        live()
        Options.check('touch', opts, ['rate', 'write', 'once'])
        Bandwidth rate = opts.rate == null ? null : Options.rate('touch', 'rate', opts.rate)
        boolean write = opts.write == null ? true : opts.write as boolean
        boolean keep = !(opts.once as boolean)
        Trace t = task.kernel().trace()
        if (t == null) {
            task.touch(addr, size, rate, write, keep)
            return
        }
        Trace.Op op = t.begin(task, write ? 'touch' : 'read', addr, size)
        try {
            task.touch(addr, size, rate, write, keep)
            t.end(op, 0L)
        } catch (hugesim.sim.Process.Unwind u) {
            t.end(op, deathOf())
            throw u
        }
    }

    /** How the model ended this process during a touch: SIGBUS, SIGSEGV, or killed (the OOM killer). */
    private String deathOf() {
        def events = task.kernel().m.events()
        for (int i = events.size() - 1; i >= 0; i--) {
            def e = events[i]
            if (e.process() == task.name() && e.kind() in ['sigbus', 'sigsegv']) return e.kind().toUpperCase()
        }
        'killed'
    }

    /** Reads [addr, addr + size): read faults (the huge zero page where THP allows it). */
    void read(Map opts = [:], long addr, long size) {
        Options.check('read', opts, ['rate', 'once'])
        touch(opts + [write: false], addr, size)
    }

    /**
     * [addr, addr + size) is accessed: with {@code every:}, read every that often alongside the body (a
     * lukewarm range: reclaim finds it referenced only when a pass came since its last look); without,
     * read now and kept in the working set, as after a touch.
     */
    void access(Map opts = [:], long addr, long size) {
        live()
        Options.check('access', opts, ['every'])
        if (opts.every == null) {
            touch([write: false], addr, size)
            return
        }
        long every = Options.nanos('access', 'every', opts.every)
        if (every == 0) throw new IllegalArgumentException("access(every:) needs a period above 0, got ${opts.every}")
        if (task.kernel().trace() != null) throw new IllegalArgumentException('access(every:) has no replay on a real kernel yet')
        task.accessEvery(addr, size, every)
    }

    /** [addr, addr + size) stops being accessed: reclaim finds it unreferenced and may swap it out. */
    void idle(long addr, long size) {
        live()
        task.kernel().trace()?.with { end(begin(task, 'idle', addr, size), 0L) }
        task.idle(addr, size)
    }

    /**
     * A kernel allocation the workload causes: {@code kernelAlloc 64.MB} (unmovable slab: SUnreclaim, held
     * until kernelFree, its {@code for:} lifetime or the process's exit), {@code reclaimable: true}
     * (dentries and inodes: SReclaimable, kept after exit until reclaim's shrinkers free them). Returns a
     * handle for kernelFree.
     */
    long kernelAlloc(Map opts = [:], long size) {
        live()
        Options.check('kernelAlloc', opts, ['reclaimable', 'for'])
        if (size <= 0) throw new IllegalArgumentException("kernelAlloc needs a positive size, got ${size} bytes")
        long lifetime = opts['for'] == null ? 0L : Options.nanos('kernelAlloc', 'for', opts['for'])
        if (opts['for'] != null && lifetime == 0) throw new IllegalArgumentException("kernelAlloc(for:) needs a lifetime above 0, got ${opts['for']}")
        boolean reclaimable = opts.reclaimable as boolean
        Trace t = task.kernel().trace()
        t == null ? task.kernelAlloc(size, reclaimable, lifetime) : t.end(t.begin(task, 'kernelAlloc', size), task.kernelAlloc(size, reclaimable, lifetime))
    }

    /** A size given as text or a fraction: refused with the form it takes. */
    long kernelAlloc(Map opts = [:], Object other) {
        throw new IllegalArgumentException("kernelAlloc needs a size like 64.MB, got ${other instanceof CharSequence ? "'${other}'" : other}")
    }

    /**
     * Reads a file through the page cache: {@code readFile 'data', 8.GB} reads its first 8 GB ({@code offset:}
     * elsewhere), from the machine's disk where not cached; {@code rate:} spreads the reads over size / rate.
     * Files are the machine's, shared by every process, and their cache outlives the processes.
     */
    void readFile(Map opts = [:], String name, long size) {
        fileIo('readFile', opts, name, size, false)
    }

    /**
     * Writes a file through the page cache: {@code writeFile 'log', 1.GB} appends 1 GB ({@code offset:} writes
     * there instead); the pages are dirty until the flusher writes them back at the disk's bandwidth, and
     * the writer waits when dirty memory passes vm.dirty_ratio.
     */
    void writeFile(Map opts = [:], String name, long size) {
        fileIo('writeFile', opts, name, size, true)
    }

    private void fileIo(String verb, Map opts, String name, long size, boolean write) {
        live()
        Options.check(verb, opts, ['rate', 'offset'])
        if (!name) throw new IllegalArgumentException("${verb} needs a file name, e.g. ${verb} 'data', 1.GB")
        if (size <= 0) throw new IllegalArgumentException("${verb} needs a positive size, got ${size} bytes")
        Bandwidth rate = opts.rate == null ? null : Options.rate(verb, 'rate', opts.rate)
        long offset = write ? -1L : 0L
        if (opts.offset != null) {
            if (!(opts.offset instanceof Number) || (opts.offset as long) < 0) throw new IllegalArgumentException("${verb}(offset:) needs a size like 1.GB, got ${opts.offset}")
            offset = opts.offset as long
        }
        if (task.kernel().trace() != null) throw new IllegalArgumentException("${verb} has no replay on a real kernel yet")
        if (write) task.writeFile(name, offset, size, rate)
        else task.readFile(name, offset, size, rate)
    }

    /** A size given as text or a fraction: refused with the form it takes. */
    void readFile(Map opts = [:], String name, Object other) {
        throw new IllegalArgumentException("readFile needs a size like 1.GB, got ${other instanceof CharSequence ? "'${other}'" : other}")
    }

    /** A size given as text or a fraction: refused with the form it takes. */
    void writeFile(Map opts = [:], String name, Object other) {
        throw new IllegalArgumentException("writeFile needs a size like 1.GB, got ${other instanceof CharSequence ? "'${other}'" : other}")
    }

    /** Deletes a file (unlink): its page cache goes, dirty pages unwritten. 0, or -ENOENT (-2) when there is none. */
    int deleteFile(String name) {
        live()
        if (task.kernel().trace() != null) throw new IllegalArgumentException('deleteFile has no replay on a real kernel yet')
        task.deleteFile(name)
    }

    /** Frees what kernelAlloc returned: 0, or -EINVAL for a handle already freed (or shrunk away whole). */
    int kernelFree(long handle) {
        live()
        Trace t = task.kernel().trace()
        t == null ? task.kernelFree(handle) : (int) t.end(t.begin(task, 'kernelFree', handle), (long) task.kernelFree(handle))
    }

    void simSleep(Duration d) {
        live()
        if (d.isNegative()) throw new IllegalArgumentException("sleep needs a duration that is not negative, got ${Literal.format(d)}")
        task.sleep(d.toNanos())
    }

    /**
     * {@code sleep 60.s} in a body written inside a Spock specification ({@code run { … }}), which the script
     * compiler does not rewrite to {@code simSleep}; a bare number is refused there too.
     */
    void sleep(Duration d) { simSleep(d) }

    void sleep(long n) { simSleep(n) }

    /** A bare number would be Groovy's own sleep (real milliseconds, simulated time unchanged): refused. */
    void simSleep(long n) {
        throw new IllegalArgumentException("sleep needs a duration with a unit, e.g. sleep ${n}.ms or sleep 3.s; a bare ${n} has none")
    }

    void simSleep(Object other) {
        throw new IllegalArgumentException("sleep needs a duration like 60.s, got ${other}")
    }

    /** exit(): the process's memory is freed and its body ends. */
    void exit() {
        live()
        task.kernel().trace()?.with { if (!task.exited()) end(begin(task, 'exit'), 0L) }
        task.exit()
    }

    long mmap(long addr, long len, int prot, int flags) {
        live()
        Trace t = task.kernel().trace()
        t == null ? task.mmap(addr, len, prot, flags) : t.end(t.begin(task, 'mmap', addr, len, prot, flags, -1, 0L), task.mmap(addr, len, prot, flags))
    }

    long mmap(long addr, long len, int prot, int flags, int fd, long off) {
        live()
        Trace t = task.kernel().trace()
        t == null ? task.mmap(addr, len, prot, flags, fd, off) : t.end(t.begin(task, 'mmap', addr, len, prot, flags, fd, off), task.mmap(addr, len, prot, flags, fd, off))
    }

    int munmap(long addr, long len) {
        live()
        Trace t = task.kernel().trace()
        t == null ? task.munmap(addr, len) : t.end(t.begin(task, 'munmap', addr, len), task.munmap(addr, len))
    }

    /** memfd_create(2): a shmem file, a hugetlbfs one with MFD_HUGETLB, or under memPool a pool file (MFD_POOL). */
    int memfd_create(String name, int flags) {
        live()
        Trace t = task.kernel().trace()
        t == null ? task.memfd_create(name, flags) : t.end(t.begin(task, 'memfd_create', name, flags), task.memfd_create(name, flags))
    }

    /** shm_open(3): a file of /dev/shm, shared by every process that opens its name (O_CREAT, O_EXCL, O_TRUNC). */
    int shm_open(String name, int oflag) {
        live()
        Trace t = task.kernel().trace()
        t == null ? task.shm_open(name, oflag) : t.end(t.begin(task, 'shm_open', name, oflag), task.shm_open(name, oflag))
    }

    /** shm_unlink(3): the name goes; the file, once no descriptor or mapping holds it. */
    int shm_unlink(String name) {
        live()
        Trace t = task.kernel().trace()
        t == null ? task.shm_unlink(name) : t.end(t.begin(task, 'shm_unlink', name), task.shm_unlink(name))
    }

    /** mount -o remount,OPTIONS TARGET: the tmpfs at /dev/shm takes huge= (always, within_size, advise, never). */
    int remount(String target, String options) {
        live()
        Trace t = task.kernel().trace()
        t == null ? task.remount(target, options) : t.end(t.begin(task, 'remount', target, options), task.remount(target, options))
    }

    int ftruncate(int fd, long len) {
        live()
        Trace t = task.kernel().trace()
        t == null ? task.ftruncate(fd, len) : t.end(t.begin(task, 'ftruncate', fd, len), task.ftruncate(fd, len))
    }

    int fallocate(int fd, int mode, long off, long len) {
        live()
        Trace t = task.kernel().trace()
        t == null ? task.fallocate(fd, mode, off, len) : t.end(t.begin(task, 'fallocate', fd, mode, off, len), task.fallocate(fd, mode, off, len))
    }

    int close(int fd) {
        live()
        Trace t = task.kernel().trace()
        t == null ? task.close(fd) : t.end(t.begin(task, 'close', fd), task.close(fd))
    }

    int madvise(long addr, long len, int advice) {
        live()
        Trace t = task.kernel().trace()
        t == null ? task.madvise(addr, len, advice) : t.end(t.begin(task, 'madvise', addr, len, advice), task.madvise(addr, len, advice))
    }

    int mprotect(long addr, long len, int prot) {
        live()
        Trace t = task.kernel().trace()
        t == null ? task.mprotect(addr, len, prot) : t.end(t.begin(task, 'mprotect', addr, len, prot), task.mprotect(addr, len, prot))
    }

    int mlock(long addr, long len) {
        live()
        Trace t = task.kernel().trace()
        t == null ? task.mlock(addr, len) : t.end(t.begin(task, 'mlock', addr, len), task.mlock(addr, len))
    }

    int munlock(long addr, long len) {
        live()
        Trace t = task.kernel().trace()
        t == null ? task.munlock(addr, len) : t.end(t.begin(task, 'munlock', addr, len), task.munlock(addr, len))
    }

    long mremap(long addr, long oldLen, long newLen, int flags, long newAddr = 0) {
        live()
        Trace t = task.kernel().trace()
        t == null ? task.mremap(addr, oldLen, newLen, flags, newAddr)
                : t.end(t.begin(task, 'mremap', addr, oldLen, newLen, flags, newAddr), task.mremap(addr, oldLen, newLen, flags, newAddr))
    }

    /**
     * migrate_pages(2) with node lists for the masks: {@code migrate_pages(pid, [0], [1])} moves the THPs
     * of process {@code pid} (0: this one) from node 0 to node 1; returns the folios not migrated or -errno.
     */
    long migrate_pages(int pid, List<Integer> oldNodes, List<Integer> newNodes) {
        live()
        for (Object n : oldNodes + newNodes) {
            if (!(n instanceof Integer) || (n as int) < 0) throw new IllegalArgumentException("migrate_pages takes node numbers 0 or more, got ${n}")
        }
        Trace t = task.kernel().trace()
        t == null ? task.migrate_pages(pid, oldNodes, newNodes)
                : t.end(t.begin(task, 'migrate_pages', pid, oldNodes, newNodes), task.migrate_pages(pid, oldNodes, newNodes))
    }

    /** prctl(2): PR_SET_THP_DISABLE (arg3: PR_THP_DISABLE_EXCEPT_ADVISED) and PR_GET_THP_DISABLE; others -EINVAL. */
    long prctl(int option, long arg2 = 0, long arg3 = 0, long arg4 = 0, long arg5 = 0) {
        live()
        Trace t = task.kernel().trace()
        t == null ? task.prctl(option, arg2, arg3, arg4, arg5)
                : t.end(t.begin(task, 'prctl', option, arg2, arg3, arg4, arg5), task.prctl(option, arg2, arg3, arg4, arg5))
    }

    /** fork(): a child sharing this process's memory copy-on-write; returns its pid or a negative errno. */
    long fork() { fork("${task.name()}-child${children + 1}".toString(), null) }

    /** fork { … }: the child runs the block, as its own process, from now. */
    long fork(@DelegatesTo(value = ProcessContext, strategy = Closure.DELEGATE_FIRST) Closure body) {
        fork("${task.name()}-child${children + 1}".toString(), body)
    }

    long fork(String childName, @DelegatesTo(value = ProcessContext, strategy = Closure.DELEGATE_FIRST) Closure body) {
        live()
        children++
        Task.Body childBody = body == null ? null : { Task child ->
            Closure c = body.rehydrate(new ProcessContext(child), body.owner, body.thisObject)
            c.resolveStrategy = Closure.DELEGATE_FIRST
            if (body.thisObject instanceof ScenarioScript) ((ScenarioScript) body.thisObject).runBody(child, c)
            else c.call()
        } as Task.Body
        Trace t = task.kernel().trace()
        t == null ? task.fork(childName, childBody) : t.end(t.begin(task, 'fork'), task.fork(childName, childBody))
    }

    /** The pid of this process. */
    int getPid() { task.pid() }

    /** A /proc/meminfo field, in the unit the file prints (kB, or pages for HugePages_*). */
    long meminfo(String field) {
        traced({ task.kernel().views.meminfo(field) }, 'meminfo', field)
    }

    /** A /proc/vmstat counter. */
    long vmstat(String counter) {
        traced({ task.kernel().views.vmstat(counter) }, 'vmstat', counter)
    }

    /** A sysfs file: a number when the file holds one, else its text. */
    def sysfs(String path) {
        live()
        String text = task.kernel().views.sysfs(path)
        def value = text.isLong() ? text.toLong() : text
        Trace t = task.kernel().trace()
        t == null ? value : t.checkpoint(t.begin(task, 'sysfs', path), value)
    }

    /** Writes a sysfs file; returns 0 or a negative errno. */
    int sysfs(String path, Object value) {
        traced({ task.kernel().views.sysfsWrite(path, value.toString()) }, 'sysfs_write', path, value.toString())
    }

    long sysctl(String name) {
        traced({ task.kernel().views.sysctl(name) }, 'sysctl', name)
    }

    int sysctl(String name, long value) {
        traced({ task.sysctl(name, value) }, 'sysctl_write', name, value)
    }

    /** /proc/self/smaps for the mapping containing addr (kB; VmFlags as text), or null. */
    Map smaps(long addr) {
        traced({ task.kernel().views.smaps(task, addr) }, 'smaps', addr)
    }

    /**
     * A cgroup file: {@code cgroup('a/hugetlb.2MB.rsvd.current')}, {@code cgroup('svc/memory.current')}
     * (bytes), {@code cgroup('svc/memory.max')} (bytes or 'max'), {@code cgroup('svc/memory.stat').anon},
     * {@code cgroup('svc/memory.events').oom_kill} (memory.stat, memory.events, memory.swap.events as maps).
     */
    def cgroup(String path) {
        traced({ task.kernel().views.cgroupFile(path) }, 'cgroup', path)
    }

    /**
     * Writes a cgroup file: {@code cgroup 'a/hugetlb.2MB.max', 10 * 2.MB}, {@code cgroup 'svc/memory.max', 16.GB}
     * (or 'max'), {@code cgroup 'svc/memory.reclaim', 1.GB}. Returns 0, or -EAGAIN from memory.reclaim
     * when less was reclaimed.
     */
    int cgroup(String path, Object value) {
        live()
        Trace t = task.kernel().trace()
        Trace.Op op = t?.begin(task, 'cgroup_write', path, value)
        int r = task.cgroupWrite(path, value instanceof CharSequence ? value.toString() : value)
        if (op != null) t.checkpoint(op, (long) r)
        r
    }

    /**
     * /proc/zoneinfo: per zone, min/low/high, managed, nr_free_pages, and the RFC's zone counters
     * nr_reserved_thp, nr_free_reserved_thp (pages), which the kernel shows only in showMem()'s dump.
     */
    List<Map> zoneinfo() {
        traced({ task.kernel().views.zoneinfo() }, 'zoneinfo')
    }

    /** The memory dump of sysrq-m and of the OOM report (show_free_areas()): one line per zone. */
    List<String> showMem() {
        traced({ task.kernel().views.showMem() }, 'showMem')
    }

    /** /proc/pagetypeinfo: pageblocks per migratetype. */
    Map pagetypeinfo() {
        traced({ task.kernel().views.pagetypeinfo() }, 'pagetypeinfo')
    }

    /** /proc/buddyinfo: a line per zone with its free chunks of each order, 0 to MAX_PAGE_ORDER. */
    List<String> buddyinfo() {
        traced({ task.kernel().views.buddyinfo() }, 'buddyinfo')
    }

    /** /proc/pagetypeinfo's free-pages table: rows [node, zone, type, free: chunks per order]. */
    List<Map> pagetypeinfoFree() {
        traced({ task.kernel().views.pagetypeinfoFree() }, 'pagetypeinfoFree')
    }

    /** /sys/kernel/debug/extfrag/unusable_index: a line per zone, the unusable free index of each order. */
    List<String> unusableIndex() {
        traced({ task.kernel().views.unusableIndex() }, 'unusableIndex')
    }

    /**
     * A read or write of the kernel's files and sysctls: the trace records it with its result (for
     * kernel-check) when the run keeps one. The call runs after its trace entry begins.
     */
    private <T> T traced(Closure<T> call, String op, Object... args) {
        live()
        Trace t = task.kernel().trace()
        t == null ? call.call() : t.checkpoint(t.begin(task, op, args), call.call())
    }

    def methodMissing(String name, args) {
        throw new MissingMethodException(name, ProcessContext, args as Object[])
    }
}
