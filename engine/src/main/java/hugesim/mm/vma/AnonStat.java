package hugesim.mm.vma;

/**
 * The machine-wide anonymous counters (NR_ANON_MAPPED and NR_ANON_THPS of the node stats), kept as
 * every mm's own counters change, so /proc/meminfo reads them without summing over processes.
 */
public final class AnonStat {
    long anonPages;
    long thps;

    /** 4 KiB anonymous pages mapped, over all processes. */
    public long anonPages() { return anonPages; }

    /** PMD-mapped anonymous THPs, over all processes. */
    public long thps() { return thps; }
}
