package hugesim.mm.thp;

import java.util.List;

/** /sys/kernel/mm/transparent_hugepage: enabled, defrag and use_zero_page (mm/huge_memory.c). */
public final class ThpSettings {
    public static final List<String> ENABLED = List.of("always", "madvise", "never");
    public static final List<String> DEFRAG = List.of("always", "defer", "defer+madvise", "madvise", "never");

    public String enabled = "madvise";
    public String defrag = "madvise";
    public boolean useZeroPage = true;

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
