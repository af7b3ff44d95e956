package hugesim.mm.thp;

import hugesim.mm.VmStat;
import hugesim.mm.page.MigrateType;
import hugesim.mm.page.PageAllocator;
import hugesim.mm.page.PageRuns;
import hugesim.mm.vma.Mm;
import hugesim.mm.vma.Vma;

import java.util.LinkedHashMap;
import java.util.function.ObjLongConsumer;

/**
 * THP folios mapped by PTEs once their PMD was split (mm/huge_memory.c __split_huge_pmd()): the folio
 * stays whole in its pageblock, however few of its pages are still mapped, until the last page is
 * unmapped or the deferred-split shrinker splits it (deferred_split_folio(), deferred_split_scan()).
 * A split folio's pages are 4 KiB pages of its block's migratetype, freed one by one: a reserved THP's
 * block goes back to the reserved list only when the last of them is freed (rule 32).
 * A folio knows which of its pages some PTE still maps: the split frees the others.
 */
public final class DeferredSplit {
    private static final class Folio {
        final long id, handle;
        final MigrateType type;
        final int nrPages;
        int mapped;
        /** One bit per page of the folio: still mapped by a PTE. */
        final long[] mappedPages;
        boolean queued, split;

        Folio(long id, long handle, MigrateType type, int mapped) {
            this.id = id;
            this.handle = handle;
            this.type = type;
            this.nrPages = mapped;
            this.mapped = mapped;
            this.mappedPages = new long[Math.max(1, (mapped + 63) >>> 6)];
            for (int p = 0; p < mapped; p++) mappedPages[p >>> 6] |= 1L << p;
        }

        /** The pages of {@code runs} (all of this folio) are no longer mapped. */
        void unmapped(long[] runs, int blockPages) {
            for (int k = 0; k < PageRuns.runs(runs); k++) {
                int from = (int) (PageRuns.pfn(runs, k) - (long) PageAllocator.block(handle) * blockPages);
                for (int p = from; p < from + PageRuns.len(runs, k); p++) mappedPages[p >>> 6] &= ~(1L << p);
            }
        }
    }

    private final PageAllocator pages;
    private final ObjLongConsumer<VmStat> count;
    private final Runnable reservedBlockFreed, memoryFreed;
    /**
     * PTE-mapped THP folios by id, in the order their PMDs were split (the queue's order). An id, not the
     * block: a split folio no longer holds its block, which may hold another THP by then.
     */
    private final LinkedHashMap<Long, Folio> folios = new LinkedHashMap<>();
    private long nextId = 1;
    /** Folios on the queue: reclaim asks often, and mostly finds none. */
    private int queued;
    /** Whether the folio at a block may never be split (ZONE_NOSPLIT's, docs/model.md rule 67). */
    private java.util.function.LongPredicate neverSplit = h -> false;

    public DeferredSplit(PageAllocator pages, ObjLongConsumer<VmStat> count, Runnable reservedBlockFreed,
                         Runnable memoryFreed) {
        this.pages = pages;
        this.count = count;
        this.reservedBlockFreed = reservedBlockFreed;
        this.memoryFreed = memoryFreed;
    }

    /** The zoneNosplit design: folios at the blocks {@code p} accepts are never split nor queued (rule 67). */
    public void setNeverSplit(java.util.function.LongPredicate p) { neverSplit = p; }

    /** Whether folio {@code id} may never be split. */
    public boolean neverSplit(long id) { return neverSplit.test(folios.get(id).handle); }

    /**
     * __split_huge_pmd(): the folio at block {@code handle} is now mapped by {@code mapped} PTEs. Returns
     * the folio's id, which the windows mapping it keep.
     */
    public long pmdSplit(long handle, int mapped) {
        MigrateType type = pages.zone(PageAllocator.node(handle)).typeOf(PageAllocator.block(handle));
        long id = nextId++;
        folios.put(id, new Folio(id, handle, type, mapped));
        return id;
    }

    /**
     * __split_huge_pmd() on window {@code i}: its PMD-mapped THP stays whole, now mapped by PTEs
     * (thp_split_pmd); the window keeps the folio's id.
     */
    public void splitHugePmd(Mm mm, Vma v, int i) {
        count.accept(VmStat.thp_split_pmd, 1);
        long h = v.page(i);
        int nr = pages.zone(PageAllocator.node(h)).blockPages;
        long[] all = PageAllocator.pagesOf(h, nr);
        v.pmdSplit(i, pmdSplit(h, nr), all);
        mm.addThps(-1);
        mm.addAnonPages(nr);
    }

