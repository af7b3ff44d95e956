package hugesim.units;

import java.util.Locale;

/** Sizes are plain {@code long} byte counts; this class parses and prints them the kernel's way. */
public final class Size {
    public static final long KB = 1L << 10, MB = 1L << 20, GB = 1L << 30, TB = 1L << 40;

    private Size() {}

    /**
     * Parses a size as the kernel's {@code memparse()} does: a number with an optional K, M, G, T, P or E
     * suffix (case-insensitive, powers of 1024). Returns the parsed value and how many characters were used.
     */
    public static long[] memparse(String s) {
        int i = 0;
        long v = 0;
        int base = 10;
        if (s.startsWith("0x") || s.startsWith("0X")) { base = 16; i = 2; }
        int start = i;
        while (i < s.length() && Character.digit(s.charAt(i), base) >= 0) {
            v = v * base + Character.digit(s.charAt(i), base);
            i++;
        }
        if (i == start) return new long[] {0, 0};
        if (i < s.length()) {
            int shift = switch (Character.toUpperCase(s.charAt(i))) {
                case 'K' -> 10; case 'M' -> 20; case 'G' -> 30; case 'T' -> 40; case 'P' -> 50; case 'E' -> 60;
                default -> 0;
            };
            if (shift > 0) { v <<= shift; i++; }
        }
        return new long[] {v, i};
    }

    /** Shortest exact form: {@code 22G}, {@code 1536M}, {@code 4K}, or bytes. */
    public static String format(long bytes) {
        String[] units = {"E", "P", "T", "G", "M", "K"};
        for (int u = 0; u < units.length; u++) {
            long unit = 1L << (10 * (6 - u));
            if (bytes != 0 && bytes % unit == 0) return (bytes / unit) + units[u];
        }
        return Long.toString(bytes);
    }

    /** Human form with two decimals in GiB/MiB, for tables. */
    public static String human(long bytes) {
        if (Math.abs(bytes) >= GB) return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) GB);
        if (Math.abs(bytes) >= MB) return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) MB);
        return String.format(Locale.ROOT, "%d KiB", bytes / KB);
    }
}
