package hugesim.kernel;

import hugesim.mm.Geometry;
import hugesim.mm.memory.Memory;
import hugesim.mm.model.MemoryModel;
import hugesim.mm.VmStat;
import hugesim.mm.hugetlb.CmaArea;
import hugesim.mm.hugetlb.Hstate;
import hugesim.mm.migrate.Compaction;
import hugesim.mm.migrate.Mempolicy;
import hugesim.mm.migrate.Migrate;
import hugesim.mm.page.AllocRequest;
import hugesim.mm.page.Gfp;
import hugesim.mm.page.MigrateType;
import hugesim.mm.page.PageAllocator;
import hugesim.mm.page.Zone;
import hugesim.mm.reclaim.Reclaim;
import hugesim.mm.rthp.ReservedThp;
import hugesim.mm.swap.SwapDevice;
import hugesim.mm.thp.Khugepaged;
import hugesim.mm.thp.ThpSettings;
import hugesim.mm.mmap.Madvise;
import hugesim.mm.vma.Mm;
import hugesim.mm.mmap.Mmap;
import hugesim.mm.mmap.Mprotect;
import hugesim.mm.mmap.Mremap;
import hugesim.record.Event;
import hugesim.sim.Environment;
import hugesim.units.Size;

import java.util.ArrayList;
import java.util.List;

/**
 * A booted machine: the memory model wired together, the processes running on it, and the views
 * (/proc, /sys) a user reads. Boot follows the kernel's order: memblock allocations (hugetlb_cma, boot
 * HugeTLB pages), then the buddy allocator and its watermarks, then initcalls (the RFC's reservation).
 */
public final class Kernel {
    public final MachineConfig config;
    public final Cmdline cmdline;
    public final MemoryModel m;
    public final Reclaim reclaim;
    public final Khugepaged khugepaged;
    public final Memory memory;
    public final Mmap mmap;
    public final Madvise madvise;
    public final Mprotect mprotect;
    public final Mremap mremap;
    public final hugesim.mm.mmap.Stack stack;
    public final Migrate migrate;
    public final Compaction compaction;
    public final Mempolicy mempolicy;
    public final Views views;
    final Environment env;
    private final List<Task> tasks = new ArrayList<>();
    private Trace trace;
    final List<Stalling> stallsInProgress = new ArrayList<>();
    private CmaArea cma;
    private long minFreeKbytes;
    private long watermarkScaleFactor = 10;
    private int nextPid = 1;

