package hugesim.mm.shmem;

import hugesim.mm.Fault;
import hugesim.mm.VmStat;
import hugesim.mm.memcg.MemCgroup;
import hugesim.mm.memcg.MemcgCharge;
import hugesim.mm.page.AllocRequest;
import hugesim.mm.page.Allocation;
import hugesim.mm.page.BlockIndex;
import hugesim.mm.page.Gfp;
import hugesim.mm.page.PageAlloc;
import hugesim.mm.page.PageAllocator;
import hugesim.mm.page.PageRuns;
import hugesim.sim.Environment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ObjLongConsumer;

/**
 * Shared memory (mm/shmem.c, 6.1): shmem files, the /dev/shm tmpfs that names some of them, the huge page
 * settings (/sys/kernel/mm/transparent_hugepage/shmem_enabled and each mount's huge= option), allocation into a
 * file's page cache (shmem_get_folio_gfp()) and the counters /proc/meminfo reads (Shmem, ShmemHugePages,
 * ShmemPmdMapped).
 *
 * <p>Simplifications: a file's pages are allocated a PMD-sized stretch at a time (a whole THP, or every 4 KiB
 * page of the stretch up to i_size), as the fault path maps a whole window; shmem pages are never reclaimed or
 * swapped (they are on no LRU list), nor placed in CMA pageblocks; no tmpfs size= limit.
 */
public final class Shmem {
    /** shmem_enabled's values (SHMEM_HUGE_*); the first four are also a mount's huge= option. */
    public static final List<String> ENABLED = List.of("always", "within_size", "advise", "never", "deny", "force");
    /** A mount's huge= values. */
    private static final List<String> MOUNT = ENABLED.subList(0, 4);
    /** What a fault's huge attempt came to when it waits: its retry must not reclaim again for a THP. */
    public static final int HUGE_WAIT = -100;

    private final PageAllocator pages;
    private final PageAlloc alloc;
    private final Environment env;
    private final ObjLongConsumer<VmStat> count;
    private final Runnable memoryFreed;
    private final int pmdPages, pageSize;

    /** shmem_huge: the global setting; "deny" and "force" override every mount. */
    private String enabled = "never";
    /** SHMEM_SB(shm_mnt)->huge: the internal mount's option, which shmem_enabled's four mount values set. */
    private String internalHuge = "never";
    /** The huge= option /dev/shm is mounted with (tmpfs's default: never). */
    private String devShmHuge = "never";
    private final Map<String, ShmemFile> devShm = new LinkedHashMap<>();
    private long shmemPages, thpPages, pmdMappedPages;
    /** Which 4 KiB-folio stretches hold pages in a block: migration's reverse map. */
    private final BlockIndex<ShmemFolio> byBlock;

    public Shmem(PageAllocator pages, PageAlloc alloc, Environment env, ObjLongConsumer<VmStat> count,
                 Runnable memoryFreed, int pmdPages, int pageSize) {
        this.pages = pages;
        this.alloc = alloc;
        this.env = env;
        this.count = count;
        this.memoryFreed = memoryFreed;
        this.pmdPages = pmdPages;
        this.pageSize = pageSize;
        this.byBlock = new BlockIndex<>(pages.zone(0).blockPages);
    }

    // ---- settings ---------------------------------------------------------------------------------

    public String enabled() { return enabled; }

    /**
     * shmem_enabled_store(): sets shmem_huge, and the internal mount's huge= for the four values a mount can
     * have. False for a value that is none of {@link #ENABLED}.
     */
    public boolean setEnabled(String value) {
        if (!ENABLED.contains(value)) return false;
        enabled = value;
        if (MOUNT.contains(value)) internalHuge = value;
        return true;
    }

    /** The huge= option /dev/shm is mounted with. */
    public String devShmHuge() { return devShmHuge; }

    /**
     * mount -o remount,huge=H /dev/shm: the option of the mount (its superblock's), which every file there follows
     * from its next allocation on. False for a value that is not one of a mount's four ({@link #ENABLED}'s first).
     */
    public boolean setDevShmHuge(String huge) {
        if (!MOUNT.contains(huge)) return false;
        devShmHuge = huge;
        return true;
    }

    /**
     * shmem_is_huge() (6.1): never with VM_NOHUGEPAGE or THP disabled for the mm ({@code disabled}); always with
     * {@code force}, never with {@code deny}; otherwise the file's mount decides: always; within_size when
     * i_size covers the whole stretch, else as advise; advise when the mapping has MADV_HUGEPAGE
     * ({@code advised}); never. Not gated on transparent_hugepage/enabled.
     */
    public boolean isHuge(ShmemFile f, long index, boolean advised, boolean disabled) {
        if (disabled) return false;
        if (enabled.equals("force")) return true;
        if (enabled.equals("deny")) return false;
        String huge = f.onDevShm ? devShmHuge : internalHuge;
        return switch (huge) {
            case "always" -> true;
            case "within_size" -> ceilPages(f.size) >= (index + 1) * pmdPages || advised;
            case "advise" -> advised;
            default -> false;
        };
    }

