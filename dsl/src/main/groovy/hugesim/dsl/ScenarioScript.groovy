package hugesim.dsl

import hugesim.policy.HugetlbCmaPolicy
import hugesim.policy.HugetlbPolicy
import hugesim.policy.Policy
import hugesim.policy.ReservedThpPolicy
import hugesim.policy.ThpPolicy
import hugesim.scenario.ProcessSpec
import hugesim.scenario.Scenario

import java.time.Duration

/**
 * The base class of every scenario script: {@code name}, {@code description}, {@code machine { }},
 * {@code policy}/{@code policies}, {@code process(NAME, start: T) { }}, {@code at(T) { }} and
 * {@code run(until:, sample:)}.
 */
abstract class ScenarioScript extends Script {
    private String scenarioName
    private String scenarioDescription = ''
    private MachineSpec machineSpec
    private final List<Policy> policyList = []
    private final List<ProcessSpec> processSpecs = []
    private Long until
    private Long sample
    private long seed = 1

    void name(String n) { scenarioName = n }

    void description(String d) { scenarioDescription = d }

    void seed(long s) { seed = s }

    void machine(@DelegatesTo(value = MachineSpec, strategy = Closure.DELEGATE_FIRST) Closure body) {
        machineSpec = new MachineSpec()
        Closure c = body.rehydrate(machineSpec, this, this)
        c.resolveStrategy = Closure.DELEGATE_FIRST
        c.call()
    }

    void policy(Policy p) { policyList << checked(p) }

    void policies(Policy... ps) { ps.each { policyList << checked(it) } }

    /** A policy's sizes must fit the machine's page geometry; checked here so the error names this line. */
    private Policy checked(Policy p) {
        if (machineSpec != null) p.cmdline(machineSpec.geometry())
        p
    }

    /** {@code hugetlb(pool: 32.GB)}: a boot-time HugeTLB pool of 2 MiB pages. */
    Policy hugetlb(Map opts) {
        Options.check('hugetlb', opts, ['pool'])
        if (opts.pool == null) throw new IllegalArgumentException("hugetlb() needs pool:, e.g. hugetlb(pool: 32.GB)")
        new HugetlbPolicy(Options.size('hugetlb', 'pool', opts.pool))
    }

    /** {@code hugetlbCma(cma: 32.GB)}: gigantic pages out of a hugetlb_cma area. */
    Policy hugetlbCma(Map opts) {
        Options.check('hugetlbCma', opts, ['cma'])
        if (opts.cma == null) throw new IllegalArgumentException("hugetlbCma() needs cma:, e.g. hugetlbCma(cma: 32.GB)")
        new HugetlbCmaPolicy(Options.size('hugetlbCma', 'cma', opts.cma))
    }

    /** {@code thp()}: MADV_HUGEPAGE, no reservation. */
    Policy thp(Map opts = [:]) {
        Options.check('thp', opts, [])
        new ThpPolicy()
    }

    /**
     * {@code reservedThp(reserve: 22.GB, overcommit: true, munmapWhole: true, swapIn: 'wait')}: the RFC as
     * posted, or with the author's stated plans.
     */
    Policy reservedThp(Map opts) {
        Options.check('reservedThp', opts, ['reserve', 'overcommit', 'munmapWhole', 'swapIn'])
        if (opts.reserve == null) throw new IllegalArgumentException("reservedThp() needs reserve:, e.g. reservedThp(reserve: 22.GB)")
        new ReservedThpPolicy(Options.size('reservedThp', 'reserve', opts.reserve), opts.overcommit as boolean,
                opts.munmapWhole as boolean, (opts.swapIn ?: 'fallback') as String)
    }

    /** A process: {@code process('new', start: 300.s, node: 1, cgroup: 'a') { … }}. */
    void process(Map opts = [:], String name,
                 @DelegatesTo(value = ProcessContext, strategy = Closure.DELEGATE_FIRST) Closure body) {
        Options.check('process', opts, ['start', 'node', 'cgroup'])
        if (processSpecs.any { it.name() == name }) throw new IllegalArgumentException("a process named '${name}' already exists")
        long start = opts.start == null ? 0 : Options.nanos('process', 'start', opts.start)
        int node = opts.node == null ? 0 : opts.node as int
        if (node < 0) throw new IllegalArgumentException("process(node:) must not be negative, got ${node}")
        processSpecs << new ProcessSpec(name, start, toBody(body), false, node, opts.cgroup as String)
    }

    /** An administrator's action at a point in time: {@code at(300.s) { sysctl 'vm.nr_hugepages', 16384 }}. */
    void at(Duration time, @DelegatesTo(value = ProcessContext, strategy = Closure.DELEGATE_FIRST) Closure body) {
        long t = Options.nanos('at', 'time', time)
        processSpecs << new ProcessSpec("at ${hugesim.units.Time.format(t)}#${processSpecs.size()}".toString(), t, toBody(body), true)
    }

    private ProcessSpec.Body toBody(Closure body) {
        def owner = this
        return { hugesim.kernel.Task task ->
            Closure c = body.rehydrate(new ProcessContext(task, seed), owner, owner)
            c.resolveStrategy = Closure.DELEGATE_FIRST
            c.call()
        } as ProcessSpec.Body
    }

    /** {@code run until: 900.s, sample: 1.s} */
    void run(Map opts) {
        Options.check('run', opts, ['until', 'sample'])
        if (opts.until == null) throw new IllegalArgumentException("run needs until:, e.g. run until: 900.s, sample: 1.s")
        until = Options.nanos('run', 'until', opts.until)
        sample = opts.sample == null ? 1_000_000_000L : Options.nanos('run', 'sample', opts.sample)
        if (sample == 0) throw new IllegalArgumentException("run(sample:) must be positive")
    }

    void sleep(Object any) {
        throw new IllegalArgumentException("sleep belongs inside a process { } body")
    }

    Scenario toScenario(String fallbackName) {
        if (machineSpec == null) throw new IllegalArgumentException("the scenario has no machine { } block")
        if (policyList.isEmpty()) throw new IllegalArgumentException("the scenario names no policy; add e.g. policy thp()")
        if (until == null) throw new IllegalArgumentException("the scenario never says how long to run; add e.g. run until: 900.s, sample: 1.s")
        policyList.each { it.cmdline(machineSpec.geometry()) }
        new Scenario(scenarioName ?: fallbackName, scenarioDescription, machineSpec.build(), policyList, processSpecs, until, sample, seed)
    }
}
