package hugesim.mm.page;

/**
 * Direct compaction for the slow path (mm/compaction.c try_to_compact_pages()), built on page migration
 * above the allocator.
 */
public interface DirectCompaction {
    /**
     * What one try_to_compact_pages() came to: {@code ran} when some zone was compacted or deferred (a
     * compact_stall), {@code made} when a free chunk of the order now exists, {@code nanos} the time its
     * migrations took.
     */
    record Result(boolean ran, boolean made, long nanos) {
        public static final Result SKIPPED = new Result(false, false, 0);
    }

    /** Compacts the zones of {@code nid}'s zonelist (its own zone only with {@code thisNode}) for an {@code order} request. */
    Result tryToCompactPages(int nid, int order, boolean thisNode);

    /** The allocation that compaction made room for succeeded (COMPACTSUCCESS) or did not (COMPACTFAIL). */
    void allocated(int nid, int order, boolean success);

    /** wakeup_kcompactd(): node {@code nid}'s daemon, for a free chunk of {@code order}. */
    void wakeupKcompactd(int nid, int order);
}
