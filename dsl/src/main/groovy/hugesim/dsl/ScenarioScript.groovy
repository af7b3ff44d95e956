package hugesim.dsl

import hugesim.policy.HugetlbCmaPolicy
import hugesim.policy.HugetlbPolicy
import hugesim.policy.Policy
import hugesim.policy.ReservedThpPolicy
import hugesim.policy.MemPoolPolicy
import hugesim.policy.SharedPoolPolicy
import hugesim.policy.ZoneNosplitPolicy
import hugesim.policy.ThpPolicy
import hugesim.scenario.ProcessSpec
import hugesim.scenario.Scenario

import hugesim.sim.RandomStreams

import java.time.Duration
import java.util.random.RandomGenerator

/**
 * The base class of every scenario script: {@code name}, {@code description}, {@code machine { }},
 * {@code policy}/{@code policies}, {@code process(NAME, start: T) { }}, {@code at(T) { }} and
 * {@code run(until:, sample:)}.
 */
// statically compiled: every dynamic call site in here is linked at its first call, on each run's start-up
@groovy.transform.CompileStatic
abstract class ScenarioScript extends Script {
    private String scenarioName
    private String scenarioDescription = ''
    private MachineSpec machineSpec
    private final List<Policy> policyList = []
    private final List<ProcessSpec> processSpecs = []
    // names looked up in a set: declaring n processes stays linear (10,000 in a loop is a fleet, not a mistake)
    private final Set<String> processNames = new HashSet<>()
    private Long until
    private Long sample
    private long seed = 1
    private Settings settings = Settings.DEFAULT
    private final Map<String, Param> params = [:]
    private final List<RawSweep> rawSweeps = []
    private Integer replicationCount
    private Closure goalBody
    private int goalLine = -1
    private RandomGenerator scriptRandom
    private final List<RawExpect> rawExpects = []
    private String originDisplay = 'script'
    private String originFile

    /** An {@code expect} as written: its options, body and line; its text is cut from the source once loaded. */
    static final class RawExpect {
        final Object policy
        final Closure body
        final int line

        RawExpect(Object policy, Closure body, int line) {
            this.policy = policy; this.body = body; this.line = line
        }
    }

    /** A declared parameter: its kind (from its default), its value in this evaluation, and where it was declared. */
    static final class Param {
        final String name
        final Literal.Kind kind
        final Object value
        final int line

        Param(String name, Literal.Kind kind, Object value, int line) {
            this.name = name; this.kind = kind; this.value = value; this.line = line
        }
    }

    /** A sweep as written: a list, or a range that still needs its step; resolved once every parameter is declared. */
    static final class RawSweep {
        final String name
        final Object values
        Object step
        final int line

        RawSweep(String name, Object values, int line) {
            this.name = name; this.values = values; this.line = line
        }
    }

    /** What {@code sweep a: r step s, b: [...]} chains into: {@code step} applies to the range just before it. */
    final class SweepChain {
        private RawSweep last

        SweepChain(RawSweep last) { this.last = last }

        SweepChain step(Map more = [:], Object step) {
            // a Groovy range is also a List: never iterate it here (16.GB..32.GB holds 2^34 numbers)
            if (last == null || !(last.values instanceof Range)) throw new IllegalArgumentException("'step' follows a range, e.g. sweep reserve: 16.GB..32.GB step 1.GB")
            if (last.step != null) throw new IllegalArgumentException("sweep ${last.name}: the range has two steps")
            last.step = step
            more ? sweep(more) : this
        }
    }

    /** Set before the script runs: the parameter values, seed and replication this evaluation is for. */
    void configure(Settings s) { settings = s }

    /** Where the script came from: its path as given and its file name (to find its lines in stack traces). */
    void origin(String display, String scriptFile) {
        originDisplay = display
        originFile = scriptFile
    }

    /**
     * What a run must show, checked after each policy's run: {@code expect { clean }},
     * {@code expect(policy: 'hugetlb') { stallSeconds <= 5 }}. A run that misses one still writes all its outputs;
     * {@code hugesim run} then exits 1 naming the policy and the expectation.
     */
    void expect(Map opts = [:], @DelegatesTo(value = ExpectScope, strategy = Closure.DELEGATE_FIRST) Closure body) {
        Options.check('expect', opts, ['policy'])
        if (opts.containsKey('policy') && opts.policy == null) throw new IllegalArgumentException("expect(policy:) needs a policy or its name, e.g. expect(policy: 'hugetlb')")
        rawExpects << new RawExpect(opts.policy, body, callerLine())
    }

