package hugesim.mm.swap;

import hugesim.mm.KernelVersion;
import hugesim.mm.page.BlockSet;
import hugesim.units.Bandwidth;

/**
 * A swap area on a block device (mm/swapfile.c): slots of one base page grouped in clusters of
 * SWAPFILE_CLUSTER slots (one PMD of pages with THP swap configured: 512 on x86_64). A PMD THP is swapped out whole only into a wholly
 * free cluster; single pages take slots from clusters already in use first.
 *
 * <p>What the device is ({@link SwapKind}, a swap file or not, the kernel version) decides whether a THP may
 * take a whole cluster: cluster_alloc_swap_entry() gives one to any block device since 6.14 ("mm, swap:
 * remove old allocation path for HDD"), never to a swap file; on 6.1 only a non-rotational block device
 * has clusters (swapon() allocates cluster_info for SWP_SOLIDSTATE alone).
 *
 * <p>Simplification: slots freed inside partly used clusters coalesce perfectly back into free clusters.
 * Transfers are served one after another at the device's bandwidth (one queue, no parallelism; for zram,
 * one CPU compressing).
 */
public final class SwapDevice {
    /** SWAPFILE_CLUSTER with THP swap: one PMD's worth of slots (512 on x86_64). */
    private final int cluster;

    private final long slots;
    private final int clusters;
    private final BlockSet freeClusters;
    private final BlockSet broken;
    private int nrFree;
    /** No free cluster lies below it: lowest-first searches start there. */
    private int hint;
    private int nrBroken;
    private long brokenFree;
    private final Bandwidth write;
    private final Bandwidth read;
    private final boolean thpCapable;
    public final SwapKind kind;
    public final boolean file;
    /** The kernel whose swap-out rules apply (clusters per device kind, the split's counters). */
    public final KernelVersion version;
    /** zram: how many pages of data one page of RAM holds. */
    public final double ratio;
    private long busyUntil;
    /** What a 4 KiB swap fault reads besides its own page (mm/swap_state.c). */
    public final SwapReadahead readahead;
    /** Runs whenever slots are freed (zram gives back the RAM that held them). */
    private Runnable onFree = () -> {};

    /** A block device (or a swap file, which cannot take a whole THP), an SSD on mainline. */
    public SwapDevice(long bytes, int pageSize, int clusterPages, Bandwidth write, Bandwidth read, boolean thpCapable) {
        this(bytes, pageSize, clusterPages, write, read, SwapKind.SSD, !thpCapable, KernelVersion.MAINLINE, SwapKind.ZRAM_RATIO);
    }

    /**
     * @param kind  what the area lives on
     * @param file  a swap file on a filesystem (SWP_BLKDEV clear): never a whole THP
     * @param ratio zram's compression ratio (ignored for other kinds)
     */
    public SwapDevice(long bytes, int pageSize, int clusterPages, Bandwidth write, Bandwidth read,
                      SwapKind kind, boolean file, KernelVersion version, double ratio) {
        this.kind = kind;
        this.file = file;
        this.version = version;
        this.ratio = ratio;
        this.thpCapable = !file && (kind != SwapKind.HDD || version != KernelVersion.V6_1);
        this.cluster = clusterPages;
        this.slots = bytes / pageSize;
        this.clusters = Math.toIntExact(slots / cluster);
        this.freeClusters = new BlockSet(clusters);
        this.broken = new BlockSet(clusters);
        this.freeClusters.set(0, clusters);
        this.nrFree = clusters;
        this.write = write;
        this.read = read;
        this.readahead = new SwapReadahead(this);
    }

    /**
     * SWP_SYNCHRONOUS_IO (zram): a write completes within reclaim, so the folio is freed in the same
     * pass, and swap-in reads synchronously past the swap cache (do_swap_page()).
     */
    public boolean synchronous() { return kind == SwapKind.ZRAM; }

    /** Whether a THP can go out whole into one cluster (see the class comment). */
    public boolean wholeThp() { return thpCapable; }

    /** Slots in use. */
    public long usedSlots() { return totalSlots() - freeSlots(); }

    /** zram: RAM pages holding {@code slots} compressed pages (zsmalloc), rounded up. */
    public long compressedPages(long slots) {
        return kind == SwapKind.ZRAM ? (long) Math.ceil(slots / ratio) : 0;
    }

    /** {@code r} runs after every free of slots. */
    public void onFree(Runnable r) { onFree = r; }

    /** Slots per cluster. */
    public int clusterSlots() { return cluster; }

    public long totalSlots() { return (long) clusters * cluster; }

    public long freeSlots() { return (long) nrFree * cluster + brokenFree; }

    public int freeClusters() { return nrFree; }

    /** A wholly free cluster for a whole THP, or -1 (then the THP must be split: thp_swpout_fallback). */
    public int allocCluster() {
        if (!thpCapable) return -1;
        int c = lowestFree();
        if (c >= 0) { freeClusters.clear(c); nrFree--; }
        return c;
    }

    /** Whether {@link #allocCluster()} would give a cluster now (a THP could go out whole). */
    public boolean canTakeWhole() { return thpCapable && nrFree > 0; }

    public void freeCluster(int c) {
        if (freeClusters.get(c)) throw new IllegalStateException("swap cluster " + c + " freed twice");
        freeClusters.set(c);
        nrFree++;
        hint = Math.min(hint, c);
        onFree.run();
    }

    private int lowestFree() {
        if (nrFree == 0) return -1;
        int c = freeClusters.nextSetBit(hint);
        hint = c < 0 ? clusters : c;
        return c;
    }

    /** {@code n} single-page slots, all or nothing. */
    public boolean allocSlots(long n) {
        if (freeSlots() < n) return false;
        while (brokenFree < n) {
            int c = lowestFree();
            freeClusters.clear(c);
            nrFree--;
            broken.set(c);
            nrBroken++;
            brokenFree += cluster;
        }
        brokenFree -= n;
        return true;
    }

    public void freeSlots(long n) {
        brokenFree += n;
        long inUse = (long) nrBroken * cluster - brokenFree;
        long surplus = nrBroken - (inUse + cluster - 1) / cluster;
        for (long k = 0; k < surplus; k++) {
            int c = broken.previousSetBit(clusters - 1);
            broken.clear(c);
            nrBroken--;
            freeClusters.set(c);
            nrFree++;
            hint = Math.min(hint, c);
            brokenFree -= cluster;
        }
        onFree.run();
    }

    /** Queues a write of {@code bytes} at {@code now}; returns when it completes. */
    public long write(long now, long bytes) {
        busyUntil = Math.max(now, busyUntil) + write.nanosFor(bytes);
        return busyUntil;
    }

    /** Queues a read of {@code bytes} at {@code now}; returns when it completes. */
    public long read(long now, long bytes) {
        busyUntil = Math.max(now, busyUntil) + read.nanosFor(bytes);
        return busyUntil;
    }
}
