package hugesim.mm.reclaim;

import hugesim.mm.model.MemoryModel;
import hugesim.mm.page.AllocRequest;
import hugesim.mm.page.Allocation;
import hugesim.mm.page.Gfp;
import hugesim.mm.page.PageRuns;

/**
 * zram's memory (drivers/block/zram, mm/zsmalloc.c): the compressed copies of the pages written to it
 * live in RAM, in pages zsmalloc allocates as they are needed (movable, without direct reclaim: the write
 * happens inside reclaim) and frees as slots are freed. What it holds is the slots in use divided by
 * the compression ratio (mm_stat's mem_used_total). Simplification: one ratio for every page, no
 * zsmalloc size classes or fragmentation.
 */
final class Zram {
    private final MemoryModel m;
    /** The pages held, at offsets 0 .. nrHeld − 1. */
    private long[] held = PageRuns.NONE;
    private long nrHeld;

    Zram(MemoryModel m) {
        this.m = m;
    }

    /** RAM pages holding compressed data (mem_used_total / PAGE_SIZE). */
    long pages() { return nrHeld; }

    /**
     * zs_malloc() for {@code slots} more pages about to be written: false when memory is too short
     * (zram_write_page() fails with -ENOMEM and the folio stays).
     */
    boolean store(int nid, long slots) {
        long want = m.swap.compressedPages(m.swap.usedSlots() + slots) - nrHeld;
        if (want <= 0) return true;
        Allocation a = m.alloc.allocPages(AllocRequest.pages(want, nid, 0));
        if (!a.ok()) return false;
        held = PageRuns.merge(held, PageRuns.shift(a.runs(), (int) nrHeld));   // offsets stay 0..nrHeld-1
        nrHeld += want;
        return true;
    }

    /** zs_free() after slots were freed: the pages beyond what the slots still in use need go back. */
    void shrink() {
        long surplus = nrHeld - m.swap.compressedPages(m.swap.usedSlots());
        if (surplus <= 0) return;
        int n = (int) surplus;
        long[] gone = PageRuns.first(held, n, true);
        held = PageRuns.shift(PageRuns.first(held, n, false), -n);
        nrHeld -= n;
        m.pages.freeRuns(gone);
        m.memoryFreed();
    }
}
