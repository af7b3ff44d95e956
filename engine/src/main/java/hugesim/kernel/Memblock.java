package hugesim.kernel;

import hugesim.mm.Geometry;
import hugesim.mm.page.Zone;
import hugesim.units.Size;

import java.util.List;

/**
 * The memory the kernel keeps for itself at boot (memblock_reserve() and memblock_alloc()): it never
 * reaches the buddy allocator, so MemTotal (totalram_pages()) is RAM less it. The default follows what
 * Debian's 6.1 kernel keeps on x86_64: a fixed part (kernel image, bss, the low 1 MiB, firmware tables,
 * early page tables and per-CPU areas), the memory map (one 64-byte struct page per page), the dentry and
 * inode hash tables (alloc_large_system_hash(): 1/1024 and 1/2048 of memory), and 64 MiB of swiotlb
 * bounce buffers when memory extends above 4 GiB (pci_swiotlb_detect()). Measured in 6.1 guests of
 * 512 MiB to 16 GiB, it is within 1 MiB of RAM less MemTotal (1 GiB: 64820 kB, MemTotal 983756 kB).
 *
 * <p>Where it goes: the fixed part and swiotlb at the bottom of node 0 (the kernel image sits at 16 MiB,
 * swiotlb below 4 GiB), the rest split over the nodes at the top of each (memblock allocates top-down;
 * the memory map of a node lies on it), below a hugetlb_cma area, which is reserved before it.
 * Simplification: the hash tables are split over the nodes with the memory map.
 */
final class Memblock {
    /** The fixed part on x86_64, in bytes: RAM less MemTotal less the parts that scale, measured on 6.1. */
    static final long FIXED = 46900L * 1024;
    static final long SWIOTLB = 64 * Size.MB;

    private Memblock() {}

    /** The default for a machine of {@code memory} bytes. */
    static long defaultReserved(long memory, Geometry g) {
        long memmap = memory / g.pageSize() * 64;
        long hashes = memory / 1024 + memory / 2048;
        long swiotlb = memory > 4 * Size.GB && g.arch().equals("x86_64") ? SWIOTLB : 0;
        return roundUp(FIXED + swiotlb + memmap + hashes, g.pageSize());
    }

    /** A size a scenario gives: whole pages, leaving every node at least half of its memory. */
    static void check(long reserved, long memory, int nodes, Geometry g) {
        if (reserved < 0) throw new IllegalArgumentException("kernelReserved must not be negative, got " + reserved + " bytes");
        if (reserved % g.pageSize() != 0) {
            throw new IllegalArgumentException("kernelReserved " + reserved + " bytes is not a whole number of " + Size.format(g.pageSize()) + " pages");
        }
        long bottom = Math.min(reserved, bottomPart(memory, g));
        long perNode = memory / nodes;
        if (bottom + (reserved - bottom) / nodes > perNode / 2) {
            throw new IllegalArgumentException("kernelReserved " + Size.format(reserved) + " leaves node 0 less than half of its "
                    + Size.format(perNode) + " (the default for this machine is " + Size.format(defaultReserved(memory, g)) + ")");
        }
    }

    private static long bottomPart(long memory, Geometry g) {
        return FIXED + (memory > 4 * Size.GB && g.arch().equals("x86_64") ? SWIOTLB : 0);
    }

    /**
     * Takes {@code reserved} bytes out of the zones: the bottom part at node 0's lowest blocks, the rest
     * evenly at each node's highest free movable blocks; a part of a block is its top pages.
     */
    static void reserve(long reserved, long memory, Geometry g, List<Zone> zones) {
        long page = g.pageSize();
        long bottom = Math.min(reserved, bottomPart(memory, g)) / page;
        long rest = reserved / page - bottom;
        // what a node cannot hold goes to the next (a machine of many small nodes)
        for (Zone z : zones) bottom = takeBottom(z, bottom);
        long left = 0;
        for (int n = 0; n < zones.size(); n++) {
            long share = rest / zones.size() + (n < rest % zones.size() ? 1 : 0);
            left = takeTop(zones.get(n), share + left);
        }
        for (Zone z : zones) left = takeTop(z, left);
        if (bottom + left > 0) throw new IllegalStateException("the kernel's " + Size.format(reserved) + " do not fit in memory");
    }

    /** Returns the pages that did not fit. */
    private static long takeBottom(Zone z, long pages) {
        for (int b = 0; pages > 0 && b < z.nrBlocks; b++) {
            if (z.isFreeBlock(b)) pages = take(z, b, pages);
        }
        return pages;
    }

    /** Returns the pages that did not fit. */
    private static long takeTop(Zone z, long pages) {
        for (int b = z.nrBlocks - 1; pages > 0 && b >= 0; b--) {
            if (z.isFreeBlock(b) && z.typeOf(b) == hugesim.mm.page.MigrateType.MOVABLE) pages = take(z, b, pages);
        }
        return pages;
    }

    /** Free block {@code b} taken whole, or the {@code pages} left of it; returns the pages still to take. */
    private static long take(Zone z, int b, long pages) {
        if (pages < z.blockPages) {
            z.reservePages(b, (int) pages);
            return 0;
        }
        z.reserveBlock(b);
        return pages - z.blockPages;
    }

    private static long roundUp(long bytes, long unit) {
        return (bytes + unit - 1) / unit * unit;
    }
}
