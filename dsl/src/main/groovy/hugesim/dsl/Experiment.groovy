package hugesim.dsl

import hugesim.experiment.Metric
import hugesim.experiment.RunRow
import hugesim.experiment.SweepSpec
import hugesim.policy.Policy
import hugesim.record.RunResult
import hugesim.units.Size

import java.util.concurrent.ConcurrentHashMap

/**
 * A script set up for many runs: its sweeps (the script's, or those given on the command line), its
 * replications and its goal, enumerated as a {@link SweepSpec}; {@link #run} runs one of them. Each point is
 * evaluated once and reused by its replications unless the script's top level draws random numbers.
 */
class Experiment {
    final ScriptSource source
    final Settings settings
    final SweepSpec spec
    final Goal goal
    final List<Sweep> sweeps
    private final List<Policy> policyOverride
    private final Map<Integer, ScenarioFile> points = new ConcurrentHashMap<>()

    /** What one run gave. */
    static final class Outcome {
        final RunRow row
        final RunResult result
        /** Whether anything random was drawn: when not, every replication gives the same. */
        final boolean random

        Outcome(RunRow row, RunResult result, boolean random) {
            this.row = row; this.result = result; this.random = random
        }
    }

    /**
     * @param sets         {@code --set} values, parsed
     * @param cliSweeps    {@code --sweep} values by parameter, in order; they replace the script's sweep of that parameter
     * @param replications {@code --replications}, or null for the script's (else 1)
     * @param cliGoal      {@code --goal}, or null for the script's
     * @param policies     {@code --policy} expressions' policies, or empty for the script's
     * @param onlySweep    vary only this parameter (a plan), the others at their values; null for every sweep
     */
    Experiment(ScriptSource source, Map<String, Object> sets, Long seed, Map<String, SweepText> cliSweeps, Integer replications,
               Goal cliGoal, List<Policy> policies, SweepSpec.Shard shard, String onlySweep = null) {
        this.source = source
        this.settings = new Settings(sets, seed, 0)
        this.policyOverride = policies ? List.copyOf(policies) : null
        ScenarioFile base = source.load(settings)
        this.goal = cliGoal ?: base.goal
        List<Sweep> all = sweepsOf(base, sets, cliSweeps)
        if (onlySweep != null) {
            if (!base.parameters.containsKey(onlySweep)) {
                throw new ScenarioException('--minimize', -1, "the script declares no parameter '${onlySweep}'; "
                        + (base.parameters ? "declared: ${base.parameters.keySet().join(', ')}" : "it declares none"))
            }
            all = all.findAll { it.name() == onlySweep }
            if (!all) throw new ScenarioException('--minimize', -1, "${onlySweep} has no range to search: give one with --sweep '${onlySweep}=FROM..TO step STEP' or a sweep line in the script")
        }
        this.sweeps = all
        int reps = replications != null ? replications : (base.replications ?: 1)
        if (reps < 1) throw new ScenarioException('--replications', -1, "must be 1 or more, got ${reps}")
        Map<String, String> fixed = [:]
        base.parameters.each { n, p -> fixed[n] = Literal.format(p.value) }
        List<SweepSpec.Swept> swept = sweeps.collect { new SweepSpec.Swept(it.name(), it.values().collect { Literal.format(it) }) }
        // the sweep's points, before its policies are known (they may depend on the swept values)
        def probe = new SweepSpec(base.scenario.name(), source.sha256, base.scenario.seed(), reps, fixed, swept,
                [new SweepSpec.PolicySlot('probe', ['probe'] * pointCount(swept), ['probe'] * pointCount(swept))], null, null)
        List<List<Policy>> byPoint = (0..<probe.points()).collect { int p -> policyOverride ?: point(p).scenario.policies() }
        int n = byPoint[0].size()
        byPoint.eachWithIndex { List<Policy> ps, int p ->
            if (ps.size() != n) throw new ScenarioException(source.display, -1, "the script names ${n} policies at one point of the sweep and ${ps.size()} at ${probe.parametersAt(p)}; a sweep compares the same policies at every point")
        }
        List<SweepSpec.PolicySlot> slots = (0..<n).collect { int i -> slot(byPoint.collect { it[i] }) }
        this.spec = new SweepSpec(probe.scenario(), probe.scriptSha256(), probe.seed(), reps, fixed, swept, slots, goal?.text, shard)
    }

