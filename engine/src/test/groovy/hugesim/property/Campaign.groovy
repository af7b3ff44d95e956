package hugesim.property

import groovy.transform.CompileStatic

import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors
import java.util.concurrent.Future
import java.util.concurrent.TimeUnit
import java.util.function.Predicate

/**
 * Runs many sequences (in parallel, one engine per sequence) and keeps, per kind of failure and per kind
 * of finding, the smallest examples; then shrinks them on demand and prints them as scripts. Memory stays
 * flat however many sequences run, so the same code serves a few thousand in the normal build and
 * millions with {@code -Dhugesim.property.runs=…}.
 */
@CompileStatic
final class Campaign {
    /** Smallest failing sequences kept per failure shape. */
    static final int KEEP = 3
    /** Smallest sequences kept per kind of RFC finding: several, as they shrink to different ways in. */
    static final int KEEP_FINDINGS = 8

    final long seed
    final long runs
    long millis
    /** Failure shape (invariant and what broke, numbers elided) → the smallest failing outcomes. */
    final Map<String, List<Outcome>> failures = new TreeMap<>()
    final Map<String, Long> failureCounts = new TreeMap<>()
    final Map<String, List<Outcome>> presence = new TreeMap<>()
    final Map<String, Long> presenceCounts = new TreeMap<>()
    final Map<String, List<Outcome>> findings = new TreeMap<>()
    final Map<String, Long> findingCounts = new TreeMap<>()
    /** Per coverage item: how many sequences exercised it. */
    final Map<String, Long> coverage = new TreeMap<>()

    private Campaign(long seed, long runs) {
        this.seed = seed
        this.runs = runs
    }

    /**
     * Sequences run side by side: each run's process bodies hand the CPU to each other through the
     * simulator's baton, so one run rarely keeps a core busy; four per core do.
     */
    static int threads() { 4 * Math.max(1, Runtime.runtime.availableProcessors()) }

    /** Sequences first .. first + runs - 1 of {@code seed}. */
    static Campaign run(long seed, long runs, int threads = threads(), long first = 0) {
        Campaign c = new Campaign(seed, runs)
        long t0 = System.nanoTime()
        ExecutorService pool = Executors.newFixedThreadPool(threads)
        try {
            List<Future<?>> futures = []
            long per = Math.max(1, runs.intdiv(threads * 8) as long)
            for (long from = first; from < first + runs; from += per) {
                long a = from, b = Math.min(first + runs, from + per)
                futures << pool.submit({ for (long i = a; i < b; i++) c.add(Run.run(Generator.draw(seed, i))) } as Runnable)
            }
            for (Future<?> f : futures) f.get()
        } finally {
            pool.shutdown()
            pool.awaitTermination(1, TimeUnit.MINUTES)
        }
        c.millis = (System.nanoTime() - t0).intdiv(1_000_000) as long
        c
    }

    /** The failure's shape: its invariant and its detail without the numbers, so one bug is one key. */
    static String shape(Violation v) {
        String d = v.detail.replaceAll(/(VMA )?[0-9a-f]{6,}-[0-9a-f]{6,}( [a-z]{2}\b)*/, 'VMA').replaceAll(/0x[0-9a-f]+/, 'X')
        d = d.replaceAll(/-?\d+(\.\d+)?/, 'N')
        d = d.replaceAll(/\bp\d+\b/, 'pN').replaceAll(/\bm\d+\b/, 'mN')
        if (v.invariant == 'I0') return "I0 ${d.length() > 140 ? d.substring(0, 140) : d}"
        int cut = d.indexOf(':')
        String head = cut > 0 && cut < 40 ? d.substring(cut + 1).trim() : d
        "${v.invariant} ${head.length() > 70 ? head.substring(0, 70) : head}"
    }

    private static void keep(Map<String, List<Outcome>> m, Map<String, Long> counts, String key, Outcome o, int most = KEEP) {
        counts[key] = (counts[key] ?: 0L) + 1
        List<Outcome> l = m.computeIfAbsent(key) { [] }
        l << o
        l.sort { Outcome x -> x.seq.ops.size() }
        while (l.size() > most) l.remove(l.size() - 1)
    }

    synchronized void add(Outcome o) {
        for (String c : o.coverage.keySet()) coverage[c] = (coverage[c] ?: 0L) + 1
        if (o.violation != null) keep(failures, failureCounts, shape(o.violation), o)
        if (o.presence != null) keep(presence, presenceCounts, shape(o.presence), o)
        for (String kind : o.findings.keySet()) keep(findings, findingCounts, kind, o, KEEP_FINDINGS)
    }