    private Kernel(Environment env, MachineConfig cfg, List<Event> events) {
        this.env = env;
        this.config = cfg;
        Geometry g = cfg.geometry();
        long gigantic = g.gigantic();
        this.cmdline = Cmdline.parse(cfg.cmdline(), g.pmdSize(), g.hugePageSizes());
        List<Zone> zones = new ArrayList<>();
        int blocksPerNode = (int) (cfg.memory() / cfg.nodes() / g.blockSize());
        for (int n = 0; n < cfg.nodes(); n++) {
            Zone z = new Zone(n, "Normal", blocksPerNode, g.blockPages(), g.pageblocksPerBlock());
            z.setMaxOrder(g.maxPageOrder());
            zones.add(z);
        }
        PageAllocator pages = new PageAllocator(zones, g.pageSize());
        ThpSettings thp = new ThpSettings();
        ReservedThp rthp = new ReservedThp(text -> record("kernel_warning", "kernel", text));
        SwapDevice swap = new SwapDevice(cfg.swap(), g.pageSize(), g.pmdPages(), cfg.swapWrite(), cfg.swapRead(),
                cfg.swapKind(), cfg.swapFile(), cfg.kernel(), cfg.zramRatio());
        List<Hstate> hstates = new ArrayList<>();
        Hstate pmd = new Hstate(g.pmdSize(), buddySource(pages), cfg.nodes());
        hstates.add(pmd);
        Hstate giant = null;
        if (gigantic == 0) {
            if (cmdline.hugetlbCma > 0) cmdline.log.add("hugetlb_cma: the architecture has no gigantic pages, ignored");
        } else if (cmdline.hugetlbCma > 0) {
            giant = new Hstate(gigantic, cmaSource(zones.get(0), g, gigantic), cfg.nodes());
        } else if (cmdline.hugepages.containsKey(gigantic) || cmdline.defaultHugepagesz == gigantic) {
            giant = new Hstate(gigantic, contigSource(zones, g, gigantic), cfg.nodes());
        }
        if (giant != null) hstates.add(giant);
        Hstate dflt = cmdline.defaultHugepagesz == gigantic && giant != null ? giant : pmd;
        this.m = new MemoryModel(env, g, pages, hstates, dflt, rthp, swap, thp, new hugesim.mm.filemap.Disk(cfg.disk()), events);
        this.reclaim = new Reclaim(m, () -> mms(true), this::showMem, this::oomKilled);
        m.alloc.setDirectReclaim(reclaim);
        this.khugepaged = new Khugepaged(env, g, m.alloc, m.swap, m.thp, m::count, new Khugepaged.Pages() {
            public int sharers(long id) { return m.sharers(id); }

            public void zapPtes(Mm mm, hugesim.mm.vma.Vma v, int i) { reclaim.freePtes(mm, v, i); }

            public void putFolio(long block) {
                m.pages.freeBlock(block);
                m.memoryFreed();
            }

            public void collapsed(Mm mm, hugesim.mm.vma.Vma v, int i) { reclaim.lru.newFolio(mm, v, i); }
        });
        khugepaged.useNosplit(m.nosplit::mayUse, m.nosplit::holds);
        this.memory = new Memory(m, reclaim, khugepaged, () -> mms(true));
        this.mmap = new Mmap(m, reclaim);
        this.madvise = new Madvise(m, mmap, reclaim, khugepaged, this::populate, this::punchHole);
        this.mprotect = new Mprotect(m, mmap);
        this.mremap = new Mremap(m, mmap);
        this.stack = new hugesim.mm.mmap.Stack(mmap, g);
        this.migrate = new Migrate(m, reclaim, () -> mms(false));
        this.compaction = new Compaction(m, migrate, reclaim, cfg.migrate());
        m.alloc.setDirectCompaction(compaction);
        this.mempolicy = new Mempolicy(m, migrate);
        this.views = new Views(this);
        boot(giant);
    }

    public static Kernel boot(Environment env, MachineConfig cfg, List<Event> events) {
        return new Kernel(env, cfg, events);
    }

    private void boot(Hstate giant) {
        Geometry g = m.geometry;
        for (String line : cmdline.log) record("boot_log", "kernel", line);
        if (cmdline.transparentHugepage != null) m.thp.enabled = cmdline.transparentHugepage;
        // setup_arch(): the kernel's own memory (image, memory map, hash tables) leaves the buddy
        // allocator before anything else is allocated, after hugetlb_cma_reserve()
        Memblock.reserve(config.kernelReservedBytes(), config.memory(), g, m.pages.zones());
        // gigantic pages come from memblock before the buddy allocator is up (hugepages_setup); the
        // others are allocated from it by hugetlb_init, a subsys_initcall run after the watermarks are set
        // up and before reserved_thp_init (mm/Makefile links hugetlb.o first)
        bootPools(true);
        // the zoneNosplit design (docs/model.md rule 64): the zones are sized before the buddy allocator hands
        // out anything (free_area_init()), so the NoSplit zone comes before the HugeTLB pool's pages
        if (cmdline.nosplit > 0) {
            long got = m.nosplit.setAside(cmdline.nosplit / g.blockSize(), m.pages.zones());
            record("boot_log", "kernel", "nosplit: " + got + " of " + cmdline.nosplit / g.blockSize() + " blocks ("
                    + Size.format(got * g.blockSize()) + ") set aside for ZONE_NOSPLIT");
        }
        setupWatermarks();
        bootPools(false);
        // subsys_initcall(reserved_thp_init)
        if (cmdline.thpReservedNr != 0 && cmdline.thpReservedSizeValid) {
            // one zone block per iteration: the zone's block already has order max(PMD order, pageblock order)
            long got = m.rthp.reserveAtBoot(cmdline.thpReservedNr, m.pages.zones(), 1, g.hpagesPerReservedBlock());
            record("boot_log", "kernel", "reserved " + got + "/" + Long.toUnsignedString(cmdline.thpReservedNr)
                    + " PMD THP pageblocks (" + cmdline.thpReservedSize + " bytes each)");
        }
        // subsys_initcall(kcompactd_init): a kcompactd per node
        compaction.kcompactdRun();
        // late_initcall... hugepage_init() → start_stop_khugepaged(): the thread runs while PMD THP is on
        khugepaged.startStop();
    }

