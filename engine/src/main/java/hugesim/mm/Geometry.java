package hugesim.mm;

/**
 * Page-table geometry of the architecture: base page, PMD and pageblock sizes. x86_64 (4 KiB pages,
 * 2 MiB PMD, 2 MiB pageblocks) or arm64 with 64 KiB pages (512 MiB PMD; pageblock order per
 * PAGE_BLOCK_MAX_ORDER, kernel-model 4.1).
 */
public record Geometry(String arch, int pageSize, long pmdSize, long pageblockSize) {
    public static final Geometry X86_64 = new Geometry("x86_64", 4096, 2L << 20, 2L << 20);

    public int pmdPages() { return (int) (pmdSize / pageSize); }

    public int pageblockPages() { return (int) (pageblockSize / pageSize); }

    /** Pageblocks per PMD-sized unit (a THP or a reserved THP unit): max(PMD order, pageblock order) (rule 6). */
    public int blocksPerPmd() { return (int) Math.max(1, pmdSize / pageblockSize); }

    /** hpages per reserved block: 2^(block order − PMD order) (rule 6). */
    public int hpagesPerReservedBlock() { return (int) Math.max(1, pageblockSize / pmdSize); }

    public long kB(long pages) { return pages * (pageSize / 1024); }
}
