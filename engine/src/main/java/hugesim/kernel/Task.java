package hugesim.kernel;

import hugesim.mm.Fault;
import hugesim.mm.page.AllocRequest;
import hugesim.mm.page.Allocation;
import hugesim.mm.page.Gfp;
import hugesim.mm.Inode;
import hugesim.mm.hugetlb.HugetlbFile;
import hugesim.mm.shmem.ShmemFile;
import hugesim.uapi.Fcntl;
import hugesim.mm.vma.Mm;
import hugesim.mm.vma.Vma;
import hugesim.mm.vma.VmFlags;
import hugesim.record.Event;
import hugesim.record.EventData;
import hugesim.sim.Process;
import hugesim.uapi.Errno;
import hugesim.units.Bandwidth;
import hugesim.units.Size;

import static hugesim.uapi.Mman.*;

/**
 * A process as its body sees it: the kernel's syscalls with their argument order and return convention
 * (an address, 0, or a negative errno), plus the workload's own verbs (touch, idle, sleep, exit).
 * Calls run in simulated time; a call that faults may take time (swap I/O, a stall).
 */
public final class Task {
    /** What a process does; it calls the kernel through its task. */
    @FunctionalInterface
    public interface Body {
        void run(Task task) throws Exception;
    }

    /** How a policy backs {@code mapHuge}: returns the address, or throws {@link CallFailed}. */
    @FunctionalInterface
    public interface HugeMapper {
        long map(Task t, long size);
    }

    /** A workload call that failed with an errno: the process records it and exits. */
    public static final class CallFailed extends RuntimeException {
        public final String call;
        public final long errno;

        public CallFailed(String call, long errno) {
            super(call + " failed: " + Errno.name(errno), null, false, false);
            this.call = call;
            this.errno = errno;
        }
    }

    final Kernel k;
    public final Mm mm;
    private Process process;
    private HugeMapper mapper;
    private double lastTouchDone = Double.NaN;
    private boolean touching;

    Task(Kernel k, Mm mm) {
        this.k = k;
        this.mm = mm;
    }

    public String name() { return mm.name; }

    public int pid() { return mm.pid; }

    public Kernel kernel() { return k; }

    public boolean started() { return process != null; }

    public boolean exited() { return mm.exited; }

    public double lastTouchDone() { return lastTouchDone; }

    /** True when a touch or read began and never finished: still stalled or running when the run ended, or killed. */
    public boolean touchUnfinished() { return touching; }

    public void bind(Process p, HugeMapper mapper) {
        this.process = p;
        this.mapper = mapper;
        p.attach(this);
    }

    // ---- syscalls -------------------------------------------------------------------------------

    public long mmap(long addr, long len, int prot, int flags) {
        long a = settled(k.mmap.mmap(mm, addr, len, prot, flags));
        if (Errno.isError(a) || (flags & MAP_POPULATE) == 0) return a;
        // MAP_POPULATE: kernel-initiated faults; a failure leaves the mapping in place (mm_populate)
        Vma v = mm.find(a);
        if (v != null) populate(v, v.start, v.end, (prot & PROT_WRITE) != 0);
        return a;
    }

    /**
     * A write to /proc/sys/vm/{@code name}: the writer runs what its handler does, and waits for the
     * migrations of a vm.compact_memory write (compact_nodes() runs in the writing task).
     */
    public int sysctl(String name, long value) {
        int r = k.views.sysctl(name, value);
        long nanos = k.compaction.takeWriterNanos();
        if (nanos > 0 && process != null) process.sleep(nanos);
        return r;
    }

