package hugesim.experiment;

/**
 * One finished run of a sweep: its index in the sweep's order and its summary metrics.
 *
 * @param run     the run's index: {@code (point * policies + policy) * replications + replication}
 * @param metrics the values, in {@link Metric#ALL}'s order
 * @param goalMet whether the goal held, or null when the sweep has no goal
 */
public record RunRow(long run, double[] metrics, Boolean goalMet) {
    public double get(Metric m) { return metrics[m.ordinal()]; }
}
