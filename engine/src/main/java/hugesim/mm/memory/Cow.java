package hugesim.mm.memory;

import hugesim.mm.page.AllocRequest;
import hugesim.mm.page.Allocation;
import hugesim.mm.page.Gfp;
import hugesim.mm.page.PageRuns;
import hugesim.mm.vma.Mm;
import hugesim.mm.vma.Vma;
import hugesim.mm.model.MemoryModel;
import hugesim.mm.VmStat;

/**
 * Windows shared copy-on-write after fork (mm/memory.c wp_page_copy, mm/huge_memory.c
 * do_huge_pmd_wp_page): one side takes a private copy in ordinary 4 KiB pages, or lets go of its view.
 * Per-process counters (RSS, swap entries) count shared memory in every process, as the kernel's do;
 * the memory itself is freed when its last holder lets go.
 */
public final class Cow {
    private final MemoryModel m;

    public Cow(MemoryModel m) {
        this.m = m;
    }

    /**
     * This side gets its own copy of the window's data as 4 KiB pages (a shared THP is split at PMD
     * level first; swapped data is read back), without reclaim. False when no memory was left for the copy.
     */
    public boolean copy(Mm mm, Vma v, int i) {
        return copy(mm, v, i, request(mm, v, i)) == Allocation.Status.OK;
    }

    /**
     * wp_page_copy() from a fault: the copy's pages may be had by direct reclaim or the OOM killer;
     * when the allocation did not succeed, its status says what the slow path did, and {@code retry}
     * faults again when it is over.
     */
    public Allocation.Status copy(Mm mm, Vma v, int i, Runnable retry) {
        return copy(mm, v, i, request(mm, v, i).reclaiming(mm.pid, retry));
    }

    private AllocRequest request(Mm mm, Vma v, int i) {
        return AllocRequest.pages(pagesToCopy(v, i), mm.node, Gfp.WMARK_MIN);
    }

    private int pagesToCopy(Vma v, int i) {
        return v.kind(i) == Vma.PMD_THP ? v.pagesIn(i, m.geometry.pageSize()) : v.pte(i) + v.swp(i);
    }

    private Allocation.Status copy(Mm mm, Vma v, int i, AllocRequest r) {
        boolean thp = v.kind(i) == Vma.PMD_THP;
        int pages = pagesToCopy(v, i);
        long[] copy = PageRuns.NONE;
        if (pages > 0) {
            // an emptied window copies nothing: it allocates nothing
            Allocation a = m.alloc.allocPages(r);
            if (!a.ok()) return a.status();
            // the copies of mapped pages take their offsets; those of a THP or of swapped data fill the rest
            int ps = m.geometry.pageSize();
            long[] mapped = thp ? PageRuns.NONE : PageRuns.place(a.runs(), v.runs(i));
            long[] rest = PageRuns.first(a.runs(), PageRuns.pages(mapped), false);
            copy = PageRuns.fillGaps(mapped, rest, v.firstPage(i, ps), v.endPage(i, ps), false);
        }
        if (thp) {
            mm.addThps(-1);
            m.count(VmStat.thp_split_pmd);
        }
        mm.addAnonPages(pages - v.pte(i));
        mm.swapEntries -= v.swp(i);
        m.unshare(v.share(i));
        v.privateCopy(i, copy);
        return Allocation.Status.OK;
    }

    /** This side lets go of the window; the memory stays with the other holders. */
    public void dropView(Mm mm, Vma v, int i) {
        if (v.kind(i) == Vma.PMD_THP) mm.addThps(-1);
        mm.addAnonPages(-(v.pte(i)));
        mm.swapEntries -= v.swp(i);
        m.unshare(v.share(i));
        v.setShare(i, 0);
        v.clearWindow(i);
        v.clear(i, Vma.RESERVED_BLOCK);
    }
}