    /**
     * A write to a cgroup file: a hugetlb limit, or a memory controller file (memory.max, memory.high,
     * memory.low, memory.swap.max: bytes or "max"; memory.reclaim: bytes). A write of memory.max or
     * memory.high below the usage reclaims (and for memory.max OOM-kills) in the writing task before it
     * returns, as memory_max_write() and memory_high_write() do; memory.reclaim returns 0 or -EAGAIN when
     * less was reclaimed (memory_reclaim()). Returns 0 or a negative errno.
     */
    public int cgroupWrite(String path, Object value) {
        if (!MemcgFiles.isMemcg(path)) {
            if (!(value instanceof Number n)) throw new IllegalArgumentException("a hugetlb cgroup limit is a size in bytes, got '" + value + "'");
            k.views.cgroup(path, n.longValue());
            return 0;
        }
        MemcgFiles files = new MemcgFiles(k);
        String file = MemcgFiles.file(path);
        if (!files.writable().contains(file)) {
            files.checkPool(file);
            if (files.readable().contains(file)) throw new IllegalArgumentException("memory cgroup file '" + file + "' is not writable; writable: " + String.join(", ", files.writable()));
            throw MemcgFiles.unknown(file, files.readable());
        }
        var cg = files.cgroupOf(path);
        long pages = files.pages(file, value);
        if (file.equals("memory.pool.max")) { cg.setPoolMax(pages); return 0; }
        var charge = k.reclaim.memcg;
        int[] result = {0};
        boolean[] done = {false};
        Runnable wake = () -> {
            done[0] = true;
            if (process != null) process.unpark();
        };
        switch (file) {
            case "memory.low" -> { charge.writeLow(cg, pages); return 0; }
            case "memory.swap.max" -> { charge.writeSwapMax(cg, pages); return 0; }
            case "memory.max" -> charge.writeMax(cg, pages, wake);
            case "memory.high" -> charge.writeHigh(cg, pages, wake);
            default -> charge.reclaim(cg, pages, r -> {
                result[0] = r;
                wake.run();
            });
        }
        while (!done[0]) {
            process.park();
            if (mm.exited) throw new Process.Unwind();
        }
        return result[0];
    }

    /** The call is over: page tables that its VMA changes left unneeded are freed (free_pgtables()). */
    private int settled(int r) {
        mm.tables.settle();
        return r;
    }

    private long settled(long r) {
        mm.tables.settle();
        return r;
    }

    public int munmap(long addr, long len) {
        waitForSwapIo();
        return settled(k.mmap.munmap(mm, addr, len));
    }

    public int madvise(long addr, long len, int advice) {
        waitForSwapIo();
        return settled(k.madvise.madvise(mm, addr, len, advice));
    }

    /** mmap(2) of a file descriptor (a hugetlbfs or shmem file) at byte offset {@code off}. */
    public long mmap(long addr, long len, int prot, int flags, int fd, long off) {
        if ((flags & MAP_ANONYMOUS) != 0) return mmap(addr, len, prot, flags);
        Inode f = mm.files.get(fd);
        if (f == null) return -Errno.EBADF;
        long a = k.mmap.mmap(mm, addr, len, prot, flags, f, off);
        if (Errno.isError(a) || (flags & MAP_POPULATE) == 0) return a;
        Vma v = mm.find(a);
        if (v != null) populate(v, v.start, v.end, (prot & PROT_WRITE) != 0);
        return a;
    }

    /**
     * memfd_create(2): a shmem file on the internal mount, or with MFD_HUGETLB a hugetlbfs one; other flags
     * than MFD_CLOEXEC and MFD_ALLOW_SEALING (and MFD_HUGETLB's size) are -EINVAL, as on 6.1. Under the memPool
     * design MFD_POOL makes a pool file (docs/model.md rule 80), charged to the caller's memory cgroup.
     */
    public int memfd_create(String name, int flags) {
        if ((flags & MFD_POOL) != 0) {
            if (!k.m.memPool() || (flags & (MFD_HUGETLB | (0x3f << MAP_HUGE_SHIFT))) != 0) return -Errno.EINVAL;
            var cg = mm.memcg;
            HugetlbFile.PoolCharge charge = cg == null ? HugetlbFile.PoolCharge.ROOT : new HugetlbFile.PoolCharge() {
                public boolean tryCharge(long pages) { return cg.tryChargePool(pages); }

                public void uncharge(long pages) { cg.unchargePool(pages); }
            };
            return mm.open(new HugetlbFile(k.m.hstate(k.m.geometry.pmdSize()), name, charge));
        }
        if ((flags & MFD_HUGETLB) == 0) {
            if ((flags & ~(MFD_CLOEXEC | MFD_ALLOW_SEALING)) != 0) return -Errno.EINVAL;
            return mm.open(k.m.shmem.create("memfd:" + name));
        }
        int shift = (flags >>> MAP_HUGE_SHIFT) & 0x3f;
        var h = shift == 0 ? k.m.defaultHstate : k.m.hstate(1L << shift);
        if (h == null) return -Errno.EINVAL;
        return mm.open(new HugetlbFile(h, name));
    }

