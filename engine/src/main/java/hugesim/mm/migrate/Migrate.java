package hugesim.mm.migrate;

import hugesim.mm.model.MemoryModel;
import hugesim.mm.VmStat;
import hugesim.mm.filemap.FileFolio;
import hugesim.mm.page.AllocRequest;
import hugesim.mm.page.Allocation;
import hugesim.mm.page.Gfp;
import hugesim.mm.page.PageRuns;
import hugesim.mm.reclaim.Reclaim;
import hugesim.mm.vma.Mm;
import hugesim.mm.vma.Vma;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.function.Supplier;

/**
 * Page migration (mm/migrate.c migrate_pages()) of PMD-mapped THPs to one node, with the target that
 * migrate_pages(2) and move_pages(2) pass: alloc_migration_target() with GFP_HIGHUSER_MOVABLE |
 * __GFP_THISNODE, to which a large folio adds GFP_TRANSHUGE for a folio of its own order. No
 * __GFP_RESERVED_THP: the copy of a reserved THP lands in ordinary memory, and the reserved block it
 * leaves is freed onto the MIGRATE_RESERVED_THP list like any freed reserved page (RFC patch 1/8, rule 53).
 *
 * <p>Simplification: the direct reclaim a target's GFP mask allows frees only clean page cache (what needs no
 * I/O), and its compaction is not modelled.
 */
public final class Migrate {
    /** A folio isolated for migration (migrate_folio_add()): the PMD-mapped THP of one window. */
    public record Folio(Mm mm, Vma vma, int slot) {}

    private final MemoryModel m;
    private final Reclaim reclaim;
    private final Supplier<List<Mm>> processes;
    private long bytesCopied;

    /** @param processes live processes, whose page tables say where a block's pages are mapped */
    public Migrate(MemoryModel m, Reclaim reclaim, Supplier<List<Mm>> processes) {
        this.m = m;
        this.reclaim = reclaim;
        this.processes = processes;
    }

    /** Where the copies of migrated pages go: {@code n} pages, or null when they cannot all be had. */
    public interface Targets {
        long[] take(long n);
    }

    /**
     * Targets from the allocation entry point with {@code gfp} on {@code node} (alloc_migration_target()); when
     * free memory cannot give them, the target's direct reclaim frees clean page cache there until it can.
     */
    public Targets allocated(int node, int gfp) {
        return n -> {
            long[] got = take(n, node, gfp);
            // what it frees may lie where the target may not take it (a CMA range being cleared): again
            while (got == null && reclaim.reclaimClean(node, n) > 0) got = take(n, node, gfp);
            return got;
        };
    }

    private long[] take(long n, int node, int gfp) {
        Allocation a = m.alloc.allocPages(AllocRequest.pages(n, node, gfp));
        if (a.ok() && a.pages() == n) return a.runs();
        if (a.ok()) m.pages.freeRuns(a.runs());
        return null;
    }

