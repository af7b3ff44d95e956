package hugesim.experiment;

import hugesim.record.RunResult;
import hugesim.record.Summary;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The summary metrics a sweep compares and a goal may name. Sizes are bytes, times seconds; {@code clean}
 * is 1 for a clean run, else 0; {@code lastTouchDone} is NaN (empty in CSV) when nothing was touched.
 */
public enum Metric {
    peakReserved("bytes", "most memory set aside for huge pages at once", s -> s.peakReservedBytes()),
    peakUsed("bytes", "most huge memory promised at once", s -> s.peakUsedBytes()),
    peakResident("bytes", "most huge memory mapped at once", s -> s.peakResidentBytes()),
    peakSwapUsed("bytes", "most swap in use at once", s -> s.peakSwapUsedBytes()),
    meanIdleReserved("bytes", "memory set aside for huge pages that held none, on average over the run", s -> s.meanIdleReservedBytes()),
    swappedOut("bytes", "bytes written to swap over the run (pswpout)", s -> s.swappedOutBytes()),
    thpSwpout("THPs", "THPs swapped out whole", s -> s.thpSwpout()),
    thpSwpoutFallback("THPs", "THPs split before swap-out", s -> s.thpSwpoutFallback()),
    stalls("faults", "faults that stalled on VM_FAULT_OOM", s -> s.stalls()),
    stallSeconds("s", "time spent in those stalls", s -> s.stallSeconds()),
    failedCalls("calls", "calls that failed with an errno", s -> s.failedCalls()),
    oomKills("processes", "processes the OOM killer killed", s -> s.oomKills()),
    sigbus("processes", "processes killed by SIGBUS", s -> s.sigbus()),
    sigsegv("processes", "processes killed by SIGSEGV", s -> s.sigsegv()),
    kernelWarnings("warnings", "WARNs the kernel printed", s -> s.kernelWarnings()),
    assertsFailed("processes", "process bodies whose assert failed", s -> s.assertsFailed()),
    scriptWarnings("warnings", "what the script asked for that cannot happen", s -> s.scriptWarnings()),
    thpFaultAlloc("faults", "thp_fault_alloc", s -> s.thpFaultAlloc()),
    thpFaultFallback("faults", "thp_fault_fallback", s -> s.thpFaultFallback()),
    thpFallbackRatio("ratio", "thp_fault_fallback / (thp_fault_alloc + thp_fault_fallback)", Summary::thpFallbackRatio),
    lastTouchDone("s", "when the last touch finished (infinite when one never did)", s -> s.lastTouchDone()),
    clean("0/1", "1 when no process was killed, no call failed, no fault stalled and neither the kernel nor the script warned", s -> s.clean() ? 1 : 0);

    public static final List<Metric> ALL = List.of(values());

    public final String unit;
    public final String meaning;
    private final ToDoubleFunction<Summary> read;

    Metric(String unit, String meaning, ToDoubleFunction<Summary> read) {
        this.unit = unit;
        this.meaning = meaning;
        this.read = read;
    }

    public double of(Summary s) { return read.applyAsDouble(s); }

    public double of(RunResult r) { return of(r.summary()); }

    /** Every metric of a run, in {@link #ALL}'s order. */
    public static double[] all(RunResult r) {
        double[] v = new double[ALL.size()];
        for (Metric m : ALL) v[m.ordinal()] = m.of(r);
        return v;
    }

    /** The metric of that name, or an error that lists the known ones. */
    public static Metric named(String name) {
        for (Metric m : ALL) if (m.name().equals(name)) return m;
        throw new IllegalArgumentException("unknown metric '" + name + "'; known: " + names());
    }

    public static String names() {
        return String.join(", ", ALL.stream().map(Enum::name).toList());
    }
}
