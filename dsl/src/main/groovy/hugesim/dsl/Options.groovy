package hugesim.dsl

import hugesim.units.Bandwidth

import java.time.Duration

/** Checks of named arguments, so a typo is an error that names what is known. */
@groovy.transform.CompileStatic
class Options {
    static void check(String call, Map opts, List<String> known) {
        def unknown = opts.keySet().findAll { !(it in known) }
        if (unknown) {
            throw new IllegalArgumentException("${call}() has no parameter '${unknown.first()}'; known: ${known.join(', ') ?: 'none'}")
        }
    }

    static long size(String call, String param, Object v) {
        if (!(v instanceof Number) || v instanceof Double || v instanceof Float || v instanceof BigDecimal) {
            throw new IllegalArgumentException("${call}(${param}:) needs a size like 22.GB, got ${v}")
        }
        return (v as Number).longValue()
    }

    static Bandwidth rate(String call, String param, Object v) {
        if (!(v instanceof Bandwidth)) throw new IllegalArgumentException("${call}(${param}:) needs a rate like 2.GBps, got ${v}")
        return v as Bandwidth
    }

    static long nanos(String call, String param, Object v) {
        if (!(v instanceof Duration)) throw new IllegalArgumentException("${call}(${param}:) needs a duration like 60.s, got ${v}")
        long n = (v as Duration).toNanos()
        if (n < 0) throw new IllegalArgumentException("${call}(${param}:) must not be negative, got ${v}")
        return n
    }
}
