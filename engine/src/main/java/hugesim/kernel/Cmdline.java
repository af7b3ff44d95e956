package hugesim.kernel;

import hugesim.units.Size;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel command line's memory parameters, parsed as their early_param/__setup handlers parse them
 * (mm/hugetlb.c, mm/hugetlb_cma.c, mm/huge_memory.c, and the RFC's mm/reserved_thp.c). Bad values are
 * warned about, as the kernel prints them, and ignored.
 */
public final class Cmdline {
    /** hugepages= per huge page size, in the order given. */
    public final Map<Long, Long> hugepages = new LinkedHashMap<>();
    /** hugepages=N:count,… per huge page size: counts per node (absent when the plain form was used). */
    public final Map<Long, Map<Integer, Long>> hugepagesPerNode = new LinkedHashMap<>();
    public long defaultHugepagesz;
    public long hugetlbCma;
    public String transparentHugepage;
    /** thp_reserved_size= as memparse() read it; the PMD size when absent. */
    public long thpReservedSize;
    public boolean thpReservedSizeValid = true;
    public long thpReservedNr;
    /** nosplit=: bytes set aside for ZONE_NOSPLIT (the zoneNosplit design); 0 when absent. */
    public long nosplit;
    public final List<String> log = new ArrayList<>();

    private Cmdline(long pmdSize) {
        this.thpReservedSize = pmdSize;
    }

    /**
     * @param supportedSizes huge page sizes the architecture supports (x86_64: 2M and 1G)
     */
    public static Cmdline parse(String line, long pmdSize, List<Long> supportedSizes) {
        Cmdline c = new Cmdline(pmdSize);
        long currentSize = 0;
        for (String tok : line.trim().split("\\s+")) {
            if (tok.isEmpty()) continue;
            int eq = tok.indexOf('=');
            String key = eq < 0 ? tok : tok.substring(0, eq);
            String val = eq < 0 ? "" : tok.substring(eq + 1);
            switch (key) {
                case "hugepagesz" -> {
                    long size = Size.memparse(val)[0];
                    if (!supportedSizes.contains(size)) {
                        c.log.add("HugeTLB: unsupported hugepagesz=" + val);
                        currentSize = -1;
                    } else {
                        currentSize = size;
                    }
                }
                case "hugepages" -> {
                    if (currentSize < 0) {
                        c.log.add("HugeTLB: hugepages=" + val + " does not follow a valid hugepagesz, ignoring");
                        continue;
                    }
                    // hugepages_setup(): sscanf("%lu%n") reads the count; a ':' after it starts the node
                    // format "node:count,node:count"
                    Map<Integer, Long> perNode = new LinkedHashMap<>();
                    Long n = parseHugepages(val, perNode);
                    if (n == null) {
                        c.log.add("HugeTLB: Invalid hugepages parameter " + val);
                        continue;
                    }
                    long size = currentSize == 0 ? 0 : currentSize;
                    if (c.hugepages.containsKey(size)) {
                        c.log.add("HugeTLB: hugepages= specified twice without interleaving hugepagesz=, ignoring hugepages=" + val);
                        continue;
                    }
                    c.hugepages.put(size, n);
                    if (!perNode.isEmpty()) c.hugepagesPerNode.put(size, perNode);
                }
                case "default_hugepagesz" -> {
                    long size = Size.memparse(val)[0];
                    if (!supportedSizes.contains(size)) c.log.add("HugeTLB: unsupported default_hugepagesz=" + val + ". Ignoring");
                    else c.defaultHugepagesz = size;
                }
                case "hugetlb_cma" -> {
                    long[] v = Size.memparse(val);
                    if (v[1] == 0) c.log.add("hugetlb_cma: invalid parameter " + val);
                    else c.hugetlbCma = v[0];
                }
                case "transparent_hugepage" -> {
                    if (val.equals("always") || val.equals("madvise") || val.equals("never")) c.transparentHugepage = val;
                    else c.log.add("transparent_hugepage= cannot parse, ignored");
                }
                case "thp_reserved_size" -> {
                    // setup_reserved_thp_size(): only the PMD size; anything else disables the reservation
                    long size = Size.memparse(val)[0];
                    if (size != pmdSize) {
                        c.log.add("unsupported thp_reserved_size=" + val + ", only " + pmdSize + " is supported");
                        c.log.add("Malformed early option 'thp_reserved_size'");
                        c.thpReservedSizeValid = false;
                    } else {
                        c.thpReservedSize = size;
                        c.thpReservedSizeValid = true;
                    }
                }
                case "nosplit" -> {
                    // the zoneNosplit design (docs/model.md rule 64): nosplit=<size>, memparse()d as movablecore=
                    long[] v = Size.memparse(val);
                    if (v[1] == 0 || v[0] <= 0) c.log.add("nosplit: invalid parameter " + val);
                    else c.nosplit = v[0];
                }
                case "thp_reserved_nr" -> {
                    // setup_reserved_thp_nr(): sscanf("%lu%n") must consume the whole value
                    Long n = scanUnsigned(val, false);
                    if (n == null) {
                        c.log.add("invalid thp_reserved_nr=" + val);
                        c.log.add("Malformed early option 'thp_reserved_nr'");
                        c.thpReservedNr = 0;
                    } else {
                        c.thpReservedNr = n;
                    }
                }
                default -> { }
            }
        }
        return c;
    }

    /** The count of hugepages=, summing the node format's counts into {@code perNode}; null if invalid. */
    private static Long parseHugepages(String val, Map<Integer, Long> perNode) {
        Long first = scanUnsigned(val, true);
        if (first == null) return null;
        String digits = Long.toUnsignedString(first);
        if (!val.startsWith(digits + ":")) return first;
        long total = 0;
        for (String part : val.split(",")) {
            int colon = part.indexOf(':');
            if (colon <= 0) return null;
            Long node = scanUnsigned(part.substring(0, colon), false);
            Long count = scanUnsigned(part.substring(colon + 1), false);
            if (node == null || count == null || node > 1023) return null;
            perNode.put(node.intValue(), count);
            total += count;
        }
        return total;
    }

    /**
     * sscanf("%lu%n") as lib/vsprintf.c does it: decimal digits only (a sign is skipped only for signed
     * conversions, so "-1" reads nothing), wrapping modulo 2^64. With {@code prefixOnly} the number may be
     * followed by other text (the caller looks at it); otherwise the whole value must be the number.
     * Null when no digit starts the value, or text follows where it may not.
     */
    static Long scanUnsigned(String s, boolean prefixOnly) {
        int i = 0;
        long v = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) v = v * 10 + (s.charAt(i++) - '0');
        if (i == 0 || (!prefixOnly && i != s.length())) return null;
        return v;
    }
}
