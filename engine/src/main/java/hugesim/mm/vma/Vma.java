package hugesim.mm.vma;

import hugesim.mm.hugetlb.Hstate;
import hugesim.mm.page.PageRuns;
import hugesim.mm.swap.SwapReadahead;

import java.util.Arrays;

/**
 * A vm_area_struct with what is mapped in it, kept per PMD-sized window ("slot"; per huge page for
 * HugeTLB VMAs) in primitive arrays: a 16 GiB VMA costs a few hundred KiB, never an object per page.
 */
public final class Vma {
    /**
     * What a slot holds. PTE_THP: a THP folio whose PMD was split, mapped by {@code pte[i]} PTEs; page[i]
     * is its id in the deferred-split table, and the window holds nothing else.
     */
    public static final byte EMPTY = 0, PMD_THP = 1, PTE = 2, HUGETLB = 3, ZERO_THP = 4, PTE_THP = 5,
            /** A shmem file's THP mapped by a PMD (the file holds it; no table is deposited for a file PMD on x86). */
            FILE_PMD = 6,
            /** A shmem file's pages mapped by PTEs: pte[i] of them, counted, not placed (the file holds where they are). */
            FILE_PTE = 7;
    /** Slot bits. */
    public static final byte WRITEBACK = 2, RESERVED_BLOCK = 4, RESV = 8,
            /** The slot maps a hugetlbfs file's page-cache page (shared, or read through a private mapping). */
            FILE_PAGE = 32,
            /** Swapped pages of the window are being read back in (swap-in in flight). */
            READING = 64,
            /** HugeTLB: the owner took this page back on COW; the child's next access is SIGBUS (HPAGE_RESV_UNMAPPED). */
            UNMAPPED = 16,
            /** A THP fault here has had its one round of direct reclaim; its retry falls back if it fails again. */
            THP_RECLAIMED = (byte) 0x80;

    public long start, end, flags;
    public final Hstate hstate;
    public final long slotSize;
    public final long slotBase;
    // per-window state: read through the accessors below, changed only by this class's methods
    private final byte[] kind;
    private final byte[] bits;
    private final long[] page;      // block handle of a THP or HugeTLB page; swap cluster of a whole swapped THP; folio id (PTE_THP)
    private final short[] pte;      // 4 KiB pages resident in a PTE-mapped slot
    private final short[] swp;      // swap entries in a PTE-mapped slot
    private final long[][] runs;    // where the pte[i] pages are (PageRuns), by offset in the window
    private final long[] share;     // copy-on-write sharing after fork: an id in MemoryModel's share table, 0 if private
    private final LruFolio[] lru;   // the window's entry on its node's LRU, or null
    public boolean dead;
    /** HugeTLB private mapping that made the reservation (HPAGE_RESV_OWNER); a fork child is not one. */
    public boolean resvOwner;
    /** The hugetlbfs file this VMA maps, and the huge-page index its first slot maps; null for anonymous memory. */
    public hugesim.mm.hugetlb.HugetlbFile file;
    public long pgoff;
    /** The shmem file this VMA maps (its windows map the file's PMD-sized indices from pgoff on); null otherwise. */
    public hugesim.mm.shmem.ShmemFile shmem;
    /** The hugetlb cgroup this mapping's reservation is charged to (rsvd.current), or null. */
    public hugesim.mm.hugetlb.HugetlbCgroup rsvdCgroup;
    /** vma->swap_readahead_info: the last swap fault's address, readahead window and hits (SwapReadahead). */
    private long swapReadaheadInfo;

    public Vma(long start, long end, long flags, Hstate hstate, long slotSize) {
        this.start = start;
        this.end = end;
        this.flags = flags;
        this.hstate = hstate;
        this.slotSize = slotSize;
        this.slotBase = Math.floorDiv(start, slotSize) * slotSize;
        int n = (int) ((end - slotBase + slotSize - 1) / slotSize);
        kind = new byte[n];
        bits = new byte[n];
        page = new long[n];
        pte = new short[n];
        swp = new short[n];
        runs = new long[n][];
        share = new long[n];
        lru = new LruFolio[n];
        Arrays.fill(page, -1);
        Arrays.fill(runs, PageRuns.NONE);
    }