    /**
     * The 4 KiB pages in use in {@code block} of {@code node} move out (alloc_contig_range()'s migration,
     * and compaction's): each is found by walking the processes' page tables and the page cache (the model
     * keeps no reverse map), the copies go to {@code targets}, every window mapping a moved page maps its copy at the same
     * offset, and the old pages are freed. Returns how many moved, or -1 when the targets could not be had
     * (then nothing moved).
     */
    public long migrateBlock(int node, int block, Targets to) {
        int bp = m.pages.zone(node).blockPages;
        long lo = (long) block * bp, hi = lo + bp;
        // windows shared after fork hold one array: each array moves once, every holder follows
        IdentityHashMap<long[], List<Object[]>> holders = new IdentityHashMap<>();
        List<long[]> order = new ArrayList<>();   // the walk's order, so that targets are handed out alike every run
        long n = 0;
        for (Mm mm : processes.get()) {
            for (Vma v : mm.vmas()) {
                for (int i = 0; i < v.slots(); i++) {
                    long[] r = v.runs(i);
                    if (r.length == 0 || PageRuns.byPfn(r, node, lo, hi, true).length == 0) continue;
                    if (v.kind(i) == Vma.PTE_THP) {
                        m.deferredSplit.toBasePages(mm, v, i);
                    }
                    List<Object[]> h = holders.get(r);
                    if (h == null) {
                        holders.put(r, h = new ArrayList<>());
                        order.add(r);
                        n += PageRuns.pages(PageRuns.byPfn(r, node, lo, hi, true));
                    }
                    h.add(new Object[] {v, i});
                }
            }
        }
        // the page cache's pages in the block (movable: filemap_migrate_folio())
        List<FileFolio> files = new ArrayList<>();
        for (FileFolio f : m.pageCache.foliosIn(node, block)) {
            long[] r = f.runs();
            files.add(f);
            order.add(r);
            n += PageRuns.pages(PageRuns.byPfn(r, node, lo, hi, true));
        }
        // shmem files' 4 KiB folios in the block (movable: shmem_migrate_folio()); their mappings find them by index
        List<hugesim.mm.shmem.ShmemFolio> shmem = m.shmem.foliosIn(node, block);
        for (var f : shmem) {
            order.add(f.runs());
            n += PageRuns.pages(PageRuns.byPfn(f.runs(), node, lo, hi, true));
        }
        if (n == 0) return 0;
        byte[] lists = new byte[files.size()];
        for (int i = 0; i < lists.length; i++) lists[i] = reclaim.lru.isolateFile(files.get(i));
        long[] targets = to.take(n);
        if (targets == null) {
            for (int i = 0; i < lists.length; i++) reclaim.lru.putbackFile(files.get(i), lists[i], files.get(i).node);
            return -1;
        }
        int used = 0, file = 0, sh = 0;   // the page cache's runs come after the windows', the shmem files' last
        for (long[] r : order) {
            long[] old = PageRuns.byPfn(r, node, lo, hi, true);
            long[] mine = PageRuns.first(targets, used + PageRuns.pages(old), true);
            mine = PageRuns.first(mine, used, false);
            used += PageRuns.pages(old);
            long[] moved = PageRuns.merge(PageRuns.byPfn(r, node, lo, hi, false), PageRuns.place(mine, old));
            List<Object[]> h = holders.get(r);
            if (h != null) {
                for (Object[] w : h) ((Vma) w[0]).replacePages((int) w[1], moved);
            } else if (file == files.size()) {
                m.shmem.replacePages(shmem.get(sh++), moved);
            } else {
                FileFolio f = files.get(file);
                m.pageCache.replacePages(f, moved);
                reclaim.lru.putbackFile(f, lists[file++], PageRuns.node(moved, 0));
            }
            m.pages.freeRuns(old);
        }
        bytesCopied += n * m.geometry.pageSize();
        return n;
    }

    /**
     * migrate_pages(from, alloc_migration_target, NULL, dest, MIGRATE_SYNC, MR_SYSCALL): one batch per
     * THP (NR_MAX_BATCHED_MIGRATION is HPAGE_PMD_NR). A THP for which no folio of its order can be had on
     * {@code dest} is split (try_split_folio(), thp_migration_split) and its 4 KiB pages are migrated in
     * one MIGRATE_ASYNC pass that stops at the first failed allocation. Returns the folios not migrated,
     * a split THP counting as one, or 0 when nothing is left behind (every split page moved).
     */
    public int migratePages(List<Folio> from, int dest) {
        long succeeded = 0, failedPages = 0, thpSucceeded = 0, thpFailed = 0, thpSplit = 0;
        int rcGather = 0;
        boolean leftBehind = false;
        for (Folio f : from) {
            if (moveThp(f, dest)) {
                succeeded += m.geometry.pmdPages();
                thpSucceeded++;
                continue;
            }
            // migrate_folio_unmap() got -ENOMEM; migrate_pages_sync() counts the split THP as failed
            thpFailed++;
            if (m.nosplit.holds(f.vma().page(f.slot()))) {
                // try_split_folio() fails on a ZONE_NOSPLIT folio: it stays where it is (rule 70)
                rcGather++;
                leftBehind = true;
                continue;
            }
            thpSplit++;
            rcGather++;
            long moved = movePages(f, dest);
            succeeded += moved;
            if (moved < m.geometry.pmdPages()) {
                failedPages++;   // the page whose allocation failed; untried pages are not counted
                leftBehind = true;
            }
        }
        m.count(VmStat.pgmigrate_success, succeeded);
        m.count(VmStat.pgmigrate_fail, failedPages);
        m.count(VmStat.thp_migration_success, thpSucceeded);
        m.count(VmStat.thp_migration_fail, thpFailed);
        m.count(VmStat.thp_migration_split, thpSplit);
        return leftBehind ? rcGather : 0;
    }