    /** The hugepages= pools of gigantic sizes (from memblock) or of the others (from the buddy allocator). */
    private void bootPools(boolean gigantic) {
        Geometry g = m.geometry;
        for (var e : cmdline.hugepages.entrySet()) {
            long size = e.getKey() == 0 ? m.defaultHstate.size : e.getKey();
            Hstate h = m.hstate(size);
            if (h == null || (size > g.pmdSize()) != gigantic) continue;
            if (gigantic && cma != null) {
                record("boot_log", "kernel", "HugeTLB: hugetlb_cma is enabled, skip boot time allocation");
                continue;
            }
            java.util.Map<Integer, Long> perNode = cmdline.hugepagesPerNode.get(e.getKey());
            long got = gigantic ? bootAllocate(h, e.getValue(), perNode) : buddyAllocate(h, e.getValue(), perNode);
            if (got < e.getValue()) {
                record("boot_log", "kernel", "HugeTLB: allocating " + e.getValue() + " of page size " + Size.format(size)
                        + " failed.  Only allocated " + got + " hugepages.");
            }
        }
    }

    /** Pool pages from the buddy allocator, node by node as asked or round-robin, until one fails. */
    private long buddyAllocate(Hstate h, long n, java.util.Map<Integer, Long> perNode) {
        long[] want = perNodeCounts(n, perNode);
        long got = 0;
        for (int node = 0; node < want.length; node++) {
            for (long k = 0; k < want[node]; k++) {
                long page = m.alloc.allocPages(AllocRequest.pmd(node, Gfp.WMARK_MIN | Gfp.THISNODE)).handle();
                if (page < 0) break;
                m.count(VmStat.htlb_buddy_alloc_success);
                h.addBootPage(page);
                got++;
            }
        }
        return got;
    }

    private long[] perNodeCounts(long n, java.util.Map<Integer, Long> perNode) {
        int nodes = m.pages.zones().size();
        long[] want = new long[nodes];
        if (perNode != null) {
            for (var e : perNode.entrySet()) if (e.getKey() < nodes) want[e.getKey()] = e.getValue();
        } else {
            for (long i = 0; i < n; i++) want[(int) (i % nodes)]++;
        }
        return want;
    }

    /**
     * Gigantic pool pages from memblock, top-down in each node: spread round-robin over the nodes, or as
     * the node format hugepages=N:count,… asks. Returns how many were allocated.
     */
    private long bootAllocate(Hstate h, long n, java.util.Map<Integer, Long> perNode) {
        long[] want = perNodeCounts(n, perNode);
        long got = 0;
        for (int node = 0; node < want.length; node++) {
            Zone z = m.pages.zone(node);
            int blocksPerPage = (int) (h.size / m.geometry.blockSize());
            long left = want[node];
            for (int first = (z.nrBlocks / blocksPerPage - 1) * blocksPerPage; first >= 0 && left > 0; first -= blocksPerPage) {
                boolean ok = true;
                for (int b = first; b < first + blocksPerPage && ok; b++) ok = z.isFreeBlock(b) && z.typeOf(b) == MigrateType.MOVABLE;
                if (!ok) continue;
                for (int b = first; b < first + blocksPerPage; b++) z.removeFromManaged(b);
                h.addBootPage(((long) z.node << 32) | first | BOOT_PAGE);
                got++;
                left--;
            }
        }
        return got;
    }