    private Vma(Vma from, long start, long end) {
        this(start, end, from.flags, from.hstate, from.slotSize);
        int off = (int) ((slotBase - from.slotBase) / slotSize);
        copySlots(from, off, this, 0, kind.length);
        resvOwner = from.resvOwner;
        rsvdCgroup = from.rsvdCgroup;
        file = from.file;
        shmem = from.shmem;
        pgoff = from.pgoff + off;
        swapReadaheadInfo = from.swapReadaheadInfo;   // vm_area_dup() copies it with the rest
        if (file != null) file.get();
        if (shmem != null) shmem.get();
    }

    /** The part [from, to) of this VMA as a VMA of its own, sharing nothing. */
    public Vma slice(long from, long to) {
        return new Vma(this, from, to);
    }

    /**
     * swapin_readahead() for window {@code i}'s {@code n} swap entries, faulted in address order: what the
     * faults came to, this VMA's readahead state moved on (SwapReadahead).
     */
    public SwapReadahead.Result swapInReadahead(SwapReadahead ra, int i, int n, int pageSize) {
        long pmd = slotStart(i) / pageSize;
        SwapReadahead.Result r = ra.swapIn(swapReadaheadInfo, pmd + firstPage(i, pageSize), n, start / pageSize,
                end / pageSize, pmd, (int) (slotSize / pageSize));
        swapReadaheadInfo = r.raInfo();
        return r;
    }

    public boolean has(long flag) { return (flags & flag) != 0; }

    public long length() { return end - start; }

    public int slots() { return kind.length; }

    /** The file index a slot maps (for VMAs of a hugetlbfs file; the PMD-sized index for a shmem file). */
    public long fileIndex(int i) { return pgoff + i; }

    public int slotOf(long addr) { return (int) ((addr - slotBase) / slotSize); }

    public long slotStart(int i) { return slotBase + i * slotSize; }

    /** True when slot {@code i}'s whole window lies inside the VMA (a PMD may map it). */
    public boolean windowInside(int i) {
        long s = slotStart(i);
        return s >= start && s + slotSize <= end;
    }

    /** Base pages of slot {@code i} that lie inside the VMA. */
    public int pagesIn(int i, int pageSize) {
        long s = Math.max(slotStart(i), start), e = Math.min(slotStart(i) + slotSize, end);
        return (int) ((e - s) / pageSize);
    }

    /** The offset in slot {@code i} of its first base page inside the VMA. */
    public int firstPage(int i, int pageSize) {
        return (int) ((Math.max(slotStart(i), start) - slotStart(i)) / pageSize);
    }

    /** The offset in slot {@code i} just past its last base page inside the VMA. */
    public int endPage(int i, int pageSize) {
        return (int) ((Math.min(slotStart(i) + slotSize, end) - slotStart(i)) / pageSize);
    }

    /** {@code n} windows of {@code from} from its window {@code i} on, as they are, into {@code to} from window {@code j}. */
    public static void copySlots(Vma from, int i, Vma to, int j, int n) {
        System.arraycopy(from.kind, i, to.kind, j, n);
        System.arraycopy(from.bits, i, to.bits, j, n);
        System.arraycopy(from.page, i, to.page, j, n);
        System.arraycopy(from.pte, i, to.pte, j, n);
        System.arraycopy(from.swp, i, to.swp, j, n);
        System.arraycopy(from.runs, i, to.runs, j, n);
        System.arraycopy(from.share, i, to.share, j, n);
        System.arraycopy(from.lru, i, to.lru, j, n);
    }

    // ---- what a window holds ----------------------------------------------------------------------

    public byte kind(int i) { return kind[i]; }

    /** The THP or HugeTLB page's block handle, a whole swapped THP's swap cluster, or a PTE-mapped folio's id; -1 for none. */
    public long page(int i) { return page[i]; }

    /** 4 KiB pages resident in a PTE-mapped window. */
    public short pte(int i) { return pte[i]; }

    /** Swap entries of a PTE-mapped window. */
    public short swp(int i) { return swp[i]; }

