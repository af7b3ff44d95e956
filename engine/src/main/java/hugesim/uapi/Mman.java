package hugesim.uapi;

/** Constants of include/uapi/asm-generic/mman-common.h and mman.h (x86_64 values). */
public final class Mman {
    public static final int PROT_NONE = 0x0, PROT_READ = 0x1, PROT_WRITE = 0x2, PROT_EXEC = 0x4;

    public static final int MAP_SHARED = 0x01, MAP_PRIVATE = 0x02, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20,
            MAP_GROWSDOWN = 0x0100,
            MAP_NORESERVE = 0x4000, MAP_POPULATE = 0x8000, MAP_HUGETLB = 0x40000;
    /**
     * The {@code reservedThp(chargeAt: 'mmap')} design (docs/model.md 7.1): a reserved mapping made and charged
     * by mmap, as MAP_HUGETLB reserves. No kernel has it; 0x200000 is the first bit mman.h leaves free after
     * MAP_FIXED_NOREPLACE (0x100000).
     */
    public static final int MAP_RESERVED_THP = 0x200000;
    public static final int MAP_HUGE_SHIFT = 26;
    public static final int MAP_HUGE_2MB = 21 << MAP_HUGE_SHIFT, MAP_HUGE_1GB = 30 << MAP_HUGE_SHIFT;

    public static final int MADV_NORMAL = 0, MADV_RANDOM = 1, MADV_SEQUENTIAL = 2, MADV_WILLNEED = 3,
            MADV_DONTNEED = 4, MADV_FREE = 8, MADV_REMOVE = 9, MADV_DONTFORK = 10, MADV_DOFORK = 11,
            MADV_HUGEPAGE = 14, MADV_NOHUGEPAGE = 15, MADV_COLD = 20, MADV_PAGEOUT = 21,
            MADV_POPULATE_READ = 22, MADV_POPULATE_WRITE = 23, MADV_COLLAPSE = 25,
            /** RFC patch 8/8: value 26 in the generic header. */
            MADV_RESERVED_THP = 26;

    public static final int MREMAP_MAYMOVE = 1, MREMAP_FIXED = 2, MREMAP_DONTUNMAP = 4;

    /** memfd_create(2) flags; the huge page size is encoded as for mmap (MFD_HUGE_2MB = MAP_HUGE_2MB). */
    public static final int MFD_CLOEXEC = 0x1, MFD_ALLOW_SEALING = 0x2, MFD_HUGETLB = 0x4,
            MFD_HUGE_2MB = MAP_HUGE_2MB, MFD_HUGE_1GB = MAP_HUGE_1GB;
    /**
     * The {@code memPool} design (docs/model.md 9, rule 80): a memfd whose PMD-size pages come from the pool
     * and whose size is reserved. No kernel has it; 0x20 is the first bit after MFD_EXEC (0x10).
     */
    public static final int MFD_POOL = 0x20;

    /** fallocate(2) modes. */
    public static final int FALLOC_FL_KEEP_SIZE = 0x01, FALLOC_FL_PUNCH_HOLE = 0x02;

    private Mman() {}
}
