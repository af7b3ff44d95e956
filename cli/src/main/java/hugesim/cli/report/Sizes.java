package hugesim.cli.report;

import java.util.Locale;

/**
 * A size for a table cell: GiB, or MiB below 1 GiB and KiB below 1 MiB, so that a conformance scenario's
 * 16 MiB reads 16.0 MiB and not 0.0 GiB. Zero reads 0.0 GiB, as in a table of larger runs.
 */
public final class Sizes {
    private Sizes() {}

    public static String of(double bytes) {
        double abs = Math.abs(bytes);
        if (abs == 0 || abs >= 1L << 30) return String.format(Locale.ROOT, "%.1f GiB", bytes / (1L << 30));
        if (abs >= 1L << 20) return String.format(Locale.ROOT, "%.1f MiB", bytes / (1L << 20));
        return String.format(Locale.ROOT, "%.1f KiB", bytes / (1L << 10));
    }
}