    /** Marks a page taken from memblock, so that freeing it gives the memory back to the buddy allocator. */
    private static final long BOOT_PAGE = 1L << 62;

    /** Pool pages from the buddy allocator (alloc_buddy_hugetlb_folio counts htlb_buddy_alloc_*). */
    private Hstate.Source buddySource(PageAllocator pages) {
        return new Hstate.Source() {
            public long alloc(int nid, boolean thisNode) {
                // alloc_buddy_hugetlb_folio(): __GFP_THISNODE for pool growth, the zonelist for surplus pages
                long h = m.alloc.allocPages(AllocRequest.pmd(nid, Gfp.WMARK_MIN | (thisNode ? Gfp.THISNODE : 0))).handle();
                m.count(h >= 0 ? VmStat.htlb_buddy_alloc_success : VmStat.htlb_buddy_alloc_fail);
                return h;
            }

            public void free(long h) {
                Zone z = pages.zone(nid(h));
                if ((h & BOOT_PAGE) != 0) z.returnToManaged(PageAllocator.block(h));
                else z.putBlock(PageAllocator.block(h));
            }

            public int nid(long h) { return PageAllocator.node(h & ~BOOT_PAGE); }
        };
    }

    private static Hstate.Source contigSource(List<Zone> zones, Geometry g, long size) {
        int n = (int) (size / g.blockSize());
        return new Hstate.Source() {
            public long alloc(int nid, boolean thisNode) {
                // alloc_contig_pages() over nid's zonelist (nid's zone only with __GFP_THISNODE): the lowest
                // aligned range whose blocks are all free and movable
                for (int i = 0; i < zones.size(); i++) {
                    Zone z = zones.get((nid + i) % zones.size());
                    if (thisNode && z.node != nid) break;
                    for (int first = 0; first + n <= z.nrBlocks; first += n) {
                        boolean ok = true;
                        for (int b = first; b < first + n && ok; b++) ok = z.isFreeBlock(b) && z.typeOf(b) == MigrateType.MOVABLE;
                        if (!ok) continue;
                        for (int b = first; b < first + n; b++) z.takeBlock(b);
                        return ((long) z.node << 32) | first;
                    }
                }
                return -1;
            }

            public void free(long h) {
                Zone z = zones.get(nid(h));
                int first = PageAllocator.block(h & ~BOOT_PAGE);
                for (int b = first; b < first + n; b++) {
                    if ((h & BOOT_PAGE) != 0) z.returnToManaged(b);
                    else z.putBlock(b);
                }
            }

            public int nid(long h) { return PageAllocator.node(h & ~BOOT_PAGE); }
        };
    }

    /** hugetlb_cma_reserve(): the area sits at the top of node 0, whole gigantic pages only. */
    private Hstate.Source cmaSource(Zone z, Geometry g, long size) {
        int perPage = (int) (size / g.blockSize());
        long want = Math.min(cmdline.hugetlbCma, (long) z.nrBlocks * g.blockSize() / 2);
        int blocks = (int) (want / size) * perPage;
        int first = z.nrBlocks - blocks;
        for (int b = first; b < z.nrBlocks; b++) z.setType(b, MigrateType.CMA);
        cmdline.log.add("hugetlb_cma: reserved " + Size.format((long) blocks * g.blockSize()) + " on node 0");
        cma = new CmaArea(z, first, blocks, perPage, g.pageSize(), config.migrate(),
                (item, n) -> m.count(item, n), (node, block) -> migrate.migrateBlock(node, block, migrate.allocated(node, Gfp.THISNODE | Gfp.WMARK_MIN)));
        return cma;
    }