    /** Where the window's {@link #pte} pages are ({@link PageRuns}); never to be changed by the caller. */
    public long[] runs(int i) { return runs[i]; }

    /** The window's entry on the LRU, or null when it is on none (mm.reclaim keeps the lists). */
    public LruFolio lru(int i) { return lru[i]; }

    public void setLru(int i, LruFolio f) { lru[i] = f; }

    /** The window's copy-on-write share id (MemoryModel's share table), 0 when private. */
    public long share(int i) { return share[i]; }

    // ---- how it changes ---------------------------------------------------------------------------

    /** The page tables of the mm this VMA is in (set while it is in one), told when a window fills or empties. */
    PageTables tables;

    private void setKind(int i, byte k) {
        byte old = kind[i];
        kind[i] = k;
        // a file PMD needs no PTE table, and a window gets one only by becoming FILE_PTE from empty
        if (tables != null && (old == EMPTY) != (k == EMPTY)) tables.changed(this, i, k != EMPTY, (k == EMPTY ? old : k) != FILE_PMD);
    }

    /** A PMD maps THP block {@code block} (a THP fault, a reserved fault). */
    public void mapPmd(int i, long block) {
        setKind(i, PMD_THP);
        page[i] = block;
    }

    /** A collapse (khugepaged, MADV_COLLAPSE): the window's pages and swap entries are replaced by THP {@code block}. */
    public void collapse(int i, long block) {
        mapPmd(i, block);
        setRuns(i, PageRuns.NONE);
        swp[i] = 0;
    }

    /** A whole swapped-out THP is read back into {@code block}. */
    public void swapInWhole(int i, long block) {
        mapPmd(i, block);
        swp[i] = 0;
    }

    /** HugeTLB page {@code page} is mapped. */
    public void mapHugePage(int i, long page) {
        setKind(i, HUGETLB);
        this.page[i] = page;
    }

    /** The window maps another folio of the same kind (a HugeTLB COW copy, a migrated THP). */
    public void replaceFolio(int i, long handle) { page[i] = handle; }

    /** A read fault maps the huge zero page. */
    public void mapZeroPage(int i) { setKind(i, ZERO_THP); }

    /** The huge zero page's PMD goes (a write to it, a split). */
    public void unmapZeroPage(int i) { setKind(i, EMPTY); }

    /** The window's memory is held by the mappings of share {@code id} (0: private again). */
    public void setShare(int i, long id) { share[i] = id; }

    /** do_anonymous_page() installs a page table: an empty window is PTE-mapped from now on. */
    public void installPageTable(int i) {
        if (kind[i] == EMPTY) setKind(i, shmem != null ? FILE_PTE : PTE);
    }

    /** do_set_pmd(): a PMD maps the shmem file's THP. */
    public void mapFilePmd(int i) { setKind(i, FILE_PMD); }

    /** The shmem file's pages are mapped by PTEs: {@code n} of them in all (none: the table alone). */
    public void mapFilePtes(int i, int n) {
        setKind(i, FILE_PTE);
        pte[i] = (short) n;
    }

    /** A 4 KiB fault maps the window with PTEs. */
    public void mapPtes(int i) { setKind(i, PTE); }

    /** Pages at the offsets {@code added} gives are mapped (none of them mapped before). */
    public void addPages(int i, long[] added) {
        setRuns(i, PageRuns.merge(runs[i], added));
    }

    /** The pages mapped at offsets [from, to) are unmapped; returns them. */
    public long[] removePages(int i, int from, int to) {
        long[] r = runs[i];
        long[] gone = PageRuns.select(r, from, to, true);
        if (gone.length > 0) setRuns(i, PageRuns.select(r, from, to, false));
        return gone;
    }

    /** The window's pages moved: it maps {@code pages} instead, at the same offsets. */
    public void replacePages(int i, long[] pages) {
        if (PageRuns.pages(pages) != pte[i]) throw new IllegalStateException("a move changed the number of pages");
        runs[i] = pages;
    }

    /** Every page mapped is unmapped; returns them. */
    public long[] removeAllPages(int i) {
        long[] r = runs[i];
        setRuns(i, PageRuns.NONE);
        return r;
    }

