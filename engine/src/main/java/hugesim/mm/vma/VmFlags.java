package hugesim.mm.vma;

/** vm_flags bits of include/linux/mm.h that the model uses, with the RFC's VM_RESERVED_THP (bit 43). */
public final class VmFlags {
    public static final long VM_READ = 1L << 0, VM_WRITE = 1L << 1, VM_EXEC = 1L << 2, VM_SHARED = 1L << 3,
            VM_GROWSDOWN = 1L << 8,
            VM_SEQ_READ = 1L << 15, VM_RAND_READ = 1L << 16,
            VM_LOCKED = 1L << 13, VM_DONTCOPY = 1L << 17, VM_ACCOUNT = 1L << 20, VM_NORESERVE = 1L << 21,
            VM_HUGETLB = 1L << 22, VM_HUGEPAGE = 1L << 29, VM_NOHUGEPAGE = 1L << 30,
            VM_RESERVED_THP = 1L << 43;

    private VmFlags() {}

    /** The two-letter codes /proc/PID/smaps prints in VmFlags (show_smap_vma_flags). */
    public static String smaps(long f) {
        StringBuilder b = new StringBuilder();
        if ((f & VM_READ) != 0) b.append("rd ");
        if ((f & VM_WRITE) != 0) b.append("wr ");
        if ((f & VM_EXEC) != 0) b.append("ex ");
        if ((f & VM_SHARED) != 0) b.append("sh ");
        b.append("mr mw me ");
        if ((f & VM_GROWSDOWN) != 0) b.append("gd ");
        if ((f & VM_LOCKED) != 0) b.append("lo ");
        if ((f & VM_SEQ_READ) != 0) b.append("sr ");
        if ((f & VM_RAND_READ) != 0) b.append("rr ");
        if ((f & VM_DONTCOPY) != 0) b.append("dc ");
        if ((f & VM_ACCOUNT) != 0) b.append("ac ");
        if ((f & VM_NORESERVE) != 0) b.append("nr ");
        if ((f & VM_HUGETLB) != 0) b.append("ht ");
        if ((f & VM_HUGEPAGE) != 0) b.append("hg ");
        if ((f & VM_NOHUGEPAGE) != 0) b.append("nh ");
        if ((f & VM_RESERVED_THP) != 0) b.append("rt ");
        return b.toString().trim();
    }
}