    private static int pointCount(List<SweepSpec.Swept> swept) {
        swept.inject(1) { int acc, s -> acc * s.values().size() } as int
    }

    private static List<Sweep> sweepsOf(ScenarioFile base, Map<String, Object> sets, Map<String, SweepText> cli) {
        Map<String, Sweep> out = new LinkedHashMap<>()
        base.sweeps.each { if (!sets.containsKey(it.name())) out[it.name()] = it }
        cli.each { name, text ->
            def p = base.parameters[name]
            if (p == null) {
                throw new ScenarioException('--sweep', -1, "${name}: the script declares no parameter '${name}'; "
                        + (base.parameters ? "declared: ${base.parameters.keySet().join(', ')}" : "it declares none"))
            }
            if (sets.containsKey(name)) throw new ScenarioException('--sweep', -1, "${name} is both swept and fixed with --set")
            try {
                out[name] = new Sweep(name, text.values(p.kind), -1)
            } catch (IllegalArgumentException e) {
                throw new ScenarioException('--sweep', -1, e.message)
            }
        }
        new ArrayList<>(out.values())
    }

    /** The scenario at a point of the sweep, replication 0 (evaluated once). */
    ScenarioFile point(int p) {
        points.computeIfAbsent(p) { source.load(settings.with(typedAt(p), 0)) }
    }

    private Map<String, Object> typedAt(int p) {
        Map<String, Object> out = [:]
        int rest = p
        for (int i = sweeps.size() - 1; i >= 0; i--) {
            def v = sweeps[i].values()
            out[sweeps[i].name()] = v[rest % v.size()]
            rest = rest.intdiv(v.size())
        }
        out
    }

    /** A name for a policy that holds at every point: a value that follows a swept parameter shows the parameter's name. */
    private SweepSpec.PolicySlot slot(List<Policy> ps) {
        List<String> labels = ps*.label()
        List<String> keys = ps*.key()
        if (labels.unique(false).size() == 1) return new SweepSpec.PolicySlot(labels[0], labels, keys)
        Policy first = ps[0]
        def parts = first.params().collect { k, v ->
            def values = ps.collect { it.params()[k] }
            if (values.unique(false).size() == 1) return "${k}: ${v instanceof Long ? Size.format(v as long) : v}"
            def follows = sweeps.findIndexOf { sw -> (0..<ps.size()).every { int p -> typedAt(p)[sw.name()] == values[p] } }
            "${k}: ${follows >= 0 ? sweeps[follows].name() : '*'}"
        }
        new SweepSpec.PolicySlot("${first.name()}(${parts.join(', ')})".toString(), labels, keys)
    }

    /** Runs run {@code k} of the sweep. */
    Outcome run(long k) {
        int p = spec.pointOf(k), slot = spec.policyOf(k), r = spec.replicationOf(k)
        ScenarioFile f = point(p).withReplication(r)
        Policy policy = (policyOverride ?: f.scenario.policies())[slot]
        RunResult res
        try {
            res = f.run(policy)
        } catch (ScenarioException e) {
            String where = "${spec.parametersAt(p)} under ${policy.label()}, replication ${r}"
            throw new ScenarioException(e.file, e.line, "${e.problem} (in the run at ${where})", e.assertion, e)
        }
        Boolean met = goal == null ? null : goal.test(res)
        new Outcome(new RunRow(k, Metric.all(res), met), res, f.drewRandom || res.randomDraws() > 0)
    }
}