    // ---- shrinking and reports ------------------------------------------------------------------

    /** A shrunk example: the minimal sequence's run and the script that replays it. */
    static final class Example {
        final String key
        final Outcome original
        final Outcome shrunk
        final String script
        final int shrinkRuns

        Example(String key, Outcome original, Outcome shrunk, String script, int shrinkRuns) {
            this.key = key
            this.original = original
            this.shrunk = shrunk
            this.script = script
            this.shrinkRuns = shrinkRuns
        }
    }

    static Example shrinkFailure(String key, Outcome o, int budget = 1000) {
        Predicate<Sequence> same = { Sequence s -> Outcome r = Run.run(s); r.violation != null && shape(r.violation) == key } as Predicate<Sequence>
        Shrinker sh = new Shrinker(same, budget)
        Sequence min = sh.shrink(o.seq)
        Outcome r = Run.run(min)
        List<String> header = [
                "Invariant broken: ${r.violation.message}".toString(),
                "Found by hugesim.property.PropertySpec (${o.seq.origin}); shrunk from ${o.seq.ops.size()} to ${min.ops.size()} ops in ${sh.runs} runs.".toString(),
                'Replay: ./hugesim run FILE   (the comments give each call\'s result as the test saw it)',
        ]
        new Example(key, o, r, ScriptWriter.write(r, 'property-failure', header), sh.runs)
    }

    static Example shrinkPresence(String key, Outcome o, int budget = 1000) {
        Predicate<Sequence> same = { Sequence s -> Outcome r = Run.run(s); r.presence != null && shape(r.presence) == key } as Predicate<Sequence>
        Shrinker sh = new Shrinker(same, budget)
        Sequence min = sh.shrink(o.seq)
        Outcome r = Run.run(min)
        Map<Integer, List<String>> notes = new HashMap<Integer, List<String>>()
        notes.put(r.presence.opIndex, ["^ I7 ${Checker.NAMES.I7} broke here: ${r.presence.detail}".toString()] as List<String>)
        List<String> header = [
                "Invariant broken: ${r.presence.message}".toString(),
                "Found by hugesim.property.PropertySpec (${o.seq.origin}); shrunk from ${o.seq.ops.size()} to ${min.ops.size()} ops in ${sh.runs} runs.".toString(),
        ]
        new Example(key, o, r, ScriptWriter.write(r, 'property-lost-data', header, notes), sh.runs)
    }

    static Example shrinkFinding(String kind, Outcome o, int budget = 800) {
        Predicate<Sequence> has = { Sequence s -> Run.run(s).findings.containsKey(kind) } as Predicate<Sequence>
        Shrinker sh = new Shrinker(has, budget)
        Sequence min = sh.shrink(o.seq)
        Outcome r = Run.run(min)
        Finding f = r.findings[kind]
        Map<Integer, List<String>> notes = new HashMap<Integer, List<String>>()
        if (f.opIndex >= 0) notes.put(f.opIndex, ["^ finding ${kind}: ${f.detail}".toString()] as List<String>)
        List<String> header = [
                "RFC finding ${kind}: ${f.detail}".toString(),
                "Found by hugesim.property.PropertySpec (${o.seq.origin}); shrunk from ${o.seq.ops.size()} to ${min.ops.size()} ops in ${sh.runs} runs.".toString(),
        ]
        new Example(kind, o, r, ScriptWriter.write(r, "rfc-${kind}".toString(), header, notes), sh.runs)
    }

    /** Runs {@code work} over {@code items} on the campaign's threads, keeping the order. */
    static <T, R> List<R> parallel(List<T> items, java.util.function.Function<T, R> work) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(items.size(), threads())))
        try {
            List<Future<R>> fs = []
            for (T item : items) {
                T one = item
                fs << pool.submit({ -> work.apply(one) } as java.util.concurrent.Callable<R>)
            }
            List<R> out = []
            for (Future<R> f : fs) out << f.get()
            out
        } finally {
            pool.shutdown()
        }
    }

    String summary() {
        "${runs} sequences from seed ${seed} in ${millis} ms on ${threads()} threads; " +
                "failures ${failureCounts ?: 'none'}; lost data ${presenceCounts ?: 'none'}; RFC findings ${findingCounts ?: 'none'}; " +
                "sequences exercising ${coverage}"
    }
}