    /** The script's expectations, with their text as written in {@code source}. */
    List<Expectation> expectations(String source) {
        def empty = new hugesim.record.RunResult('', '', '', '', [:], [:], 0,
                new hugesim.record.Summary(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Double.NaN),
                new hugesim.record.Series(hugesim.record.Metrics.ALL), [])
        rawExpects.collect {
            def e = new Expectation(it.body, Condition.textAt(source, it.line, 'expect'), originDisplay, it.line, it.policy)
            e.check(empty)   // a typo in a metric's name fails now, on its line, before anything runs
            e
        }
    }

    /**
     * Runs a process body. A failed {@code assert} fails this process's run, as assert() in a C program
     * aborts it: recorded as an event with the script's FILE:LINE, and the run goes on.
     */
    void runBody(hugesim.kernel.Task task, @DelegatesTo(value = ProcessContext, strategy = Closure.DELEGATE_FIRST) Closure c) {
        try {
            c.call()
        } catch (AssertionError e) {
            task.assertFailed(originDisplay, ErrorReport.lineOf(e, originFile), e.message?.trim() ?: 'assert failed')
        }
    }

    /** The scenario's name, which becomes a folder under {@code --out}: so no path separators, no {@code ..}. */
    void name(String n) {
        if (!(n ==~ /[A-Za-z0-9_][A-Za-z0-9._-]{0,99}/) || n.contains('..')) {
            throw new IllegalArgumentException("name '${n}' cannot be a folder under --out: use letters, digits, '.', '_' and '-' (up to 100, not starting with '.', no '..')")
        }
        scenarioName = n
    }

    void description(String d) { scenarioDescription = d }

    void seed(long s) {
        if (scriptRandom != null && settings.seed == null) throw new IllegalArgumentException("seed must come before the script's first use of random")
        seed = s
    }

    /**
     * A parameter with a default in its own units: {@code def reserve = param('reserve', 22.GB)}. Its value is
     * the default unless {@code --set reserve=24.GB} or a sweep gives another.
     */
    def param(String name, Object dflt) {
        if (!(name ==~ /[A-Za-z_][A-Za-z0-9_]*/)) throw new IllegalArgumentException("param('${name}'): a parameter's name is a word of letters, digits and _")
        if (params.containsKey(name)) throw new IllegalArgumentException("param('${name}') is declared twice (first on line ${params[name].line})")
        Literal.Kind kind = Literal.kindOf(dflt, name)
        Object value = Literal.convert(dflt, kind, name)
        if (settings.overrides.containsKey(name)) {
            value = Literal.convert(settings.overrides[name], kind, name)
        }
        params[name] = new Param(name, kind, value, callerLine())
        value
    }

    /**
     * What a sweep varies: {@code sweep reserve: 16.GB..32.GB step 1.GB, coldShare: [0.2, 0.4, 0.6]}. Only
     * {@code hugesim sweep} and {@code hugesim plan} read it; {@code hugesim run} runs the defaults.
     */
    SweepChain sweep(Map values) {
        RawSweep last = null
        values.each { k, v ->
            String n = k as String
            if (rawSweeps.any { it.name == n }) throw new IllegalArgumentException("'${n}' is swept twice")
            if (!(v instanceof List || v instanceof Range)) throw new IllegalArgumentException("sweep ${n}: give a list [a, b, c] or a range a..b step s, got ${v}")
            last = new RawSweep(n, v, callerLine())
            rawSweeps << last
        }
        new SweepChain(last)
    }

    /** How many times {@code hugesim sweep} and {@code plan} run each point under each policy. */
    void replications(int n) {
        if (n < 1) throw new IllegalArgumentException("replications must be 1 or more, got ${n}")
        replicationCount = n
    }

    /** What a plan must achieve, over the summary metrics: {@code goal { failedCalls == 0 && stallSeconds <= 1 }}. */
    void goal(@DelegatesTo(value = GoalScope, strategy = Closure.DELEGATE_FIRST) Closure body) {
        goalBody = body
        goalLine = callerLine()
    }

    /** The script's own random numbers (top level), from the run's seed and replication. */
    RandomGenerator getRandom() {
        if (scriptRandom == null) scriptRandom = new RandomStreams(effectiveSeed(), settings.replication).stream('script')
        scriptRandom
    }

