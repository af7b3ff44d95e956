package hugesim.mm.thp;

import java.util.List;

/** /sys/kernel/mm/transparent_hugepage: enabled, defrag and use_zero_page (mm/huge_memory.c). */
public final class ThpSettings {
    public static final List<String> ENABLED = List.of("always", "madvise", "never");
    public static final List<String> DEFRAG = List.of("always", "defer", "defer+madvise", "madvise", "never");

    public String enabled = "madvise";
    public String defrag = "madvise";
    public boolean useZeroPage = true;

    /**
     * vma_thp_gfp_mask(): whether a THP fault may enter direct reclaim (__GFP_DIRECT_RECLAIM): always with
     * {@code always}; for MADV_HUGEPAGE regions with {@code madvise} and {@code defer+madvise}; never with
     * {@code defer} and {@code never}, which fail at once.
     */
    public boolean directReclaim(boolean madvised) {
        return switch (defrag) {
            case "always" -> true;
            case "madvise", "defer+madvise" -> madvised;
            default -> false;
        };
    }

    /**
     * vma_thp_gfp_mask(): whether a THP fault wakes kswapd (__GFP_KSWAPD_RECLAIM), which wakes kcompactd:
     * with {@code defer}, and with {@code defer+madvise} outside MADV_HUGEPAGE regions; {@code always}'s
     * GFP_TRANSHUGE and the madvise modes' direct reclaim do not carry it.
     */
    public boolean kswapdReclaim(boolean madvised) {
        return switch (defrag) {
            case "defer" -> true;
            case "defer+madvise" -> !madvised;
            default -> false;
        };
    }

    /** The sysfs text, the active choice in brackets: {@code always [madvise] never}. */
    public static String show(List<String> choices, String active) {
        StringBuilder b = new StringBuilder();
        for (String c : choices) {
            if (b.length() > 0) b.append(' ');
            b.append(c.equals(active) ? "[" + c + "]" : c);
        }
        return b.toString();
    }
}
