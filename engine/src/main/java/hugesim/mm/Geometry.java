package hugesim.mm;

/**
 * Page-table geometry of the architecture: base page, PMD and pageblock sizes. x86_64 (4 KiB pages,
 * 2 MiB PMD, 2 MiB pageblocks) or arm64 with 64 KiB pages (512 MiB PMD; pageblock order per
 * PAGE_BLOCK_MAX_ORDER, kernel-model 4.1).
 */
public record Geometry(String arch, int pageSize, long pmdSize, long pageblockSize, long gigantic) {
    /** x86_64 with 4 KiB pages: 2 MiB PMD and pageblocks, 1 GiB gigantic pages. */
    public static final Geometry X86_64 = new Geometry("x86_64", 4096, 2L << 20, 2L << 20, 1L << 30);
    /**
     * arm64 with 64 KiB pages: 512 MiB PMD and, with the default PAGE_BLOCK_MAX_ORDER, 512 MiB pageblocks
     * (kernel-model 4.1). Simplification: no gigantic (16 GiB contiguous-PMD) pages.
     */
    public static final Geometry ARM64_64K = new Geometry("arm64-64k", 65536, 512L << 20, 512L << 20, 0);

    public static Geometry named(String arch) {
        return switch (arch) {
            case "x86_64" -> X86_64;
            case "arm64-64k" -> ARM64_64K;
            default -> throw new IllegalArgumentException("unknown arch '" + arch + "'; known: x86_64, arm64-64k");
        };
    }

    /** Huge page sizes hugepagesz= accepts. */
    public java.util.List<Long> hugePageSizes() {
        return gigantic == 0 ? java.util.List.of(pmdSize) : java.util.List.of(pmdSize, gigantic);
    }

    public int pmdPages() { return (int) (pmdSize / pageSize); }

    public int pageblockPages() { return (int) (pageblockSize / pageSize); }

    /** Pageblocks per PMD-sized unit (a THP or a reserved THP unit): max(PMD order, pageblock order) (rule 6). */
    public int blocksPerPmd() { return (int) Math.max(1, pmdSize / pageblockSize); }

    /** hpages per reserved block: 2^(block order − PMD order) (rule 6). */
    public int hpagesPerReservedBlock() { return (int) Math.max(1, pageblockSize / pmdSize); }

    public long kB(long pages) { return pages * (pageSize / 1024); }
}
