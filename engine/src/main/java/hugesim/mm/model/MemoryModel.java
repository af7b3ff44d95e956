package hugesim.mm.model;

import hugesim.mm.hugetlb.Hstate;
import hugesim.mm.page.PageAlloc;
import hugesim.mm.page.PageAllocator;
import hugesim.mm.rthp.ReservedThp;
import hugesim.mm.swap.SwapDevice;
import hugesim.mm.thp.ThpSettings;
import hugesim.record.Event;
import hugesim.sim.Environment;
import hugesim.sim.WaitQueue;

import java.util.ArrayList;
import java.util.List;
import hugesim.mm.VmStat;
import hugesim.mm.Geometry;

/**
 * The memory-management state of one booted machine, shared by the fault path, the syscalls and
 * reclaim: the page allocator, the HugeTLB pools, the Reserved THP quota, swap and the counters.
 */
public final class MemoryModel {
    public final Environment env;
    public final Geometry geometry;
    public final PageAllocator pages;
    /** The allocation entry point (__alloc_pages()). */
    public final PageAlloc alloc;
    public final List<Hstate> hstates;
    public final Hstate defaultHstate;
    public final ReservedThp rthp;
    /** The zoneNosplit design's zone (docs/model.md 7.3), off unless the machine booted with nosplit=. */
    public final hugesim.mm.nosplit.ZoneNosplit nosplit;
    public final SwapDevice swap;
    public final ThpSettings thp;
    /** THP folios mapped by PTEs, and the deferred-split queue. */
    public final hugesim.mm.thp.DeferredSplit deferredSplit;
    /** Kernel allocations workloads make: unmovable and reclaimable slab. */
    public final hugesim.mm.slab.Slab slab;
    /** Files' pages kept in memory, and their writeback to the disk. */
    public final hugesim.mm.filemap.PageCache pageCache;
    public final hugesim.mm.filemap.Flusher flusher;
    /** Shared memory: shmem files, /dev/shm, their huge pages. */
    public final hugesim.mm.shmem.Shmem shmem;
    /** The disk files live on. */
    public final hugesim.mm.filemap.Disk disk;
    public final long[] vmstat = new long[VmStat.VALUES.length];
    /** Anonymous pages and THPs mapped, over all processes (what /proc/meminfo's Anon* fields read). */
    public final hugesim.mm.vma.AnonStat anon = new hugesim.mm.vma.AnonStat();
    /** Every process's page tables: where their pages come from, and how many there are (meminfo PageTables). */
    public final hugesim.mm.vma.PageTables.Machine pageTables;
    /** Faults stalled on VM_FAULT_OOM waiting for a reserved pageblock to be freed. */
    public final WaitQueue reservedBlockWaiters = new WaitQueue();
    /** Faults stalled waiting for ordinary memory. */
    public final WaitQueue memoryWaiters = new WaitQueue();
    private final List<Event> events;
    /** Copy-on-write sharing after fork: share id → number of mappings holding the window's memory. */
    private final java.util.HashMap<Long, Integer> shares = new java.util.HashMap<>();
    private long nextShare = 1;

    public MemoryModel(Environment env, Geometry geometry, PageAllocator pages, List<Hstate> hstates, Hstate defaultHstate,
                       ReservedThp rthp, SwapDevice swap, ThpSettings thp, hugesim.mm.filemap.Disk disk, List<Event> events) {
        this.env = env;
        this.geometry = geometry;
        this.pages = pages;
        this.alloc = new PageAlloc(pages, geometry.pmdPages(), env, memoryWaiters, this::count);
        this.pageTables = new hugesim.mm.vma.PageTables.Machine(alloc, geometry.pmdSize(), geometry.pageSize());
        this.hstates = new ArrayList<>(hstates);
        this.defaultHstate = defaultHstate;
        this.rthp = rthp;
        this.swap = swap;
        this.thp = thp;
        this.events = events;
        this.deferredSplit = new hugesim.mm.thp.DeferredSplit(pages, this::count, this::reservedBlockFreed, this::memoryFreed);
        this.nosplit = new hugesim.mm.nosplit.ZoneNosplit(pages);
        deferredSplit.setNeverSplit(nosplit::holds);
        this.slab = new hugesim.mm.slab.Slab(pages, this::memoryFreed);
        this.disk = disk;
        this.pageCache = new hugesim.mm.filemap.PageCache(pages, geometry.pmdPages());
        this.shmem = new hugesim.mm.shmem.Shmem(pages, alloc, env, this::count, this::memoryFreed, geometry.pmdPages(), geometry.pageSize());
        // a stretch written back is clean: reclaim can free it now, so a stalled allocation looks again
        this.flusher = new hugesim.mm.filemap.Flusher(env, pageCache, disk, geometry.pageSize(), this::dirtyable, this::memoryFreed);
    }