    private void setRuns(int i, long[] r) {
        runs[i] = r;
        pte[i] = (short) PageRuns.pages(r);
    }

    /** {@code n} swap entries are freed. */
    public void dropSwapEntries(int i, int n) { swp[i] = (short) (swp[i] - n); }

    /** Swap-in of {@code n} pages completed into pages {@code read}: they are resident, the entries are gone. */
    public void swappedIn(int i, int n, long[] read) {
        swp[i] = 0;
        page[i] = -1;
        addPages(i, read);
    }

    /** A whole THP went to swap cluster {@code cluster}: 512 swap PTEs replace the PMD. */
    public void swappedOutWhole(int i, int cluster, int pages) {
        setKind(i, PTE);
        setRuns(i, PageRuns.NONE);
        swp[i] = (short) pages;
        page[i] = cluster;
    }

    /** {@code pages} of the window went to single swap slots: all of them (a split THP's, when {@code wasThp}). */
    public void swappedOut(int i, int pages, boolean wasThp) {
        setKind(i, PTE);
        setRuns(i, PageRuns.NONE);
        swp[i] = (short) (swp[i] + pages);
        page[i] = -1;
    }

    /** The 4 KiB pages mapped at offsets [from, to) went to single swap slots; returns them. */
    public long[] swappedOutPages(int i, int from, int to) {
        long[] gone = removePages(i, from, to);
        swp[i] = (short) (swp[i] + PageRuns.pages(gone));
        return gone;
    }

    /** A whole swapped THP's cluster becomes single slots (the window is about to be cut). */
    public void clusterToSlots(int i) { page[i] = -1; }

    /** __split_huge_pmd(): the THP is now folio {@code folio}, its pages mapped by PTEs at {@code pages}. */
    public void pmdSplit(int i, long folio, long[] pages) {
        page[i] = folio;
        setKind(i, PTE_THP);
        setRuns(i, pages);
    }

    /** The window's PTE-mapped folio is no longer its own: its pages are ordinary 4 KiB pages. */
    public void folioToPtes(int i) {
        dropFolio(i);
    }

    /** The PTE-mapped folio's last page here is gone; the page table stays. */
    public void dropFolio(int i) {
        setKind(i, PTE);
        page[i] = -1;
    }

    /** Copy-on-write: this side's window now holds private 4 KiB pages {@code pages} (none: empty). */
    public void privateCopy(int i, long[] pages) {
        share[i] = 0;
        lru[i] = null;   // new pages: the next access puts them on the LRU
        setKind(i, pages.length > 0 ? PTE : EMPTY);
        page[i] = -1;
        setRuns(i, pages);
        swp[i] = 0;
        clear(i, RESERVED_BLOCK);
    }

    /** Nothing is mapped any more (its memory freed, or left to the other sharers). */
    public void clearWindow(int i) {
        lru[i] = null;
        setKind(i, EMPTY);
        page[i] = -1;
        setRuns(i, PageRuns.NONE);
        swp[i] = 0;
    }

    /** The window holds none of its folio's pages any more: only its page table stays. */
    public void keepTableOnly(int i) {
        dropFolio(i);
        clear(i, RESERVED_BLOCK);
    }

    /** The window holds these pages and swap entries of a window cut or moved. */
    public void setPages(int i, long[] pages, int swp) {
        setRuns(i, pages);
        this.swp[i] = (short) swp;
    }

    /** Forgets the window entirely, bits and share included (its contents moved elsewhere). */
    public void reset(int i) {
        clearWindow(i);
        share[i] = 0;
        bits[i] = 0;
    }

    public boolean is(int i, byte bit) { return (bits[i] & bit) != 0; }

    /** Swap I/O of either direction is in flight for the window. */
    public boolean underIo(int i) { return (bits[i] & (WRITEBACK | READING)) != 0; }

    public void set(int i, byte bit) { bits[i] |= bit; }

    public void clear(int i, byte bit) { bits[i] &= (byte) ~bit; }

    @Override
    public String toString() {
        return String.format("%x-%x %s", start, end, VmFlags.smaps(flags));
    }
}