    /**
     * init_per_zone_wmark_min() and __setup_per_zone_wmarks(): min_free_kbytes = sqrt(16 × lowmem kB)
     * clamped to 128..262144, raised by khugepaged's set_recommended_min_free_kbytes() when THP is on;
     * per zone: min by share of managed pages, delta = max(min/4, managed × watermark_scale_factor / 10000).
     */
    void setupWatermarks() {
        long managed = 0;
        for (Zone z : m.pages.zones()) managed += z.managedPages();
        long kbPerPage = m.geometry.pageSize() / 1024;
        long lowmemKb = managed * kbPerPage;
        if (minFreeKbytes == 0) {
            minFreeKbytes = Math.max(128, Math.min(262144, (long) Math.sqrt(lowmemKb * 16.0)));
            if (!m.thp.enabled.equals("never")) {
                long zones = populatedZones();
                // pageblock_nr_pages × zones × (2 + MIGRATE_PCPTYPES²): the kernel's pageblocks, not the zone's blocks
                long pb = m.geometry.pageblockPages();
                long rec = pb * zones * 2 + pb * zones * 9;
                rec = Math.min(rec, managed / 20);
                minFreeKbytes = Math.max(minFreeKbytes, rec * kbPerPage);
            }
        }
        long minPages = minFreeKbytes / kbPerPage;
        for (Zone z : m.pages.zones()) {
            long min = managed == 0 ? 0 : minPages * z.managedPages() / managed;
            long delta = Math.max(min / 4, z.managedPages() * watermarkScaleFactor / 10000);
            z.setWatermarks(min, min + delta, min + 2 * delta);
        }
    }

    /**
     * Zones set_recommended_min_free_kbytes() counts: on x86_64 node 0 populates DMA (below 16 MiB), DMA32
     * (below 4 GiB) and Normal above; other nodes only Normal. Simplification: the model keeps one zone per
     * node, so this count is used for the recommendation only.
     */
    private long populatedZones() {
        if (!m.geometry.arch().equals("x86_64")) return m.pages.zones().size();
        long node0 = config.memory() / config.nodes();
        long zones = 1 + (node0 > (16L << 20) ? 1 : 0) + (node0 > (4L << 30) ? 1 : 0);
        return zones + config.nodes() - 1;
    }

    public long minFreeKbytes() { return minFreeKbytes; }

    public void setMinFreeKbytes(long kb) { minFreeKbytes = kb; setupWatermarks(); }

    public long watermarkScaleFactor() { return watermarkScaleFactor; }

    public void setWatermarkScaleFactor(long f) { watermarkScaleFactor = f; setupWatermarks(); }

    /** vm.watermark_boost_factor (every zone's boost_watermark() reads it). */
    public long watermarkBoostFactor() { return m.pages.zone(0).watermarkBoostFactor(); }

    public void setWatermarkBoostFactor(int f) { for (Zone z : m.pages.zones()) z.setWatermarkBoostFactor(f); }

    public CmaArea cma() { return cma; }

    public Environment env() { return env; }

    /** A new process with an empty address space. */
    public Task newTask(String name) {
        Mm mm = new Mm(nextPid++, name, m.anon, m.pageTables);
        mm.stackGuardGap = 256L * m.geometry.pageSize();   // stack_guard_gap's default: 256 pages
        Task t = new Task(this, mm);
        tasks.add(t);
        return t;
    }

    public List<Task> tasks() { return tasks; }

    /** The trace being recorded for replay on a real kernel, or null (the default: nothing is recorded). */
    public Trace trace() { return trace; }

    public void trace(Trace t) {
        t.attach(this);
        trace = t;
    }

    /** The run is over: faults still stalled are recorded with the time they stalled so far. */
    public void runEnded() {
        for (Stalling t : new ArrayList<>(stallsInProgress)) t.runEnded();
    }

    /**
     * Processes not exited; with {@code startedOnly}, only those whose body has begun (reclaim and the
     * fault path), else all of them (a walk for a physical page must see every page table).
     */
    private List<Mm> mms(boolean startedOnly) {
        List<Mm> out = new ArrayList<>();
        for (Task t : tasks) if (!t.mm.exited && (!startedOnly || t.started())) out.add(t.mm);
        return out;
    }

    /** dump_header() → __show_mem(): a show_mem event per zone line. */
    private void showMem() {
        for (String line : views.showMem()) record("show_mem", "kernel", line);
    }

    private void oomKilled(Mm victim) {
        for (Task t : tasks) if (t.mm == victim) t.die();
    }

