package hugesim.mm.memory;

import hugesim.mm.Fault;
import hugesim.mm.VmStat;
import hugesim.mm.model.MemoryModel;
import hugesim.mm.shmem.Shmem;
import hugesim.mm.shmem.ShmemFile;
import hugesim.mm.shmem.ShmemFolio;
import hugesim.mm.vma.Mm;
import hugesim.mm.vma.Vma;
import hugesim.mm.vma.VmFlags;

/**
 * The shmem fault (mm/shmem.c shmem_fault(), then mm/memory.c finish_fault()): the file's pages for the window's
 * index are found or allocated ({@link Shmem#getFolio}), then mapped: a THP by its PMD when the window's PMD is
 * empty and lies wholly inside the VMA (do_set_pmd()), anything else by PTEs. A shared mapping maps the file's
 * own pages, so a write needs no copy.
 *
 * <p>Simplification: a fault beyond i_size is SIGBUS only when the window's first page lies beyond it; a window
 * that i_size cuts maps the pages below it.
 */
final class ShmemFault {
    private final MemoryModel m;
    private final hugesim.mm.memcg.MemcgCharge charge;

    ShmemFault(MemoryModel m, hugesim.mm.memcg.MemcgCharge charge) {
        this.m = m;
        this.charge = charge;
    }

    /** Returns {@link Fault#DONE}, {@link Fault#WAIT}, {@link Fault#SIGBUS}, or what the allocation or charge came to. */
    int fault(Mm mm, Vma v, int i, boolean write, Runnable retry) {
        ShmemFile f = v.shmem;
        long index = v.fileIndex(i);
        int ps = m.geometry.pageSize(), pmdPages = m.geometry.pmdPages();
        long fileEnd = (f.size() + ps - 1) / ps - index * pmdPages;   // i_size, in pages from the stretch's start
        int first = v.firstPage(i, ps);
        if (first >= fileEnd) return Fault.SIGBUS;
        int end = (int) Math.min(v.endPage(i, ps), fileEnd);
        if (v.kind(i) == Vma.FILE_PMD || (v.kind(i) == Vma.FILE_PTE && v.pte(i) >= end - first)) return Fault.DONE;
        boolean reclaimed = v.is(i, Vma.THP_RECLAIMED);
        v.clear(i, Vma.THP_RECLAIMED);
        boolean advised = v.has(VmFlags.VM_HUGEPAGE);
        boolean huge = m.shmem.isHuge(f, index, advised, mm.thpDisabled(v.flags, false));
        Shmem.Request r = new Shmem.Request(mm.node, mm.memcg, mm.pid, huge,
                !reclaimed && m.thp.directReclaim(advised), m.thp.kswapdReclaim(advised), retry, charge);
        int got = m.shmem.getFolio(f, index, f.size(), r);
        if (got == Shmem.HUGE_WAIT) {
            v.set(i, Vma.THP_RECLAIMED);   // one round of reclaim and compaction for the THP per fault
            return Fault.WAIT;
        }
        if (got != Fault.DONE) return got;
        ShmemFolio folio = f.folio(index);
        if (folio.huge() && v.kind(i) == Vma.EMPTY && v.windowInside(i)) {
            v.mapFilePmd(i);
            m.shmem.pmdMapped(folio, 1);
            mm.addShmemPages(pmdPages);
            m.count(VmStat.thp_file_mapped);
            return Fault.DONE;
        }
        int n = Math.max(0, Math.min(end, folio.huge() ? pmdPages : folio.pages()) - first);
        mm.addShmemPages(n - (v.kind(i) == Vma.FILE_PTE ? v.pte(i) : 0));
        v.mapFilePtes(i, n);
        return Fault.DONE;
    }
}
