package hugesim.dsl

import hugesim.experiment.Metric
import hugesim.record.Event
import hugesim.record.RunResult

import java.time.Duration

/**
 * Readable questions to a run's result, as a Groovy extension module (like the unit literals), for
 * specifications: {@code r.peak('reserved_thp.used_hpages')}, {@code r.at('meminfo.HugePages_Free', 300.s)},
 * {@code r.metric('stallSeconds')}, {@code r.killed}, {@code r.eventsOf('new')}.
 */
class ResultExtensions {
    static final List<String> KILLS = ['oom_kill', 'sigbus', 'sigsegv']

    /** The largest sampled value of a metric (its kernel name, e.g. {@code meminfo.HugePages_Rsvd}). */
    static double peak(RunResult r, String metric) {
        double[] c = r.series().column(metric)   // an unknown name is an error naming the known ones
        c.length == 0 ? 0 : c.max()
    }

    /** A metric's sampled value at a simulated time. */
    static double at(RunResult r, String metric, Duration time) {
        if (!r.series().names().contains(metric)) r.series().column(metric)
        r.series().at(metric, time.toNanos() / 1e9d)
    }

    /** A metric's samples, in time order. */
    static List<Double> samples(RunResult r, String metric) { r.series().column(metric) as List<Double> }

    /** A summary metric by the name goals and sweeps use: {@code r.metric('stallSeconds')}. */
    static double metric(RunResult r, String name) { Metric.named(name).of(r) }

    /** The processes killed, each with how: {@code [new: 'sigbus']}. */
    static Map<String, String> getKilled(RunResult r) {
        r.events().findAll { it.kind() in KILLS }.collectEntries { [it.process(), it.kind()] }
    }

    /** What happened to one process, in time order. */
    static List<Event> eventsOf(RunResult r, String process) { r.events().findAll { it.process() == process } }

    /** The events that count against a run (failed calls, kills, stalls), one line each: time, process, kind, detail. */
    static List<String> getFailures(RunResult r) {
        r.events().findAll { it.isFailure() }.collect { "${it.time()} s ${it.process()} ${it.kind()}: ${it.detail()}".toString() }
    }
}