    /** A signal kills the task: its memory is torn down at once and its body ends. */
    void kill(Task t, String kind, String detail, hugesim.record.EventData data) {
        record(kind, t.name(), detail, data);
        t.die();
    }

    void record(String kind, String process, String detail) {
        m.event(kind, process, detail);
    }

    void record(String kind, String process, String detail, hugesim.record.EventData data) {
        m.event(env.now(), kind, process, detail, data);
    }

    /** Kernel-initiated faults over a range (MAP_POPULATE, MADV_POPULATE_*): -ENOMEM or -EFAULT on failure. */
    private int populate(Mm mm, hugesim.mm.vma.Vma v, long from, long to, boolean write) {
        for (Task t : tasks) if (t.mm == mm) return t.populate(v, from, to, write);
        return -hugesim.uapi.Errno.EFAULT;
    }

    public long vmstat(VmStat item) { return m.get(item); }

    private final java.util.Map<String, hugesim.mm.hugetlb.HugetlbCgroup> cgroups = new java.util.TreeMap<>();

    /** The hugetlb cgroup of that name, created on first use (mkdir under /sys/fs/cgroup). */
    public hugesim.mm.hugetlb.HugetlbCgroup cgroup(String name) {
        if (name.isEmpty() || name.contains("/")) throw new IllegalArgumentException("a cgroup name is one path component, got '" + name + "'");
        return cgroups.computeIfAbsent(name, hugesim.mm.hugetlb.HugetlbCgroup::new);
    }

    private final java.util.Map<String, hugesim.mm.memcg.MemCgroup> memcgs = new java.util.TreeMap<>();

    /**
     * The memory controller of cgroup {@code name}, made when the first process that runs in it is set up
     * (its memory.swap.current counts its processes' swap entries).
     */
    public hugesim.mm.memcg.MemCgroup memcg(String name) {
        cgroup(name);   // the same checks on the name
        return memcgs.computeIfAbsent(name, n -> {
            var cg = new hugesim.mm.memcg.MemCgroup(n, m.geometry.pmdPages());
            cg.swapEntriesFrom(() -> {
                long s = 0;
                for (Task t : tasks) if (t.mm.memcg == cg && !t.mm.exited) s += t.mm.swapEntries;
                return s;
            });
            return cg;
        });
    }

    /** The memory cgroup of that name, or null when no process runs in it. */
    public hugesim.mm.memcg.MemCgroup memcgIfUsed(String name) { return memcgs.get(name); }

    /** Every memory cgroup, by name. */
    public java.util.Map<String, hugesim.mm.memcg.MemCgroup> memcgs() { return java.util.Collections.unmodifiableMap(memcgs); }

    /**
     * hugetlbfs_punch_hole() / truncate for file indices [from, to): the pages are unmapped from every
     * mapping of the file, private copy-on-write pages of those mappings included (hugetlb_vmdelete_list,
     * documented legacy behaviour), then freed with their reservations. For a shmem file (shmem_undo_range()
     * after unmap_mapping_range()) the indices are PMD-sized stretches.
     */
    public void punchHole(hugesim.mm.Inode inode, long from, long to) {
        for (Task t : tasks) {
            if (t.mm.exited) continue;
            for (hugesim.mm.vma.Vma v : t.mm.vmas()) {
                if (v.file != inode && v.shmem != inode) continue;
                long lo = Math.max(from, v.pgoff), hi = Math.min(to, v.pgoff + v.slots());
                if (lo >= hi) continue;
                long s = Math.max(v.start, v.slotBase + (lo - v.pgoff) * v.slotSize), e = Math.min(v.end, v.slotBase + (hi - v.pgoff) * v.slotSize);
                if (s < e) mmap.releaseRange(t.mm, v, s, e, false);
            }
        }
        if (inode instanceof hugesim.mm.shmem.ShmemFile f) m.shmem.removeRange(f, from, to);
        else ((hugesim.mm.hugetlb.HugetlbFile) inode).removeRange(from, to);
    }
}
