package hugesim.mm.memcg;

/** What the memory controller asks of reclaim (mm/vmscan.c, mm/oom_kill.c), implemented above it. */
public interface MemcgReclaimer {
    /**
     * try_to_free_mem_cgroup_pages(): reclaims about {@code nrPages} of {@code memcg}'s own LRU folios on
     * every node (swapping only with {@code maySwap}); {@code then} runs once the writes it started have
     * completed. Returns the pages freed or on their way to swap, 0 when it found nothing to take.
     */
    long tryToFreeMemCgroupPages(MemCgroup memcg, long nrPages, boolean maySwap, Runnable then);

    /** Whether pages of {@code memcg} are being written to swap now (reclaim_throttle() waits for them). */
    boolean writebackInFlight(MemCgroup memcg);

    /**
     * mem_cgroup_out_of_memory(): the OOM killer chooses among {@code memcg}'s processes. Returns the
     * victim's pid, or -1 when no process of the cgroup holds memory.
     */
    int outOfMemory(MemCgroup memcg);
}