    /** Bytes copied since the last call (what the caller spends its time on). */
    public long takeBytesCopied() {
        long b = bytesCopied;
        bytesCopied = 0;
        return b;
    }

    /**
     * alloc_migration_target() for the THP (the fast path at the low watermark, the slow path at min, this
     * node only), then the copy: the window maps the new folio and the old block is freed.
     */
    private boolean moveThp(Folio f, int dest) {
        Vma v = f.vma();
        int i = f.slot();
        // a ZONE_NOSPLIT folio's target is the target node's zone first, then its ordinary memory (rule 70)
        boolean nosplit = m.nosplit.holds(v.page(i));
        long h = m.alloc.allocPages(AllocRequest.pmd(dest, Gfp.THISNODE | (nosplit ? Gfp.NOSPLIT : 0))).handle();
        if (h < 0) return false;
        long old = v.page(i);
        boolean reserved = v.is(i, Vma.RESERVED_BLOCK);
        v.replaceFolio(i, h);
        v.clear(i, Vma.RESERVED_BLOCK);
        if (m.nosplit.holds(h)) v.set(i, Vma.RESERVED_BLOCK);
        // migrate_folio_done() frees the source: back to its pageblock's own free list
        m.pages.freeBlock(old);
        if (reserved) m.reservedBlockFreed();
        else m.memoryFreed();
        reclaim.lru.migrated(f.mm(), v, i);
        bytesCopied += m.geometry.pmdSize();
        return true;
    }

    /**
     * try_split_folio() in place (thp_split_page, and thp_split_pmd for the PMD that unmap_folio()
     * splits), then the 4 KiB pages go one by one to {@code dest} while it has free ordinary memory.
     * Returns how many moved.
     */
    private long movePages(Folio f, int dest) {
        Mm mm = f.mm();
        Vma v = f.vma();
        int i = f.slot();
        int pages = m.geometry.pmdPages();
        m.deferredSplit.splitHugePmd(mm, v, i);
        Allocation a = m.alloc.allocPages(AllocRequest.pages(pages, dest, Gfp.THISNODE | Gfp.BULK | Gfp.WMARK_MIN));
        long moved = a.pages();
        if (moved == 0) {
            // nothing moved: the window keeps the split folio's pages, of their block's type
            m.deferredSplit.splitFolio(v.page(i));
            return 0;
        }
        m.deferredSplit.toBasePages(mm, v, i);
        // the lowest pages move first: their copies take their offsets, the originals are freed
        long[] old = PageRuns.first(v.runs(i), (int) moved, true);
        v.removePages(i, 0, PageRuns.voff(old, PageRuns.runs(old) - 1) + PageRuns.len(old, PageRuns.runs(old) - 1));
        v.addPages(i, PageRuns.place(a.runs(), old));
        if (m.pages.freeRuns(old) > 0) m.reservedBlockFreed();
        else m.memoryFreed();
        bytesCopied += moved * m.geometry.pageSize();
        return moved;
    }
}
