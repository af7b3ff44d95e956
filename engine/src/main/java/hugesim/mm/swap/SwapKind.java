package hugesim.mm.swap;

import hugesim.units.Bandwidth;
import hugesim.units.Size;

/**
 * What the swap area lives on ({@code swap 32.GB, device: 'hdd'}). The kind decides whether a THP can be
 * written whole (a swap cluster), whether written pages stay in the swap cache, and what a page costs.
 */
public enum SwapKind {
    /** A non-rotational block device (SWP_SOLIDSTATE): the default. */
    SSD("ssd", new Bandwidth(Size.GB), new Bandwidth(Size.GB)),
    /** A rotational disk: sequential rates of a 7200 rpm disk. */
    HDD("hdd", new Bandwidth(150 * Size.MB), new Bandwidth(150 * Size.MB)),
    /**
     * zram: pages compressed into RAM (SWP_SYNCHRONOUS_IO). Its rates are the CPU's compression and
     * decompression speed with lzo-rle on one core, so a page costs about 6 µs out and 2 µs in.
     */
    ZRAM("zram", new Bandwidth(700 * Size.MB), new Bandwidth(2 * Size.GB));

    public final String label;
    public final Bandwidth write, read;

    SwapKind(String label, Bandwidth write, Bandwidth read) {
        this.label = label;
        this.write = write;
        this.read = read;
    }

    /** zram's default compression ratio: lzo-rle on typical anonymous memory (mm_stat orig/compr). */
    public static final double ZRAM_RATIO = 3.0;

    public static SwapKind of(String label) {
        for (SwapKind k : values()) if (k.label.equals(label)) return k;
        throw new IllegalArgumentException("unknown swap device '" + label + "'; known: 'ssd' (the default), 'hdd', 'zram'");
    }

    @Override
    public String toString() { return label; }
}
