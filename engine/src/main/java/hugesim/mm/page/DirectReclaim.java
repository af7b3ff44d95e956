package hugesim.mm.page;

/**
 * What the allocator's slow path calls outside page allocation (mm/vmscan.c try_to_free_pages(),
 * mm/oom_kill.c out_of_memory(), wakeup_kswapd()); implemented by reclaim, which sits above the allocator.
 */
public interface DirectReclaim {
    /**
     * One round of direct reclaim for about {@code nrPages} pages (the shrinkers, then cold memory to
     * swap); {@code then} runs once every write started has completed. False when nothing could be reclaimed.
     */
    boolean tryToFreePages(int nid, long nrPages, Runnable then);

    /** The author's plan for overcommitted Reserved THP: swap one unreferenced reserved THP out whole. */
    boolean reclaimReservedThp(int nid, Runnable then);

    /** wakeup_kswapd(): node {@code nid}'s free pages are below the low watermark. */
    void wakeupKswapd(int nid);

    /**
     * wakeup_kswapd() for an {@code order} request: kswapd when the node is not balanced for it or its
     * watermark is boosted, else kcompactd for a request that may not reclaim directly.
     */
    default void wakeupKswapd(int nid, int order, boolean directReclaim) { wakeupKswapd(nid); }

    /** out_of_memory(): kills a task; returns its pid, or -1 when no task holds memory. */
    int outOfMemory();
}
