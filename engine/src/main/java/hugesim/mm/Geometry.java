package hugesim.mm;

/**
 * Page-table geometry of the architecture: base page, PMD and pageblock sizes. x86_64 (4 KiB pages,
 * 2 MiB PMD, 2 MiB pageblocks) or arm64 with 64 KiB pages (512 MiB PMD; pageblock order per
 * PAGE_BLOCK_MAX_ORDER, docs/model.md 4.1).
 *
 * @param maxPageOrder MAX_PAGE_ORDER: 10, or ARCH_FORCE_MAX_ORDER (13 on arm64 with 64 KiB pages)
 */
public record Geometry(String arch, int pageSize, long pmdSize, long pageblockSize, long gigantic, int maxPageOrder) {
    /** x86_64 with 4 KiB pages: 2 MiB PMD and pageblocks, 1 GiB gigantic pages. */
    public static final Geometry X86_64 = new Geometry("x86_64", 4096, 2L << 20, 2L << 20, 1L << 30, 10);
    /**
     * arm64 with 64 KiB pages: 512 MiB PMD and, with the default PAGE_BLOCK_MAX_ORDER, 512 MiB pageblocks
     * (docs/model.md 4.1). Simplification: no gigantic (16 GiB contiguous-PMD) pages.
     */
    public static final Geometry ARM64_64K = new Geometry("arm64-64k", 65536, 512L << 20, 512L << 20, 0, 13);

    public static Geometry named(String arch) {
        return switch (arch) {
            case "x86_64" -> X86_64;
            case "arm64-64k" -> ARM64_64K;
            default -> throw new IllegalArgumentException("unknown arch '" + arch + "'; known: x86_64, arm64-64k");
        };
    }

    /**
     * This geometry built with CONFIG_PAGE_BLOCK_MAX_ORDER={@code order}: mm/Kconfig allows 1 up to
     * ARCH_FORCE_MAX_ORDER (MAX_PAGE_ORDER, 10, without it), and include/linux/pageblock-flags.h takes
     * pageblock_order = min(HPAGE_PMD_ORDER, PAGE_BLOCK_MAX_ORDER).
     */
    public Geometry withPageBlockMaxOrder(int order) {
        if (order < 1 || order > maxPageOrder) {
            throw new IllegalArgumentException("pageblockOrder (CONFIG_PAGE_BLOCK_MAX_ORDER) must be 1.." + maxPageOrder
                    + " on " + arch + ", got " + order);
        }
        long pageblock = (long) pageSize << Math.min(pmdOrder(), order);
        return new Geometry(arch, pageSize, pmdSize, pageblock, gigantic, maxPageOrder);
    }

    /** Huge page sizes hugepagesz= accepts. */
    public java.util.List<Long> hugePageSizes() {
        return gigantic == 0 ? java.util.List.of(pmdSize) : java.util.List.of(pmdSize, gigantic);
    }

    public int pmdPages() { return (int) (pmdSize / pageSize); }

    public int pmdOrder() { return Long.numberOfTrailingZeros(pmdSize / pageSize); }

    /** pageblock_order; pageblock_nr_pages is {@link #pageblockPages()}. */
    public int pageblockOrder() { return Long.numberOfTrailingZeros(pageblockSize / pageSize); }

    public int pageblockPages() { return (int) (pageblockSize / pageSize); }

    /**
     * The zone's block: order max(PMD order, pageblock order), the unit reserved_thp_pageblocks() allocates
     * (rule 6). Since pageblock_order ≤ the PMD order it is always one PMD-sized unit.
     */
    public long blockSize() { return Math.max(pmdSize, pageblockSize); }

    public int blockPages() { return (int) (blockSize() / pageSize); }

    /** Pageblocks per zone block: several when PAGE_BLOCK_MAX_ORDER is below the PMD order. */
    public int pageblocksPerBlock() { return (int) (blockSize() / pageblockSize); }

    /** hpages per reserved block: 2^(block order − PMD order) (rule 6). */
    public int hpagesPerReservedBlock() { return (int) (blockSize() / pmdSize); }

    public long kB(long pages) { return pages * (pageSize / 1024); }
}
