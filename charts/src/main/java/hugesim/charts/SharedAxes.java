package hugesim.charts;

import hugesim.record.Event;
import hugesim.record.RunResult;
import hugesim.record.Series;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One x range (seconds) and one y range for every panel, so panels compare at a glance. The y unit is GiB,
 * MiB when no line reaches 1 GiB (a conformance scenario's 16 MiB would read 0.02 GiB, and its 2 MiB steps
 * would all round to a tick labelled 0), KiB when none reaches 1 MiB. Above the highest
 * line a band is left free for the labels of the moments on the time axis. Ranges are in the y unit.
 */
record SharedAxes(double xMin, double xMax, double dataMax, double yMax, List<String> failureKinds, String unit, double kibPerUnit) {
    static final double KIB_PER_GIB = 1024.0 * 1024.0;
    static final double KIB_PER_MIB = 1024.0;
    // Leaves room above the lines for the moment labels (PanelOverlay.ROWS rows).
    private static final double HEADROOM = 1.25;
    // Plot width in pixels, roughly: the panel less its legend column and y axis.
    private static final double PLOT_PIXELS = 600;

    static SharedAxes of(List<RunResult> results) {
        double xMin = Double.POSITIVE_INFINITY, xMax = Double.NEGATIVE_INFINITY, dataMax = 0;
        Set<String> kinds = new TreeSet<>(FailureMarkers.KIND_ORDER);
        for (RunResult r : results) {
            Series s = r.series();
            if (s != null && s.size() > 0) {
                double[] t = s.time();
                xMin = Math.min(xMin, t[0]);
                xMax = Math.max(xMax, t[t.length - 1]);
                for (ReservedVsUsedPanel.Line line : ReservedVsUsedPanel.LINES) {
                    if (s.names().contains(line.metric())) dataMax = Math.max(dataMax, s.max(line.metric()) / KIB_PER_GIB);
                }
            }
            for (Event e : FailureMarkers.failures(r)) {
                xMin = Math.min(xMin, e.time());
                xMax = Math.max(xMax, e.time());
                kinds.add(e.kind());
            }
        }
        if (xMin > xMax) { xMin = 0; xMax = 1; }
        if (xMin == xMax) xMax = xMin + 1;
        if (!(dataMax > 0) || Double.isInfinite(dataMax)) dataMax = 0;
        // dataMax is in GiB so far; a run that never reaches 1 GiB is drawn in MiB, one below 1 MiB in KiB
        String unit = "GiB";
        double perUnit = KIB_PER_GIB;
        if (dataMax > 0 && dataMax < 1) {
            boolean kib = dataMax * 1024 < 1;
            unit = kib ? "KiB" : "MiB";
            perUnit = kib ? 1 : KIB_PER_MIB;
            dataMax = dataMax * KIB_PER_GIB / perUnit;
        }
        double yMax = dataMax > 0 ? niceCeil(dataMax * HEADROOM) : 1;
        return new SharedAxes(xMin, xMax, dataMax, yMax, List.copyOf(kinds), unit, perUnit);
    }

    /** About one pixel of the time axis, in seconds. */
    double pixelSeconds() {
        return (xMax - xMin) / PLOT_PIXELS;
    }

    /** Smallest round number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k) at or above v. */
    static double niceCeil(double v) {
        double base = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
            if (m * base >= v * (1 - 1e-12)) return m * base;
        }
        return 10 * base;
    }
}