    /**
     * shm_open(3): a file of /dev/shm, the tmpfs mount (huge= as the machine mounts it, never by default).
     * O_CREAT makes it when there is none (-EEXIST with O_EXCL when there is), O_TRUNC empties it; without
     * O_CREAT a missing name is -ENOENT. The name is one path component, as glibc requires.
     */
    public int shm_open(String name, int oflag) {
        String n = name.startsWith("/") ? name.substring(1) : name;
        if (n.isEmpty() || n.contains("/") || n.equals(".") || n.equals("..")) return -Errno.EINVAL;
        if (n.length() > 255) return -Errno.ENAMETOOLONG;
        ShmemFile f = k.m.shmem.lookup(n);
        if (f != null && (oflag & (Fcntl.O_CREAT | Fcntl.O_EXCL)) == (Fcntl.O_CREAT | Fcntl.O_EXCL)) return -Errno.EEXIST;
        if (f == null) {
            if ((oflag & Fcntl.O_CREAT) == 0) return -Errno.ENOENT;
            f = k.m.shmem.link(n);
        } else if ((oflag & Fcntl.O_TRUNC) != 0 && (oflag & (Fcntl.O_WRONLY | Fcntl.O_RDWR)) != 0) {
            truncate(f, 0);
        }
        return mm.open(f);
    }

    /**
     * mount(2) with MS_REMOUNT of a tmpfs: {@code remount("/dev/shm", "huge=within_size")}. The model has one tmpfs
     * mount, /dev/shm, and one option, huge= (always, within_size, advise, never); another target is -EINVAL, and
     * so is another option (simplification: tmpfs's size=, nr_inodes= and mode= are not modelled).
     */
    public int remount(String target, String options) {
        if (!target.equals("/dev/shm") && !target.equals("/dev/shm/")) return -Errno.EINVAL;
        String huge = null;
        for (String o : options.split(",")) {
            if (!o.startsWith("huge=")) return -Errno.EINVAL;
            huge = o.substring(5);
        }
        if (huge == null || !k.m.shmem.setDevShmHuge(huge)) return -Errno.EINVAL;
        return 0;
    }

    /** shm_unlink(3): the name goes from /dev/shm; the file, once nothing holds it. 0, or -ENOENT. */
    public int shm_unlink(String name) {
        String n = name.startsWith("/") ? name.substring(1) : name;
        return k.m.shmem.unlink(n) ? 0 : -Errno.ENOENT;
    }

    public int close(int fd) {
        Inode f = mm.files.remove(fd);
        if (f == null) return -Errno.EBADF;
        f.put();
        return 0;
    }

    /**
     * ftruncate(2). A hugetlbfs file takes huge-page-aligned sizes only, and shrinking removes pages beyond. A
     * shmem file takes any size; shrinking unmaps and frees its stretches from the one the new size falls in on
     * (simplification: a stretch that the new size cuts goes whole, and faults back in).
     */
    public int ftruncate(int fd, long len) {
        Inode i = mm.files.get(fd);
        if (i == null) return -Errno.EBADF;
        if (len < 0) return -Errno.EINVAL;
        if (i instanceof ShmemFile s) {
            truncate(s, len);
            return 0;
        }
        HugetlbFile f = (HugetlbFile) i;
        if (len % f.hstate.size != 0) return -Errno.EINVAL;
        // rule 81: a pool file reserves what its size gains, before the size changes
        if (f.pool() && len > f.size()) {
            int r = f.reservePool(f.size() / f.hstate.size, len / f.hstate.size, mm.node, k.m.poolSpill());
            if (r != 0) return r;
        }
        if (len < f.size()) k.punchHole(f, len / f.hstate.size, Long.MAX_VALUE / f.hstate.size);
        f.setSize(len);
        return 0;
    }

