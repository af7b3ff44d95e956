package hugesim.record;

import java.util.List;

/**
 * The few numbers a planner reads first, per policy, and how each process went. Sizes in bytes, times in seconds.
 *
 * @param peakReservedBytes  most memory set aside for huge pages at once (pool, reserve or CMA area)
 * @param peakUsedBytes      most huge memory promised at once (HugeTLB in use + Rsvd, or used_hpages)
 * @param peakResidentBytes  most huge memory actually mapped at once
 * @param swappedOutBytes    bytes written to swap over the run (pswpout: a running total, not what swap holds)
 * @param thpSwpout          THPs swapped out whole
 * @param thpSwpoutFallback  THPs split before swap-out
 * @param stalls             faults that stalled on VM_FAULT_OOM
 * @param stallSeconds       time spent in those stalls
 * @param oomKills           processes killed by the OOM killer
 * @param sigbus             processes killed by SIGBUS
 * @param failedCalls        workload or syscalls that failed with an errno
 * @param lastTouchDone      when the last touch finished: NaN when nothing was touched, +Infinity ("never") when
 *                           a touch did not finish (still stalled or running at the end, or its process killed)
 * @param thpFaultAlloc      THP faults that got a huge page (thp_fault_alloc)
 * @param thpFaultFallback   THP faults that fell back to 4 KiB pages (thp_fault_fallback)
 * @param peakSwapUsedBytes  most swap in use at once (SwapTotal − SwapFree)
 * @param sigsegv            processes killed by SIGSEGV
 * @param kernelWarnings     WARNs the kernel printed (kernel_warning events)
 * @param assertsFailed      process bodies whose {@code assert} failed
 * @param scriptWarnings     what the script asked for that cannot happen (script_warning events: a process that
 *                           starts after the run ends)
 * @param processes          each process of the run, in the order the script declares them (forked children after)
 * @param compactionStalls   the time THP faults of all processes spent in direct compaction, per fault
 * @param meanIdleReservedBytes memory set aside for huge pages that held none (free pool pages, free reserved or
 *                           NoSplit blocks), averaged over the run's samples: what a design keeps idle
 */
public record Summary(long peakReservedBytes, long peakUsedBytes, long peakResidentBytes,
                      long swappedOutBytes, long thpSwpout, long thpSwpoutFallback,
                      long stalls, double stallSeconds, long oomKills, long sigbus,
                      long failedCalls, double lastTouchDone, long thpFaultAlloc, long thpFaultFallback,
                      long peakSwapUsedBytes, long sigsegv, long kernelWarnings, long assertsFailed,
                      long scriptWarnings, List<ProcessSummary> processes, CompactionStalls compactionStalls,
                      long meanIdleReservedBytes) {

    public Summary {
        processes = List.copyOf(processes);
    }

    public Summary(long peakReservedBytes, long peakUsedBytes, long peakResidentBytes,
                   long swappedOutBytes, long thpSwpout, long thpSwpoutFallback,
                   long stalls, double stallSeconds, long oomKills, long sigbus,
                   long failedCalls, double lastTouchDone, long thpFaultAlloc, long thpFaultFallback,
                   long peakSwapUsedBytes, long sigsegv, long kernelWarnings, long assertsFailed,
                   long scriptWarnings, List<ProcessSummary> processes) {
        this(peakReservedBytes, peakUsedBytes, peakResidentBytes, swappedOutBytes, thpSwpout, thpSwpoutFallback,
                stalls, stallSeconds, oomKills, sigbus, failedCalls, lastTouchDone, thpFaultAlloc, thpFaultFallback,
                peakSwapUsedBytes, sigsegv, kernelWarnings, assertsFailed, scriptWarnings, processes, CompactionStalls.NONE, 0);
    }

    public Summary(long peakReservedBytes, long peakUsedBytes, long peakResidentBytes,
                   long swappedOutBytes, long thpSwpout, long thpSwpoutFallback,
                   long stalls, double stallSeconds, long oomKills, long sigbus,
                   long failedCalls, double lastTouchDone) {
        this(peakReservedBytes, peakUsedBytes, peakResidentBytes, swappedOutBytes, thpSwpout, thpSwpoutFallback,
                stalls, stallSeconds, oomKills, sigbus, failedCalls, lastTouchDone, 0, 0, 0, 0, 0, 0, 0, List.of());
    }

    /** thp_fault_fallback over all THP faults; 0 when there was none. */
    public double thpFallbackRatio() {
        long all = thpFaultAlloc + thpFaultFallback;
        return all == 0 ? 0 : thpFaultFallback / (double) all;
    }

    /**
     * True only when no process was killed (SIGSEGV, SIGBUS, OOM kill, a failed assert), no call failed, no fault
     * stalled, the kernel printed no warning and the script asked for nothing that could not happen.
     */
    public boolean clean() {
        return stalls == 0 && oomKills == 0 && sigbus == 0 && sigsegv == 0 && failedCalls == 0 && kernelWarnings == 0
                && assertsFailed == 0 && scriptWarnings == 0;
    }

    /** Which of the things that make a run unclean happened, per process: "clean", or e.g. "new: mmap ENOMEM". */
    public String verdict() {
        if (clean()) return "clean";
        List<String> parts = new java.util.ArrayList<>();
        long processAsserts = 0;
        for (ProcessSummary p : processes) {
            if (!p.clean()) parts.add(p.name() + ": " + p.verdict());
            if ("assert".equals(p.killedBy())) processAsserts++;
        }
        if (assertsFailed > processAsserts) parts.add((assertsFailed - processAsserts) + " assert(s) failed in at() blocks");
        if (kernelWarnings > 0) parts.add("kernel: " + kernelWarnings + (kernelWarnings == 1 ? " warning" : " warnings"));
        if (scriptWarnings > 0) parts.add("script: " + scriptWarnings + (scriptWarnings == 1 ? " warning" : " warnings"));
        // counts without a process (a summary built by hand) still say what happened
        if (parts.isEmpty()) parts.add(String.format(java.util.Locale.ROOT, "%d failed calls, %d stalls, %d killed",
                failedCalls, stalls, sigbus + sigsegv + oomKills));
        return String.join("; ", parts);
    }
}