    // ---- files ------------------------------------------------------------------------------------

    /** shmem_file_setup() on the internal mount: a memfd, or a shared anonymous mapping's object. */
    public ShmemFile create(String name) {
        return new ShmemFile(this, name, false);
    }

    /** The /dev/shm file called {@code name}, or null. */
    public ShmemFile lookup(String name) { return devShm.get(name); }

    /** A new file of /dev/shm called {@code name} (there is none yet), on its mount's huge= option. */
    public ShmemFile link(String name) {
        ShmemFile f = new ShmemFile(this, name, true);
        f.linked = true;
        devShm.put(name, f);
        return f;
    }

    /** unlink() of a /dev/shm name: the file goes once nothing holds it. False when there is no such name. */
    public boolean unlink(String name) {
        ShmemFile f = devShm.remove(name);
        if (f == null) return false;
        f.linked = false;
        if (f.unused()) evict(f);
        return true;
    }

    /** The names in /dev/shm, in the order they were made. */
    public List<String> devShmNames() { return new ArrayList<>(devShm.keySet()); }

    /** i_size changes (ftruncate, or mmap of a shared anonymous object); the caller frees what lies beyond first. */
    public void setSize(ShmemFile f, long bytes) { f.size = bytes; }

    /** The last reference of an unlinked file went: everything it holds is freed. */
    void evict(ShmemFile f) {
        removeRange(f, 0, Long.MAX_VALUE);
    }

    // ---- its pages --------------------------------------------------------------------------------

    /**
     * What a request for one stretch's pages may do: the task's node, cgroup and pid; whether a THP is wanted
     * (shmem_is_huge()), whether its allocation may enter direct reclaim and compaction or wakes kswapd
     * (vma_thp_gfp_mask()); {@code retry} runs when a wait is over; {@code charge} is the memory controller.
     */
    public record Request(int node, MemCgroup memcg, int pid, boolean huge, boolean hugeDirect, boolean hugeKswapd, Runnable retry,
                          MemcgCharge charge) {}

    /**
     * shmem_get_folio_gfp() for stretch {@code index} of {@code f} when it holds nothing: a THP when the request
     * wants one and it can be had and charged (thp_file_alloc), else 4 KiB folios for every page of the stretch
     * below {@code endByte} (thp_file_fallback, and thp_file_fallback_charge when the charge failed). The
     * pages are charged to the cgroup first, with reclaim. Returns {@link Fault#DONE}, {@link Fault#WAIT},
     * {@link #HUGE_WAIT} (the THP attempt waits for its reclaim or compaction), or the outcome of the 4 KiB
     * pages' charge or allocation ({@link Fault#STALL}, {@link Fault#KILLED}, {@link Fault#OOM}).
     */
    public int getFolio(ShmemFile f, long index, long endByte, Request r) {
        ShmemFolio have = f.folios.get(index);
        int n = (int) Math.max(1, Math.min(pmdPages, ceilPages(endByte) - index * pmdPages));
        if (have != null && (have.huge() || have.pages >= n)) return Fault.DONE;
        if (have == null && r.huge) {
            int h = hugeFolio(f, index, r);
            if (h != FALLBACK) return h;
        }
        // the stretch's missing 4 KiB folios (all of it, or the part i_size gained since)
        int add = n - (have == null ? 0 : have.pages);
        int c = r.charge.tryCharge(r.memcg, add, false, true, r.pid, r.retry);
        if (c != Fault.DONE) return c;
        Allocation a = alloc.allocPages(AllocRequest.pages(add, r.node, Gfp.WMARK_MIN | Gfp.NO_CMA).reclaiming(r.pid, r.retry));
        if (!a.ok()) return a.status().fault();
        if (have == null) {
            have = add(f, index, r.memcg, add, false);
        } else {
            have.pages += add;
            shmemPages += add;
            if (have.memcg != null) have.memcg.shmemPages(add, false);
        }
        long[] runs = PageRuns.shift(a.runs(), have.pages - add);
        have.runs = PageRuns.merge(have.runs, runs);
        index(have, runs, true);
        return Fault.DONE;
    }

    private static final int FALLBACK = Integer.MIN_VALUE;

