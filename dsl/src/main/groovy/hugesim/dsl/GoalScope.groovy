package hugesim.dsl

import hugesim.experiment.Metric
import hugesim.record.Summary

/** The names a goal can use: the run's summary metrics. */
class GoalScope {
    private final Summary summary

    GoalScope(Summary summary) { this.summary = summary }

    def propertyMissing(String name) {
        Metric m
        try {
            m = Metric.named(name)
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown metric '${name}'; known: ${Metric.names()}")
        }
        if (m == Metric.clean) return summary.clean()
        double v = m.of(summary)
        v == Math.rint(v) && !Double.isInfinite(v) && Math.abs(v) < 9.0e15 ? (long) v : v
    }
}