    /** shmem_setattr(): i_size becomes {@code len}; below the old size, what lies past it is unmapped and freed. */
    private void truncate(ShmemFile f, long len) {
        if (len < f.size()) k.punchHole(f, len / k.m.geometry.pmdSize(), Long.MAX_VALUE);
        k.m.shmem.setSize(f, len);
    }

    /**
     * fallocate(2). On hugetlbfs, mode 0 allocates the huge pages covering the range (consuming the file's
     * reservations, else free − resv: -ENOSPC when the pool is short); FALLOC_FL_PUNCH_HOLE (with
     * FALLOC_FL_KEEP_SIZE) frees the whole huge pages inside the range. On shmem (shmem_fallocate()), mode 0
     * allocates the PMD-sized stretches the range touches, THPs where shmem_is_huge() lets it (with no VMA: no
     * advice), waiting for reclaim as a fault does (-ENOMEM when the cgroup or the machine has none to give); a
     * hole frees the whole stretches inside the range.
     */
    public int fallocate(int fd, int mode, long off, long len) {
        Inode i = mm.files.get(fd);
        if (i == null) return -Errno.EBADF;
        if (off < 0 || len <= 0) return -Errno.EINVAL;
        if ((mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE)) != 0) return -Errno.EOPNOTSUPP;
        long size = i instanceof HugetlbFile h ? h.hstate.size : k.m.geometry.pmdSize();
        if ((mode & FALLOC_FL_PUNCH_HOLE) != 0) {
            if ((mode & FALLOC_FL_KEEP_SIZE) == 0) return -Errno.EOPNOTSUPP;
            long first = (off + size - 1) / size, last = (off + len) / size;
            if (last > first) k.punchHole(i, first, last);
            return 0;
        }
        long from = off / size, to = (off + len + size - 1) / size;
        if (i instanceof ShmemFile s) return shmemFallocate(s, mode, off, len, from, to);
        HugetlbFile f = (HugetlbFile) i;
        if (f.pool()) {
            int r = f.reservePool(from, to, mm.node, k.m.poolSpill());   // rule 81: what the size did not reserve
            if (r != 0) return r;
        }
        for (long x = from; x < to; x++) {
            if (f.allocate(x, mm.cgroup, mm.node) < 0) return -Errno.ENOSPC;
        }
        if ((mode & FALLOC_FL_KEEP_SIZE) == 0 && f.size() < off + len) f.setSize(off + len);
        return 0;
    }

    private int shmemFallocate(ShmemFile f, int mode, long off, long len, long from, long to) {
        long end = Math.max(f.size(), off + len);
        for (long x = from; x < to; x++) {
            boolean reclaimed = false;
            while (true) {
                boolean huge = k.m.shmem.isHuge(f, x, false, false);
                var r = new hugesim.mm.shmem.Shmem.Request(mm.node, mm.memcg, mm.pid, huge,
                        !reclaimed && k.m.thp.directReclaim(false), k.m.thp.kswapdReclaim(false), () -> process.unpark(), k.reclaim.memcg);
                int got = k.m.shmem.getFolio(f, x, end, r);
                if (got == Fault.DONE) break;
                if (got == hugesim.mm.shmem.Shmem.HUGE_WAIT) reclaimed = true;
                if (got == Fault.WAIT || got == hugesim.mm.shmem.Shmem.HUGE_WAIT) { process.park(); continue; }
                if (got == Fault.KILLED) throw new Process.Unwind();
                return -Errno.ENOMEM;
            }
        }
        if ((mode & FALLOC_FL_KEEP_SIZE) == 0 && f.size() < off + len) k.m.shmem.setSize(f, off + len);
        return 0;
    }

    public int mprotect(long addr, long len, int prot) {
        waitForSwapIo();
        return settled(k.mprotect.mprotect(mm, addr, len, prot));
    }

    /** mlock(): VM_LOCKED over the range, then the range is faulted in (ENOMEM when that fails). */
    public int mlock(long addr, long len) {
        waitForSwapIo();
        int r = settled(k.mprotect.lock(mm, addr, len, true));
        if (r != 0) return r;
        long page = k.m.geometry.pageSize();
        long start = Math.floorDiv(addr, page) * page, end = addr + len;
        for (Vma v : mm.intersecting(start, end)) {
            int p = populate(v, Math.max(start, v.start), Math.min(end, v.end), true);
            if (p != 0) return -Errno.ENOMEM;
        }
        return 0;
    }

    public int munlock(long addr, long len) {
        waitForSwapIo();
        int r = settled(k.mprotect.lock(mm, addr, len, false));
        // munlock_folio(): the pages go back onto the evictable LRU lists (up to a hole, when ENOMEM)
        long end = addr + len;
        for (Vma v : mm.intersecting(addr, end)) {
            if (v.has(hugesim.mm.vma.VmFlags.VM_LOCKED)) continue;
            long from = Math.max(addr, v.start), to = Math.min(end, v.end);
            for (int i = v.slotOf(from); i <= v.slotOf(to - 1); i++) k.reclaim.lru.remapped(mm, v, i);
        }
        return r;
    }

    public long mremap(long addr, long oldLen, long newLen, int flags, long newAddr) {
        waitForSwapIo();
        return settled(k.mremap.mremap(mm, addr, oldLen, newLen, flags, newAddr));
    }

    /** prctl(2): PR_SET_THP_DISABLE and PR_GET_THP_DISABLE; other options are -EINVAL. */
    public long prctl(int option, long arg2, long arg3, long arg4, long arg5) {
        return Prctl.prctl(mm, option, arg2, arg3, arg4, arg5);
    }

    /**
     * fork(): a child that shares this process's mappings copy-on-write (VM_DONTCOPY ones excepted) and its open
     * files under the same descriptors, and runs {@code body} (or nothing: it then just holds its memory). Reserved VMAs are charged to the
     * child in full; when a charge fails the half-built child is torn down and fork returns -ENOMEM
     * (RFC patch 6/8, rule 39). Returns the child's pid.
     */
    public long fork(String childName, Body body) {
        waitForSwapIo();
        Task child = k.newTask(childName);
        child.mm.node = mm.node;
        child.mm.cgroup = mm.cgroup;
        child.mm.memcg = mm.memcg;   // the child starts in its parent's cgroup
        // MMF_INIT_MASK: the THP-disable flags are inherited
        child.mm.disableThpCompletely = mm.disableThpCompletely;
        child.mm.disableThpExceptAdvised = mm.disableThpExceptAdvised;
        long pmd = k.m.geometry.pmdSize();
        for (Vma v : mm.vmas()) {
            if (v.has(VmFlags.VM_DONTCOPY)) continue;
            if (v.has(VmFlags.VM_RESERVED_THP) && k.m.rthp.charge(v.length() / pmd) != 0) {
                k.mmap.teardown(child.mm);
                return -Errno.ENOMEM;
            }
            child.mm.insert(k.mmap.copyForFork(mm, v, child.mm));
        }
        k.khugepaged.fork(mm, child.mm);   // khugepaged_fork() in dup_mmap()
        child.mm.inheritFiles(mm);   // copy_files(): the descriptor table is copied
        var proc = k.env.process(childName, k.env.now(), self -> {
            k.record("process_start", childName, "pid " + child.pid() + ", forked from " + pid(),
                    new EventData.Started(child.pid(), pid()));
            if (body != null) body.run(child);
        });
        child.bind(proc, mapper);
        return child.pid();
    }

    /**
     * migrate_pages(2): the THPs of process {@code pid} (0: this one) on {@code oldNodes} move to
     * {@code newNodes} (mm/mempolicy.c kernel_migrate_pages()). Returns the folios not migrated, or -ESRCH,
     * -EPERM, -EINVAL. Simplification: the moves happen at once; the caller then waits for the copies at
     * the machine's migration bandwidth.
     */
    public long migrate_pages(int pid, java.util.List<Integer> oldNodes, java.util.List<Integer> newNodes) {
        Task target = pid == 0 ? this : null;
        for (Task t : k.tasks()) if (target == null && t.pid() == pid) target = t;
        if (target == null || target.mm.exited) return -Errno.ESRCH;
        // a THP under swap I/O is migrated once the I/O is over (MIGRATE_SYNC waits for writeback)
        waitForSwapIo(target.mm);
        long r = k.mempolicy.kernelMigratePages(target.mm, oldNodes, newNodes);
        long bytes = k.migrate.takeBytesCopied();
        if (bytes > 0) process.sleep(k.config.migrate().nanosFor(bytes));
        return r;
    }

    /**
     * Blocks until no window of this process is under swap I/O. Simplification: syscalls that change
     * VMAs (fork, mremap, munmap, madvise, mprotect, mlock) wait for it rather than racing the writes.
     */
    private void waitForSwapIo() {
        waitForSwapIo(mm);
    }

    private void waitForSwapIo(Mm of) {
        while (of.swapIoInFlight > 0) process.sleep(1_000_000);
    }

    // ---- workload verbs -------------------------------------------------------------------------

    /** Maps {@code size} bytes of huge memory the way the policy backs it. */
    public long mapHuge(long size) {
        if (size <= 0) throw new IllegalArgumentException("mapHuge needs a positive size, got " + size + " bytes");
        try {
            long addr = mapper.map(this, size);
            // a moment a reader of the timeline and the chart looks for, as are idle and exit
            k.record("map_huge", name(), String.format("%s at 0x%x", Size.format(size), addr));
            return addr;
        } catch (CallFailed f) {
            String kind = f.call.startsWith("madvise") ? Event.MADVISE_FAILED : f.call.startsWith("mmap") ? Event.MMAP_FAILED : Event.SYSCALL_FAILED;
            k.record(kind, name(),
                    f.call + " = -" + Errno.name(f.errno), new EventData.CallFailed(f.call, Errno.name(f.errno)));
            exit();
            return -f.errno;
        }
    }

    /**
     * Accesses [addr, addr + len): writes by default, faulting in what is not mapped, swapping in what
     * was swapped out. With a rate, the accesses take len / rate; without, only as long as faults wait.
     * With {@code keep}, the range stays in the workload's working set afterwards (accessed until it goes
     * idle); without, this pass is its only access.
     */
    public void touch(long addr, long len, Bandwidth rate, boolean write, boolean keep) {
        if (len <= 0) throw new IllegalArgumentException("touch needs a positive length, got " + len + " bytes");
        touching = true;
        Touch t = new Touch(this, addr, addr + len, rate, write, keep, process::unpark);
        t.step();
        awaitDone(t::done);
        if (mm.exited) throw new Process.Unwind();
        touching = false;
        lastTouchDone = k.env.now() / 1e9;
    }

    /**
     * [addr, addr + len) is read every {@code periodNanos} from now on, alongside the body, until it goes
     * idle or the process exits: a pass faults back in what was swapped out and sets the young bits, so
     * reclaim sees a lukewarm range referenced when a pass came since its last look.
     */
    public void accessEvery(long addr, long len, long periodNanos) {
        if (len <= 0) throw new IllegalArgumentException("access needs a positive length, got " + len + " bytes");
        if (periodNanos <= 0) throw new IllegalArgumentException("access needs a positive period");
        k.record("access", name(), String.format("%s at 0x%x every %s", Size.format(len), addr, hugesim.units.Time.format(periodNanos)));
        AccessLoop loop = new AccessLoop(addr, addr + len, periodNanos);
        accessLoops.add(loop);
        loop.pass();
    }

    private final java.util.List<AccessLoop> accessLoops = new java.util.ArrayList<>();

    /** A periodic background access of a range; a pass still running when the next is due lets it go. */
    private final class AccessLoop {
        final long start, end, period;
        boolean cancelled, running;

        AccessLoop(long start, long end, long period) {
            this.start = start;
            this.end = end;
            this.period = period;
        }

        void pass() {
            if (cancelled || mm.exited) return;
            if (!running) {
                running = true;
                new Touch(Task.this, start, end, null, false, false, () -> running = false).step();
            }
            k.env.scheduleIn(period, this::pass);
        }
    }

    /** [addr, addr + len) stops being accessed: it ages onto the inactive list and may be reclaimed. */
    public void idle(long addr, long len) {
        k.record("idle", name(), String.format("%s at 0x%x", Size.format(len), addr));
        long end = addr + len;
        // simplification: a periodic access overlapping the range stops as a whole
        for (AccessLoop l : accessLoops) if (l.start < end && addr < l.end) l.cancelled = true;
        accessLoops.removeIf(l -> l.cancelled);
        for (Vma v : mm.intersecting(addr, end)) {
            long from = Math.max(addr, v.start), to = Math.min(end, v.end);
            for (int i = v.slotOf(from); i <= v.slotOf(to - 1); i++) k.reclaim.lru.idle(mm, v, i);
        }
        k.m.accessStopped();
    }

    /**
     * A kernel allocation the workload causes (slab, kmalloc: GFP_KERNEL, order-0 pages on the process's
     * node), unmovable or, with {@code reclaimable}, reclaimable (dentries and inodes: __GFP_RECLAIMABLE).
     * The request takes the slow path as a kernel allocation does: reclaim, then the OOM killer, retrying
     * until it gets its pages. With {@code lifetimeNanos} above 0 it is freed that long after. Returns
     * its handle for {@link #kernelFree}; -ENOMEM when no memory can be had at all.
     */
    public long kernelAlloc(long bytes, boolean reclaimable, long lifetimeNanos) {
        long page = k.m.geometry.pageSize();
        if (bytes <= 0) throw new IllegalArgumentException("kernelAlloc needs a positive size, got " + bytes + " bytes");
        long n = (bytes + page - 1) / page;
        int gfp = Gfp.KERNEL | (reclaimable ? Gfp.RECLAIMABLE : 0);
        while (true) {
            Allocation a = k.m.alloc.allocPages(AllocRequest.pages(n, mm.node, gfp).reclaiming(pid(), process::unpark));
            switch (a.status()) {
                case OK -> {
                    long h = k.m.slab.add(pid(), reclaimable, a.runs());
                    if (lifetimeNanos > 0) k.env.scheduleIn(lifetimeNanos, () -> k.m.slab.free(h));
                    return h;
                }
                case WAIT, STALL -> process.park();
                case KILLED -> throw new Process.Unwind();
                default -> { return -Errno.ENOMEM; }
            }
            if (mm.exited) throw new Process.Unwind();
        }
    }

    /**
     * read(2) of [offset, offset + len) of file {@code name} (made {@code offset + len} long if shorter: the
     * file is on the disk): what is not cached is read from the disk into the page cache, what is cached is a
     * hit. With a rate, the read takes at least len / rate.
     */
    public void readFile(String name, long offset, long len, Bandwidth rate) {
        fileIo(name, offset, len, false, rate);
    }

    /**
     * write(2) of {@code len} bytes to file {@code name} at {@code offset}, or at its end when
     * {@code offset} is negative (O_APPEND): the pages are dirtied in the page cache and written back later.
     */
    public void writeFile(String name, long offset, long len, Bandwidth rate) {
        fileIo(name, offset, len, true, rate);
    }

    private void fileIo(String name, long offset, long len, boolean write, Bandwidth rate) {
        String verb = write ? "writeFile" : "readFile";
        if (len <= 0) throw new IllegalArgumentException(verb + " needs a positive size, got " + len + " bytes");
        var file = k.m.pageCache.file(name);
        long from = offset < 0 ? file.size() : offset;
        if (!write) k.m.pageCache.grow(file, from + len);
        FileIo io = new FileIo(this, file, from, len, write, rate, process::unpark);
        io.step();
        awaitDone(io::done);
        if (mm.exited) throw new Process.Unwind();
    }

    /** unlink(2) of file {@code name}: its page cache goes, dirty pages unwritten. 0, or -ENOENT. */
    public int deleteFile(String name) {
        var file = k.m.pageCache.lookup(name);
        if (file == null) return -Errno.ENOENT;
        k.reclaim.truncate(file);
        return 0;
    }

    /** Frees a kernel allocation: 0, or -EINVAL when the handle names none (freed, or shrunk away whole). */
    public int kernelFree(long handle) {
        return k.m.slab.free(handle) ? 0 : -Errno.EINVAL;
    }

    public void sleep(long nanos) {
        process.sleep(nanos);
    }

    /** exit(): the address space is torn down and the body ends. */
    public void exit() {
        if (!mm.exited) {
            k.record("process_exit", name(), "exit", new EventData.Exited());
            k.khugepaged.exit(mm);   // mmput(): khugepaged_exit() before exit_mmap()
            k.mmap.teardown(mm);
            k.m.slab.exit(pid());
        }
        throw process != null ? process.stop() : new Process.Unwind();
    }

    /**
     * A body's {@code assert} failed at {@code file}:{@code line}: recorded, and the process ends as a C
     * program's assert() ends it (abort(), SIGABRT); the run goes on.
     */
    public void assertFailed(String file, int line, String message) {
        String where = line > 0 ? file + ":" + line : file;
        k.kill(this, "assert_failed", where + ": assertion failed: " + message, new EventData.AssertFailed(file, line, message));
        throw new Process.Unwind();
    }

    /** Killed by a signal or the OOM killer: teardown now, the body unwinds at its next step. */
    void die() {
        if (mm.exited) return;
        k.khugepaged.exit(mm);
        k.mmap.teardown(mm);
        k.m.slab.exit(pid());
        if (process != null) process.kill();
    }

    /**
     * Parks until {@code done}: a wake-up meant for an earlier wait (the retry a kernel-initiated fault left
     * queued when it gave up with -ENOMEM, run once memory is freed) must not end this one.
     */
    private void awaitDone(java.util.function.BooleanSupplier done) {
        while (!done.getAsBoolean() && !mm.exited) process.park();
    }

    /** Faults [from, to) of {@code v} in as the kernel does for populate: no stalls, ENOMEM or EFAULT. */
    int populate(Vma v, long from, long to, boolean write) {
        for (int i = v.slotOf(from); i <= v.slotOf(to - 1); i++) {
            while (true) {
                int r = k.memory.fault(mm, v, i, write, process::unpark, false);
                if (r == Fault.DONE) break;
                if (r == Fault.WAIT) { process.park(); continue; }
                if (r == Fault.KILLED) throw new Process.Unwind();
                return r == Fault.SIGBUS ? -Errno.EFAULT : -Errno.ENOMEM;
            }
        }
        return 0;
    }

    void sigbus(long addr) {
        k.kill(this, "sigbus", String.format("SIGBUS at 0x%x: no huge page for the fault", addr), new EventData.Killed("SIGBUS", addr));
    }

    void sigsegv(long addr) {
        k.kill(this, "sigsegv", String.format("SIGSEGV at 0x%x: no mapping", addr), new EventData.Killed("SIGSEGV", addr));
    }

    /** Records a stall; its length is kept to the millisecond, as the detail line prints it. */
    void stalled(long startNanos, long addr, boolean ended) {
        double seconds = (k.env.now() - startNanos) / 1e9;
        k.m.event(startNanos, "fault_stall", name(), String.format(java.util.Locale.ROOT,
                "VM_FAULT_OOM at 0x%x: stalled %.3f s from %.3f s%s", addr, seconds, startNanos / 1e9,
                ended ? "" : " (still stalled when the run ended)"), new EventData.Stalled(addr, Math.round((k.env.now() - startNanos) / 1e6) / 1e3, !ended));
    }
}
