package hugesim.mm.vma;

import hugesim.mm.page.PageAlloc;

/**
 * One mm's page tables below its PGD, each a 4 KiB unmovable page counted in NR_PAGETABLE (meminfo
 * PageTables), as 6.1 keeps them on x86_64:
 * <ul>
 *   <li>a PTE table for each PMD-sized range where something is, or was, mapped by PTEs (__pte_alloc());
 *       zapping the PTEs leaves it, only unmapping the range frees it (free_pgtables());</li>
 *   <li>a table deposited with each PMD-mapped THP or huge zero page (pgtable_trans_huge_deposit()), which
 *       becomes the PTE table when the PMD is split and is freed with the huge PMD (zap_deposited_table());</li>
 *   <li>a PMD table for each PUD-sized range (1 GiB) holding any of these or a HugeTLB page's PMD (__pmd_alloc()).</li>
 * </ul>
 * They follow what the windows hold: a {@link Vma} reports a window becoming empty or not, the {@link Mm} a VMA
 * coming or going.
 *
 * <p>Simplifications: the PGD and PUD pages (12 KiB per process with page-table isolation) are not allocated,
 * and 6.1 does not count them in PageTables either; a range's table goes when no window in it holds anything,
 * where free_pgtables() keeps it while a VMA still covers part of the range.
 */
public final class PageTables {
    /** The machine's side: where table pages come from, and how many are in use (NR_PAGETABLE). */
    public static final class Machine {
        final PageAlloc alloc;
        final long pmdSize, pudSize;
        long pages;

        public Machine(PageAlloc alloc, long pmdSize, int pageSize) {
            this.alloc = alloc;
            this.pmdSize = pmdSize;
            this.pudSize = pmdSize * (pageSize / 8);   // a table holds a page's worth of 8-byte entries
        }

        /** Page-table pages, over all processes (meminfo PageTables). */
        public long pages() { return pages; }
    }

    private final Machine machine;
    private final Mm mm;
    /** Windows holding something, per PMD range that VMAs may share (a window not wholly inside its VMA). */
    private final LongCounts sharedPte = new LongCounts();
    /** PTE tables and HugeTLB PMDs per PUD range: its PMD table is needed while any is. */
    private final LongCounts pmdUsers = new LongCounts();
    /** The pages held ({@code node << 48 | pfn}), in the order taken. */
    private long[] held = new long[16];
    private int nheld;
    /** Tables needed for which no page could be had without reclaim: the next fault takes them. */
    private int owed;
    /** Pages held beyond the tables needed, while a VMA is replaced by others (a split, a merge): not freed yet. */
    private int surplus;
    /** A page the fault path took, with reclaim, for the table its fault may need (vmf->prealloc_pte), or -1. */
    private long spare = -1;

    PageTables(Machine machine, Mm mm) {
        this.machine = machine;
        this.mm = mm;
    }

    /** Page-table pages this mm holds. */
    public long pages() { return nheld; }

    /** Tables this mm needs and has no page for yet. */
    public int owed() { return owed; }

    /** Window {@code i} of {@code v} now holds something ({@code holds}) or nothing; {@code pte}: with a PTE table (or a deposited one). */
    void changed(Vma v, int i, boolean holds, boolean pte) {
        settle();
        count(v, i, holds, pte);
        settle();
    }

    /** VMA {@code v} joins or leaves the mm with what its windows hold (a leaving VMA's tables wait as surplus). */
    void vma(Vma v, boolean added) {
        for (int i = 0; i < v.slots(); i++) if (v.kind(i) != Vma.EMPTY) count(v, i, added, v.kind(i) != Vma.FILE_PMD);
    }

    private void count(Vma v, int i, boolean holds, boolean pte) {
        long s = v.slotStart(i);
        int d = holds ? 1 : -1;
        if (v.hstate != null) {
            // a HugeTLB page is mapped by a PMD (a gigantic one by a PUD, whose table is not modelled)
            if (v.slotSize == machine.pmdSize) pmd(s, d);
            return;
        }
        if (!pte) {
            pmd(s, d);   // a shmem THP's PMD (do_set_pmd() deposits no table on x86)
            return;
        }
        // a window wholly inside its VMA has its PMD range to itself
        if (!v.windowInside(i) && sharedPte.add(s / machine.pmdSize, d) != (holds ? 1 : 0)) return;
        if (holds) take();
        else give();
        pmd(s, d);
    }

    private void pmd(long addr, int d) {
        int c = pmdUsers.add(Math.floorDiv(addr, machine.pudSize), d);
        if (d > 0 && c == 1) take();
        else if (d < 0 && c == 0) give();
    }

    private void take() {
        if (surplus > 0) {
            surplus--;
            return;
        }
        long p = spare >= 0 ? spare : machine.alloc.allocPgtableNowait(mm.node);
        spare = -1;
        if (p < 0) owed++;
        else hold(p);
    }

    private void give() {
        if (owed > 0) owed--;
        else surplus++;
    }

    private void hold(long page) {
        if (nheld == held.length) held = java.util.Arrays.copyOf(held, nheld * 2);
        held[nheld++] = page;
        machine.pages++;
    }

    /** pte_free(): pages held beyond what is needed go back, the last taken first. */
    public void settle() {
        for (; surplus > 0; surplus--) {
            machine.pages--;
            machine.alloc.freePgtable(held[--nheld]);
        }
    }

    /** A page the fault path allocated, with reclaim, for a table it may need: it pays a table owed, or is kept for the fault. */
    public void prealloc(long page) {
        if (owed > 0) {
            hold(page);
            owed--;
        } else {
            if (spare >= 0) machine.alloc.freePgtable(spare);
            spare = page;
        }
    }

    /** Whether a page is kept for the fault's table. */
    public boolean hasSpare() { return spare >= 0; }

    /** The fault is over: a page it took and did not need is freed (pte_free() of an unused prealloc_pte). */
    public void faultDone() {
        settle();
        if (spare >= 0) machine.alloc.freePgtable(spare);
        spare = -1;
    }

    /** Takes what is owed from the per-CPU lists without reclaim; true when nothing is owed any more. */
    public boolean payOwed() {
        while (owed > 0) {
            long p = machine.alloc.allocPgtableNowait(mm.node);
            if (p < 0) return false;
            hold(p);
            owed--;
        }
        return true;
    }
}
