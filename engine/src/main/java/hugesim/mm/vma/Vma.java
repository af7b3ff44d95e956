package hugesim.mm.vma;

import hugesim.mm.hugetlb.Hstate;

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
    public static final byte EMPTY = 0, PMD_THP = 1, PTE = 2, HUGETLB = 3, ZERO_THP = 4, PTE_THP = 5;
    /** Slot bits. */
    public static final byte COLD = 1, WRITEBACK = 2, RESERVED_BLOCK = 4, RESV = 8,
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
    public byte[] kind;
    public byte[] bits;
    public long[] page;      // block handle of a THP or HugeTLB page; swap cluster of a whole swapped THP; folio id (PTE_THP)
    public short[] pte;      // 4 KiB pages resident in a PTE-mapped slot
    public short[] swp;      // swap entries in a PTE-mapped slot
    public short[] rpte;     // of pte[i], pages in MIGRATE_RESERVED_THP blocks (left by a split reserved THP)
    public long[] share;     // copy-on-write sharing after fork: an id in MemoryModel's share table, 0 if private
    public boolean dead;
    /** HugeTLB private mapping that made the reservation (HPAGE_RESV_OWNER); a fork child is not one. */
    public boolean resvOwner;
    /** The hugetlbfs file this VMA maps, and the huge-page index its first slot maps; null for anonymous memory. */
    public hugesim.mm.hugetlb.HugetlbFile file;
    public long pgoff;
    /** The hugetlb cgroup this mapping's reservation is charged to (rsvd.current), or null. */
    public hugesim.mm.hugetlb.HugetlbCgroup rsvdCgroup;

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
        rpte = new short[n];
        share = new long[n];
        Arrays.fill(page, -1);
    }

    private Vma(Vma from, long start, long end) {
        this(start, end, from.flags, from.hstate, from.slotSize);
        int off = (int) ((slotBase - from.slotBase) / slotSize);
        int n = kind.length;
        System.arraycopy(from.kind, off, kind, 0, n);
        System.arraycopy(from.bits, off, bits, 0, n);
        System.arraycopy(from.page, off, page, 0, n);
        System.arraycopy(from.pte, off, pte, 0, n);
        System.arraycopy(from.swp, off, swp, 0, n);
        System.arraycopy(from.rpte, off, rpte, 0, n);
        System.arraycopy(from.share, off, share, 0, n);
        resvOwner = from.resvOwner;
        rsvdCgroup = from.rsvdCgroup;
        file = from.file;
        pgoff = from.pgoff + off;
        if (file != null) file.get();
    }

    /** The part [from, to) of this VMA as a VMA of its own, sharing nothing. */
    public Vma slice(long from, long to) {
        return new Vma(this, from, to);
    }

    public boolean has(long flag) { return (flags & flag) != 0; }

    public long length() { return end - start; }

    public int slots() { return kind.length; }

    /** The file index a slot maps (for VMAs of a hugetlbfs file). */
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