    /**
     * The PTEs of the folio's pages {@code runs} are zapped. The last one frees the folio; before that, the
     * first partial unmap queues an unsplit folio for the deferred split (thp_deferred_split_page), and a
     * split folio's pages are freed at once.
     */
    public void unmap(long id, long[] runs) {
        Folio f = folios.get(id);
        int n = PageRuns.pages(runs);
        f.mapped -= n;
        f.unmapped(runs, pages.zone(PageAllocator.node(f.handle)).blockPages);
        if (f.split) freeBasePages(f, runs);
        else if (f.mapped == 0) freeFolio(f);
        else if (!f.queued && !neverSplit.test(f.handle)) {
            // deferred_split_folio(): a ZONE_NOSPLIT folio is never queued (rule 68)
            f.queued = true;
            queued++;
            count.accept(VmStat.thp_deferred_split_page, 1);
        }
        if (f.mapped == 0) forget(f);
    }

    private void forget(Folio f) {
        folios.remove(f.id);
        if (f.queued) queued--;
    }

    private void freeFolio(Folio f) {
        pages.freeBlock(f.handle);
        wake(f);
    }

    private void freeBasePages(Folio f, long[] runs) {
        pages.freeRuns(runs);
        wake(f);
    }

    private void wake(Folio f) {
        if (f.type == MigrateType.RESERVED_THP) reservedBlockFreed.run();
        else memoryFreed.run();
    }

    /**
     * deferred_split_scan(), the shrinker that reclaim runs: every queued folio is split (thp_split_page)
     * and its unmapped pages freed. Returns the pages freed that ordinary allocations can use.
     */
    public long scan() {
        long freed = 0;
        if (queued == 0) return 0;
        for (Folio f : folios.values()) {
            if (!f.queued) continue;
            long unmapped = split(f);
            if (f.type != MigrateType.RESERVED_THP) freed += unmapped;
        }
        return freed;
    }

    /** split_folio() of folio {@code id}, its pages staying mapped where they are (try_split_folio()). */
    public void splitFolio(long id) {
        split(folios.get(id));
    }

    /** split_folio() in place: the block's pages stay allocated as 4 KiB pages, the unmapped ones go. */
    private long split(Folio f) {
        if (neverSplit.test(f.handle)) throw new IllegalStateException("a ZONE_NOSPLIT folio at block " + f.handle + " was to be split");
        count.accept(VmStat.thp_split_page, 1);
        if (f.queued) queued--;
        f.split = true;
        f.queued = false;
        pages.splitBlock(f.handle, f.mappedPages);
        wake(f);
        return f.nrPages - f.mapped;
    }

    /**
     * The window's folio pages become ordinary 4 KiB pages of {@code mm}, split from the folio first.
     * Simplification: the model does this where the kernel would mix a PTE-mapped folio's pages with
     * other pages in one page table (a fault into a hole, swap-out, an unaligned mremap move).
     */
    public void toBasePages(Mm mm, Vma v, int i) {
        Folio f = folios.get(v.page(i));
        if (!f.split) split(f);
        int n = v.pte(i);
        f.mapped -= n;
        if (f.mapped == 0) forget(f);
        v.folioToPtes(i);
        v.clear(i, Vma.RESERVED_BLOCK);
    }

    /**
     * A fault into pages [from, to) of a window whose never-split folio {@code id} no PTE maps there: the
     * folio's own pages at those offsets are mapped again and returned as runs (rule 68). Simplification:
     * the kernel maps new 4 KiB pages there and the folio's pages stay unused until the folio is freed.
     */
    public long[] remap(long id, int from, int to) {
        Folio f = folios.get(id);
        int nr = pages.zone(PageAllocator.node(f.handle)).blockPages;
        long base = (long) PageAllocator.block(f.handle) * nr;
        PageRuns.Builder b = new PageRuns.Builder();
        for (int p = Math.max(0, from); p < Math.min(to, f.nrPages); p++) {
            if ((f.mappedPages[p >>> 6] & (1L << p)) != 0) continue;
            f.mappedPages[p >>> 6] |= 1L << p;
            f.mapped++;
            b.add(PageAllocator.node(f.handle), base + p, p, 1);
        }
        return b.build();
    }

    /** Pages of unsplit PTE-mapped folios that nothing maps any more: in use until the split or the free. */
    public long unmappedPages() {
        long n = 0;
        for (Folio f : folios.values()) if (!f.split) n += f.nrPages - f.mapped;
        return n;
    }

    /** Whether folio {@code id} has been split (its pages no longer hold its block whole). */
    public boolean isSplit(long id) { return folios.get(id).split; }

    /** The block folio {@code id} was allocated as. */
    public long block(long id) { return folios.get(id).handle; }

    /** PTE-mapped folios still held. */
    public int size() { return folios.size(); }
}