    /** global_dirtyable_memory(): free pages above the zones' reserves (their high watermarks), plus the page cache. */
    private long dirtyable() {
        long free = 0;
        for (var z : pages.zones()) free += Math.max(0, z.usableFree(false) - z.high());
        return free + pageCache.cachedPages();
    }

    public void count(VmStat item) { vmstat[item.ordinal()]++; }

    public void count(VmStat item, long n) { vmstat[item.ordinal()] += n; }

    public long get(VmStat item) { return vmstat[item.ordinal()]; }

    public void event(String kind, String process, String detail) {
        event(env.now(), kind, process, detail);
    }

    /** An event dated {@code nanos}, e.g. a stall recorded when it ends but dated when it began. */
    public void event(long nanos, String kind, String process, String detail) {
        events.add(new Event(nanos / 1e9, kind, process, detail));
    }

    /** An event with its facts as typed values, dated {@code nanos}. */
    public void event(long nanos, String kind, String process, String detail, hugesim.record.EventData data) {
        events.add(new Event(nanos / 1e9, kind, process, detail, data));
    }

    public List<Event> events() { return events; }

    /**
     * Frees a PMD-mapped THP's block: a reserved THP's page lent by the shared pool goes back to the pool
     * (docs/model.md rule 62), any other block to the buddy allocator.
     */
    public void freeThpBlock(long block) {
        if (!rthp.putPoolPage(block)) pages.freeBlock(block);
    }

    /**
     * The sharedPool design (docs/model.md 7.2): reserved THPs come from the PMD-size HugeTLB pool, and a page
     * coming free there (or a HugeTLB reservation returned) lets a stalled reserved fault retry.
     */
    public void useSharedPool(boolean rsvd) {
        Hstate h = hstate(geometry.pmdSize());
        rthp.usePool(h, rsvd);
        h.onAvailable(this::reservedBlockFreed);
    }

    private boolean memPool, poolSpill;

    /**
     * The memPool design (docs/model.md 9): the PMD-size HugeTLB pool, sized per node, also serves pool files
     * (memfd_create(MFD_POOL)); {@code spill} lets a file's reservation take other nodes' pages when its own
     * node's are short (numa: 'preferred').
     */
    public void useMemPool(boolean spill) {
        memPool = true;
        poolSpill = spill;
    }

    /** Whether the machine booted with memPool's pool (MFD_POOL and memory.pool.* exist). */
    public boolean memPool() { return memPool; }

    /** Whether a pool file's reservation may spill over to other nodes (rule 81). */
    public boolean poolSpill() { return poolSpill; }

    /** A reserved pageblock went back to the free list: a stalled reserved fault may retry. */
    public void reservedBlockFreed() {
        reservedBlockWaiters.wakeOne(env);
    }

    public void memoryFreed() {
        while (!memoryWaiters.isEmpty()) memoryWaiters.wakeOne(env);
    }

    /**
     * Memory stopped being accessed: every stalled fault retries, as the kernel's VM_FAULT_OOM retry
     * loop would, and its reclaim may find the memory unreferenced now.
     */
    public void accessStopped() {
        while (!reservedBlockWaiters.isEmpty()) reservedBlockWaiters.wakeOne(env);
        memoryFreed();
    }

    /** One more mapping holds the memory of a window (fork): returns the window's share id. */
    public long share(long id) {
        if (sharers(id) <= 1) {
            // a private window (or a stale id left by a partner that has gone) starts a new share
            unshare(id);
            id = nextShare++;
            shares.put(id, 1);
        }
        shares.merge(id, 1, Integer::sum);
        return id;
    }

    /** Mappings holding the memory of share {@code id} (1 when it is private again, 0 for no share). */
    public int sharers(long id) {
        return id == 0 ? 0 : shares.getOrDefault(id, 0);
    }

    /** One mapping lets go; returns how many still hold it (0: the memory may be freed). */
    public int unshare(long id) {
        if (id == 0) return 0;
        int left = shares.merge(id, -1, Integer::sum);
        if (left <= 0) shares.remove(id);
        return Math.max(left, 0);
    }

    public Hstate hstate(long size) {
        for (Hstate h : hstates) if (h.size == size) return h;
        return null;
    }
}
