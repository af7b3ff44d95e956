package hugesim.dsl

import hugesim.record.RunResult

/** The names an expectation can use: the run's summary metrics, and {@code peak(metric)} of its series. */
class ExpectScope extends GoalScope {
    private final RunResult run

    ExpectScope(RunResult run) {
        super(run.summary())
        this.run = run
    }

    /** The largest sampled value of a metric, in its own unit: {@code peak('reserved_thp.used_hpages')}. */
    def peak(String metric) {
        if (!run.series().names().contains(metric)) {
            throw new IllegalArgumentException("peak('${metric}'): no such sampled metric; known: ${run.series().names().join(', ')}")
        }
        double v = run.series().max(metric)
        v == Math.rint(v) && Math.abs(v) < 9.0e15 ? (long) v : v
    }
}