    private long effectiveSeed() { settings.seed != null ? settings.seed : seed }

    /** The line of the script that called into the DSL. */
    private int callerLine() {
        def frame = new Throwable().stackTrace.find { it.className.startsWith(this.class.name) && it.lineNumber > 0 }
        frame ? frame.lineNumber : -1
    }

    void machine(@DelegatesTo(value = MachineSpec, strategy = Closure.DELEGATE_FIRST) Closure body) {
        machineSpec = new MachineSpec()
        machineSpec.callerLine = { -> callerLine() }
        Closure c = body.rehydrate(machineSpec, this, this)
        c.resolveStrategy = Closure.DELEGATE_FIRST
        c.call()
    }

    void policy(Policy p) {
        policyList << checked(p)
        if (until != null) checkHeap(until, sample, policyList.size())
    }

    void policies(Policy... ps) {
        ps.each { policyList << checked(it) }
        if (until != null) checkHeap(until, sample, policyList.size())
    }

    /** A policy's sizes must fit the machine's page geometry and nodes; checked here so the error names this line. */
    private Policy checked(Policy p) {
        if (machineSpec != null) p.check(machineSpec.geometry(), machineSpec.nodeCount())
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

    /** {@code asBooted()}: the machine as its own cmdline boots it, no policy added (mapHuge as under thp()). */
    Policy asBooted(Map opts = [:]) {
        Options.check('asBooted', opts, [])
        new hugesim.policy.AsBootedPolicy()
    }

    /** {@code thp()}: MADV_HUGEPAGE, no reservation. */
    Policy thp(Map opts = [:]) {
        Options.check('thp', opts, [])
        new ThpPolicy()
    }

    /**
     * {@code shmemThp(enabled: 'always')}: a shared memory file per mapHuge, its THPs as shmem_enabled says
     * ({@code size:} only the PMD size, 2.MB: the model has no 1 GiB folios).
     */
    Policy shmemThp(Map opts = [:]) {
        Options.check('shmemThp', opts, hugesim.policy.ShmemThpPolicy.OPTIONS)
        new hugesim.policy.ShmemThpPolicy((opts.enabled ?: 'always') as String, opts.size == null ? 0L : Options.size('shmemThp', 'size', opts.size))
    }

    /**
     * {@code reservedThp(reserve: 22.GB, overcommit: true, munmapWhole: true, swapIn: 'wait')}: the RFC as
     * posted, or with the author's stated plans; {@code chargeAt: 'mmap'}: charged when the mapping is made.
     */
    Policy reservedThp(Map opts) {
        Options.check('reservedThp', opts, ['reserve', 'overcommit', 'munmapWhole', 'swapIn', 'chargeAt'])
        if (opts.reserve == null) throw new IllegalArgumentException("reservedThp() needs reserve:, e.g. reservedThp(reserve: 22.GB)")
        new ReservedThpPolicy(Options.size('reservedThp', 'reserve', opts.reserve), opts.overcommit as boolean,
                opts.munmapWhole as boolean, (opts.swapIn ?: 'fallback') as String, (opts.chargeAt ?: 'madvise') as String)
    }

    /**
     * {@code sharedPool(pool: 22.GB, chargeAt: 'mmap', rsvd: false, overcommit: true, swapIn: 'wait')}: one
     * HugeTLB pool serving MAP_HUGETLB mappings and reserved THPs (docs/model.md 7.2).
     */
    Policy sharedPool(Map opts) {
        Options.check('sharedPool', opts, SharedPoolPolicy.OPTIONS)
        if (opts.pool == null) throw new IllegalArgumentException("sharedPool() needs pool:, e.g. sharedPool(pool: 22.GB)")
        new SharedPoolPolicy(Options.size('sharedPool', 'pool', opts.pool), (opts.chargeAt ?: 'madvise') as String,
                opts.rsvd == null ? true : opts.rsvd as boolean, opts.overcommit as boolean, (opts.swapIn ?: 'fallback') as String)
    }

    /**
     * {@code zoneNosplit(size: 22.GB, users: 'madvised')}: ZONE_NOSPLIT, memory set aside at boot for THPs that
     * are never split (docs/model.md 7.3).
     */
    Policy zoneNosplit(Map opts) {
        Options.check('zoneNosplit', opts, ZoneNosplitPolicy.OPTIONS)
        if (opts.size == null) throw new IllegalArgumentException("zoneNosplit() needs size:, e.g. zoneNosplit(size: 22.GB)")
        new ZoneNosplitPolicy(Options.size('zoneNosplit', 'size', opts.size), (opts.users ?: 'any') as String)
    }

    /**
     * {@code memPool(perNode: [8.GB, 8.GB], numa: 'preferred')} or {@code memPool(size: 16.GB)}: a per-node pool
     * that files reserve from, charged to their memory cgroup (docs/model.md 9).
     */
    Policy memPool(Map opts) {
        Options.check('memPool', opts, MemPoolPolicy.OPTIONS)
        if (opts.perNode != null && !(opts.perNode instanceof List)) {
            throw new IllegalArgumentException("memPool(perNode:) needs a list of sizes, one per node, e.g. [8.GB, 8.GB]; got ${opts.perNode}")
        }
        List<Long> perNode = opts.perNode == null ? null : (opts.perNode as List).withIndex().collect { v, int n -> Options.size('memPool', "perNode[${n}]", v) }
        new MemPoolPolicy(perNode, opts.size == null ? 0 : Options.size('memPool', 'size', opts.size), (opts.numa ?: 'local') as String)
    }

    /** A process: {@code process('new', start: 300.s, node: 1, cgroup: 'a') { … }}. */
    void process(Map opts = [:], String name,
                 @DelegatesTo(value = ProcessContext, strategy = Closure.DELEGATE_FIRST) Closure body) {
        Options.check('process', opts, ['start', 'node', 'cgroup'])
        if (!processNames.add(name)) throw new IllegalArgumentException("a process named '${name}' already exists")
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

    private ProcessSpec.Body toBody(@DelegatesTo(value = ProcessContext, strategy = Closure.DELEGATE_FIRST) Closure body) {
        def owner = this
        return { hugesim.kernel.Task task ->
            Closure c = body.rehydrate(new ProcessContext(task), owner, owner)
            c.resolveStrategy = Closure.DELEGATE_FIRST
            owner.runBody(task, c)
        } as ProcessSpec.Body
    }

    /** {@code run until: 900.s, sample: 1.s} */
    void run(Map opts) {
        Options.check('run', opts, ['until', 'sample'])
        if (opts.until == null) throw new IllegalArgumentException("run needs until:, e.g. run until: 900.s, sample: 1.s")
        until = Options.nanos('run', 'until', opts.until)
        sample = opts.sample == null ? 1_000_000_000L : Options.nanos('run', 'sample', opts.sample)
        if (sample == 0) throw new IllegalArgumentException("run(sample:) must be positive")
        checkHeap(until, sample, Math.max(1, policyList.size()))
    }

    /**
     * Every policy's series is held until the results are written: refused up front when they would not fit
     * in half of this JVM's heap (the model and the writers need the rest), with the figure and the way out.
     */
    private static void checkHeap(long until, long sample, int policies) {
        long samples = until.intdiv(sample) + 1
        // past 2^63 bytes no heap holds it anyway
        long need = samples > Long.MAX_VALUE / Scenario.BYTES_PER_SAMPLE / policies ? Long.MAX_VALUE : samples * Scenario.BYTES_PER_SAMPLE * policies
        long heap = Runtime.runtime.maxMemory()
        if (need > heap / 2) {
            throw new IllegalArgumentException("run(until: ${Literal.format(Duration.ofNanos(until))}, sample: ${Literal.format(Duration.ofNanos(sample))}) takes "
                    + "${String.format(Locale.ROOT, '%,d', samples)} samples: ${hugesim.units.Size.human(need)} of series for ${policies} "
                    + "polic${policies == 1 ? 'y' : 'ies'}, more than half of this JVM's heap (${hugesim.units.Size.human(heap)}); "
                    + "sample less often (a coarser sample:) or give it more heap, e.g. HUGESIM_JAVA_OPTS=-Xmx${Math.max(2, (long) Math.ceil(need * 2.5 / (1L << 30)))}g")
        }
        Scenario.samples(until, sample)
    }

    void simSleep(Object any) {
        throw new IllegalArgumentException("sleep belongs inside a process { } body")
    }

    /** Groovy's own sleep(long) would wait in real time: refused here too. */
    void simSleep(long any) {
        throw new IllegalArgumentException("sleep belongs inside a process { } body")
    }

    Scenario toScenario(String fallbackName) {
        if (machineSpec == null) throw new IllegalArgumentException("the scenario has no machine { } block")
        // a scenario naming no policy runs once, on the machine as its own cmdline boots it
        List<Policy> policies = policyList.isEmpty() ? [(Policy) new hugesim.policy.AsBootedPolicy()] : policyList
        if (until == null) throw new IllegalArgumentException("the scenario never says how long to run; add e.g. run until: 900.s, sample: 1.s")
        policyList.each { it.check(machineSpec.geometry(), machineSpec.nodeCount()) }
        def unknown = settings.overrides.keySet().findAll { !params.containsKey(it) }
        if (unknown) {
            throw new IllegalArgumentException("--set ${unknown.first()}: the script declares no parameter '${unknown.first()}'; "
                    + (params ? "declared: ${params.keySet().join(', ')}" : "it declares none (param('name', default) declares one)"))
        }
        Map<String, String> values = [:]
        params.each { n, p -> values[n] = Literal.format(p.value) }
        new Scenario(scenarioName ?: fallbackName, scenarioDescription, machineSpec.build(), policies, processSpecs, until, sample,
                effectiveSeed(), settings.replication, values)
    }

    /** The declared parameters, in order. */
    Map<String, Param> parameters() { Collections.unmodifiableMap(params) }

    /** The script's sweeps, resolved against the declared parameters (errors name the sweep's line). */
    List<Sweep> sweeps() {
        rawSweeps.collect { raw ->
            Param p = params[raw.name]
            if (p == null) {
                throw new ScriptLineException("sweep over '${raw.name}', which the script does not declare; "
                        + (params ? "declared: ${params.keySet().join(', ')}" : "declare it with param('${raw.name}', default)"), raw.line)
            }
            try {
                new Sweep(raw.name, values(raw, p), raw.line)
            } catch (IllegalArgumentException e) {
                throw new ScriptLineException(e.message, raw.line)
            }
        }
    }

    @groovy.transform.CompileDynamic   // reads NumberRange's inclusiveRight, which has no getter
    private static List<Object> values(RawSweep raw, Param p) {
        def v = raw.values
        if (v instanceof EmptyRange) throw new IllegalArgumentException("sweep ${raw.name}: the range is empty")
        if (v instanceof IntRange) {
            IntRange r = (IntRange) v
            if (r.reverse) throw new IllegalArgumentException("sweep ${raw.name}: the range ${r.to}..${r.from} is reversed; write it from low to high")
            Object step = raw.step ?: (p.kind == Literal.Kind.INTEGER ? 1 : null)
            return Sweep.range(raw.name, Literal.convert(r.fromInt, p.kind, raw.name), Literal.convert(r.toInt, p.kind, raw.name), false,
                    step == null ? null : Literal.convert(step, p.kind, raw.name))
        }
        if (v instanceof NumberRange) {
            NumberRange r = (NumberRange) v
            if (r.reverse) throw new IllegalArgumentException("sweep ${raw.name}: the range ${Literal.format(r.to)}..${Literal.format(r.from)} is reversed; write it from low to high")
            Object step = raw.step
            if (step == null && (r.stepSize != 1 || p.kind == Literal.Kind.INTEGER)) step = r.stepSize
            return Sweep.range(raw.name, Literal.convert(r.from, p.kind, raw.name), Literal.convert(r.to, p.kind, raw.name), !r.inclusiveRight,
                    step == null ? null : Literal.convert(step, p.kind, raw.name))
        }
        if (!(v instanceof Range)) {
            List list = (List) v
            if (list.isEmpty()) throw new IllegalArgumentException("sweep ${raw.name}: the list of values is empty")
            return list.collect { Literal.convert(it, p.kind, raw.name) }
        }
        Range r = (Range) v
        if (r.reverse) throw new IllegalArgumentException("sweep ${raw.name}: the range is reversed; write it from low to high")
        return Sweep.range(raw.name, Literal.convert(r.from, p.kind, raw.name), Literal.convert(r.to, p.kind, raw.name), false,
                raw.step == null ? null : Literal.convert(raw.step, p.kind, raw.name))
    }

    Integer replicationCount() { replicationCount }

    Closure goalBody() { goalBody }

    int goalLine() { goalLine }

    /** Whether the script's top level drew random numbers (then each replication must evaluate it anew). */
    boolean drewRandom() { scriptRandom != null }
}
