package hugesim.kernel;

import hugesim.mm.thp.Khugepaged;
import hugesim.uapi.Errno;

/**
 * /sys/kernel/mm/transparent_hugepage/khugepaged/ (mm/khugepaged.c khugepaged_attr[]): each file's text
 * and what a write accepts, as the store functions parse it.
 */
final class KhugepagedSysfs {
    static final String DIR = "kernel/mm/transparent_hugepage/khugepaged/";

    private KhugepagedSysfs() {}

    /** The file's text, or null when {@code p} is not a khugepaged file. */
    static String read(Khugepaged k, String p) {
        if (!p.startsWith(DIR)) return null;
        return switch (p.substring(DIR.length())) {
            case "defrag" -> k.defrag ? "1" : "0";
            case "max_ptes_none" -> Integer.toString(k.maxPtesNone);
            case "max_ptes_swap" -> Integer.toString(k.maxPtesSwap);
            case "max_ptes_shared" -> Integer.toString(k.maxPtesShared);
            case "pages_to_scan" -> Integer.toString(k.pagesToScan);
            case "pages_collapsed" -> Long.toString(k.pagesCollapsed);
            case "full_scans" -> Long.toString(k.fullScans);
            case "scan_sleep_millisecs" -> Long.toString(k.scanSleepMillisecs);
            case "alloc_sleep_millisecs" -> Long.toString(k.allocSleepMillisecs);
            default -> null;
        };
    }

    /** 0 or a negative errno for a khugepaged file, null for another path. */
    static Integer write(Khugepaged k, String p, String v) {
        if (!p.startsWith(DIR)) return null;
        long n = parse(v);
        int hpagePmdNr = k.hpagePmdNr();
        switch (p.substring(DIR.length())) {
            case "defrag" -> {
                // single_hugepage_flag_store(): 0 or 1
                if (n != 0 && n != 1) return -Errno.EINVAL;
                k.defrag = n == 1;
            }
            case "max_ptes_none", "max_ptes_swap", "max_ptes_shared" -> {
                // kstrtoul(), at most HPAGE_PMD_NR - 1
                if (n < 0 || n > hpagePmdNr - 1) return -Errno.EINVAL;
                switch (p.substring(DIR.length())) {
                    case "max_ptes_none" -> k.maxPtesNone = (int) n;
                    case "max_ptes_swap" -> k.maxPtesSwap = (int) n;
                    default -> k.maxPtesShared = (int) n;
                }
            }
            case "pages_to_scan" -> {
                // kstrtouint(), not 0
                if (n <= 0 || n > UINT_MAX) return -Errno.EINVAL;
                k.pagesToScan = (int) Math.min(n, Integer.MAX_VALUE);
            }
            case "scan_sleep_millisecs", "alloc_sleep_millisecs" -> {
                if (n < 0 || n > UINT_MAX) return -Errno.EINVAL;
                if (p.endsWith("scan_sleep_millisecs")) k.scanSleepMillisecs = n;
                else k.allocSleepMillisecs = n;
                k.sleepSettingWritten();
            }
            case "pages_collapsed", "full_scans" -> { return -Errno.EACCES; }   // __ATTR_RO: 0444
            default -> { return -Errno.ENOENT; }
        }
        return 0;
    }

    private static final long UINT_MAX = 0xFFFF_FFFFL;

    /** kstrtoul() base 10: digits, an optional leading '+'; -1 for anything else or past 64 bits. */
    private static long parse(String v) {
        String s = v.startsWith("+") ? v.substring(1) : v;
        if (s.isEmpty() || !s.chars().allMatch(Character::isDigit)) return -1;
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
