package hugesim.record;

/**
 * The few numbers a planner reads first, per policy. Sizes in bytes, times in seconds.
 *
 * @param peakReservedBytes  most memory set aside for huge pages at once (pool, reserve or CMA area)
 * @param peakUsedBytes      most huge memory promised at once (HugeTLB in use + Rsvd, or used_hpages)
 * @param peakResidentBytes  most huge memory actually mapped at once
 * @param swappedOutBytes    bytes written to swap (pswpout)
 * @param thpSwpout          THPs swapped out whole
 * @param thpSwpoutFallback  THPs split before swap-out
 * @param stalls             faults that stalled on VM_FAULT_OOM
 * @param stallSeconds       time spent in those stalls
 * @param oomKills           processes killed by the OOM killer
 * @param sigbus             processes killed by SIGBUS
 * @param failedCalls        workload or syscalls that failed with an errno
 * @param lastTouchDone      when the last touch finished, NaN when nothing was touched
 * @param thpFaultAlloc      THP faults that got a huge page (thp_fault_alloc)
 * @param thpFaultFallback   THP faults that fell back to 4 KiB pages (thp_fault_fallback)
 */
public record Summary(long peakReservedBytes, long peakUsedBytes, long peakResidentBytes,
                      long swappedOutBytes, long thpSwpout, long thpSwpoutFallback,
                      long stalls, double stallSeconds, long oomKills, long sigbus,
                      long failedCalls, double lastTouchDone, long thpFaultAlloc, long thpFaultFallback) {

    public Summary(long peakReservedBytes, long peakUsedBytes, long peakResidentBytes,
                   long swappedOutBytes, long thpSwpout, long thpSwpoutFallback,
                   long stalls, double stallSeconds, long oomKills, long sigbus,
                   long failedCalls, double lastTouchDone) {
        this(peakReservedBytes, peakUsedBytes, peakResidentBytes, swappedOutBytes, thpSwpout, thpSwpoutFallback,
                stalls, stallSeconds, oomKills, sigbus, failedCalls, lastTouchDone, 0, 0);
    }

    /** thp_fault_fallback over all THP faults; 0 when there was none. */
    public double thpFallbackRatio() {
        long all = thpFaultAlloc + thpFaultFallback;
        return all == 0 ? 0 : thpFaultFallback / (double) all;
    }

    /** True when no process failed, stalled or was killed. */
    public boolean clean() {
        return stalls == 0 && oomKills == 0 && sigbus == 0 && failedCalls == 0;
    }
}