    /** shmem_alloc_hugefolio() and its charge (shmem_add_to_page_cache()); {@link #FALLBACK} when 4 KiB folios must do. */
    private int hugeFolio(ShmemFile f, long index, Request r) {
        AllocRequest req = AllocRequest.pmd(r.node, (r.hugeKswapd ? Gfp.KSWAPD_RECLAIM : 0) | Gfp.NO_CMA);
        if (r.hugeDirect) req = req.reclaiming(r.pid, r.retry);
        Allocation a = alloc.allocPages(req);
        if (a.ok()) {
            int c = r.charge.tryCharge(r.memcg, pmdPages, true, r.hugeDirect, r.pid, r.retry);
            if (c != Fault.DONE) {
                pages.freeBlock(a.handle());
                if (c == Fault.WAIT) return HUGE_WAIT;
                count.accept(VmStat.thp_file_fallback, 1);
                count.accept(VmStat.thp_file_fallback_charge, 1);
                return FALLBACK;
            }
            ShmemFolio folio = add(f, index, r.memcg, pmdPages, true);
            folio.block = a.handle();
            thpPages += pmdPages;
            count.accept(VmStat.thp_file_alloc, 1);
            if (a.stallNanos() == 0) return Fault.DONE;
            env.scheduleIn(a.stallNanos(), r.retry);   // back once direct compaction's migrations are done
            return Fault.WAIT;
        }
        if (a.status() == Allocation.Status.WAIT) return HUGE_WAIT;
        if (a.stallNanos() > 0) {
            env.scheduleIn(a.stallNanos(), r.retry);   // a failed compaction: the retry falls back
            return HUGE_WAIT;
        }
        count.accept(VmStat.thp_file_fallback, 1);
        return FALLBACK;
    }

    private ShmemFolio add(ShmemFile f, long index, MemCgroup cg, int n, boolean huge) {
        ShmemFolio folio = new ShmemFolio(f, index);
        folio.pages = n;
        folio.memcg = cg;
        f.folios.put(index, folio);
        shmemPages += n;
        if (cg != null) cg.shmemPages(n, huge);
        return folio;
    }

    /**
     * shmem_undo_range(): what {@code f} holds at PMD-sized indices [from, to) is freed; the caller has unmapped
     * it from every mapping first. Returns the pages freed.
     */
    public long removeRange(ShmemFile f, long from, long to) {
        long freed = 0;
        for (ShmemFolio folio : new ArrayList<>(f.folios.subMap(from, true, to, false).values())) {
            f.folios.remove(folio.index);
            shmemPages -= folio.pages;
            if (folio.memcg != null) folio.memcg.shmemPages(-folio.pages, folio.huge());
            if (folio.huge()) {
                thpPages -= pmdPages;
                pages.freeBlock(folio.block);
                folio.block = -1;
            } else {
                index(folio, folio.runs, false);
                pages.freeRuns(folio.runs);
                folio.runs = PageRuns.NONE;
            }
            freed += folio.pages;
            folio.pages = 0;
        }
        if (freed > 0) memoryFreed.run();
        return freed;
    }

    /** A PMD maps the THP ({@code delta} 1) or stops mapping it (-1): NR_SHMEM_PMDMAPPED follows its first and last. */
    public void pmdMapped(ShmemFolio folio, int delta) {
        folio.pmdMaps += delta;
        if (delta > 0 && folio.pmdMaps == 1) pmdMappedPages += pmdPages;
        if (delta < 0 && folio.pmdMaps == 0) pmdMappedPages -= pmdPages;
    }

    // ---- migration --------------------------------------------------------------------------------

    /** The 4 KiB-folio stretches with pages in {@code block} of {@code node}, in the order they came there. */
    public List<ShmemFolio> foliosIn(int node, int block) { return byBlock.in(node, block); }

    /** Migration moved a stretch's pages: {@code runs} replace them. */
    public void replacePages(ShmemFolio folio, long[] runs) {
        index(folio, folio.runs, false);
        folio.runs = runs;
        index(folio, runs, true);
    }

    private void index(ShmemFolio f, long[] runs, boolean add) { byBlock.index(f, runs, add); }

    // ---- counters ---------------------------------------------------------------------------------

    /** NR_SHMEM: pages in shmem files' page caches (meminfo Shmem, part of Cached). */
    public long shmemPages() { return shmemPages; }

    /** NR_SHMEM_THPS: their pages in THPs (ShmemHugePages). */
    public long thpPages() { return thpPages; }

    /** NR_SHMEM_PMDMAPPED: pages of shmem THPs mapped by a PMD somewhere (ShmemPmdMapped). */
    public long pmdMappedPages() { return pmdMappedPages; }

    private long ceilPages(long bytes) { return (bytes + pageSize - 1) / pageSize; }
}
