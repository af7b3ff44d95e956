package hugesim.dsl

import hugesim.units.Bandwidth
import spock.lang.Specification

import java.time.Duration

/**
 * The unit literals scripts write (16.GB, 60.s, 2.GBps). They come from the hugesim-units extension
 * module (META-INF/groovy), which is on this module's test classpath, so they work here as in a script.
 */
class UnitsSpec extends Specification {

    def "sizes are byte counts in powers of 1024: #literal"() {
        expect:
        value instanceof Long
        value == bytes

        where:
        literal   | value    || bytes
        '16.GB'   | 16.GB    || 17_179_869_184L
        '4.KB'    | 4.KB     || 4_096L
        '1.5.GB'  | 1.5.GB   || 1_610_612_736L
        '2.TB'    | 2.TB     || 2_199_023_255_552L
        '3.MB'    | 3.MB     || 3_145_728L
        '7.B'     | 7.B      || 7L
        '0.5.KB'  | 0.5.KB   || 512L
        '0.GB'    | 0.GB     || 0L
    }

    def "durations are java.time.Durations: #literal"() {
        expect:
        value instanceof Duration
        value == expected

        where:
        literal  | value   || expected
        '60.s'   | 60.s    || Duration.ofSeconds(60)
        '1.5.s'  | 1.5.s   || Duration.ofMillis(1_500)
        '10.ms'  | 10.ms   || Duration.ofMillis(10)
        '2.min'  | 2.min   || Duration.ofMinutes(2)
        '1.h'    | 1.h     || Duration.ofHours(1)
        '250.us' | 250.us  || Duration.ofNanos(250_000)
        '3.ns'   | 3.ns    || Duration.ofNanos(3)
    }

    def "rates are Bandwidths in bytes per second: #literal"() {
        expect:
        value instanceof Bandwidth
        value == new Bandwidth(bytesPerSecond)

        where:
        literal   | value    || bytesPerSecond
        '2.GBps'  | 2.GBps   || 2L << 30
        '1.5.GBps'| 1.5.GBps || 3L << 29
        '100.MBps'| 100.MBps || 100L << 20
        '8.KBps'  | 8.KBps   || 8L << 10
    }

    def "a value beyond 64 bits is an error naming it, not a wrap-around: #literal"() {
        when:
        evaluate.call()

        then:
        def e = thrown(IllegalArgumentException)
        e.message == message

        where:
        literal               | evaluate                  || message
        '(10**9).TB'          | { (10**9).TB }            || '1000000000.TB is too large: more than 2^63 bytes'
        'Long.MAX_VALUE.KB'   | { Long.MAX_VALUE.KB }     || '9223372036854775807.KB is too large: more than 2^63 bytes'
        '(10**12).h'          | { (10**12).h }            || '1000000000000.h is too large: more than 2^63 nanoseconds'
        '(10**10).GBps'       | { (10**10).GBps }         || '10000000000.GBps is too large: more than 2^63 bytes per second'
    }

    def "the largest size that fits is still a size"() {
        expect:
        Long.MAX_VALUE.B == Long.MAX_VALUE
        (8_388_607).TB == 8_388_607L << 40
    }

    def "a size or duration that is not a whole number of bytes or nanoseconds is an error: #literal"() {
        when:
        evaluate.call()

        then:
        def e = thrown(IllegalArgumentException)
        e.message == message

        where:
        literal   | evaluate        || message
        '0.1.KB'  | { 0.1.KB }      || '0.1.KB is not a whole number of bytes'
        '0.5.B'   | { 0.5.B }       || '0.5.B is not a whole number of bytes'
        '1.5.ns'  | { 1.5.ns }      || '1.5.ns is not a whole number of nanoseconds'
    }

    def "a rate must be positive: #literal"() {
        when:
        evaluate.call()

        then:
        def e = thrown(IllegalArgumentException)
        e.message == message

        where:
        literal    | evaluate         || message
        '0.GBps'   | { 0.GBps }       || '0.GBps: a rate must be positive'
        '0.KBps'   | { 0.KBps }       || '0.KBps: a rate must be positive'
        '(-1).MBps'| { (-1).MBps }    || '-1.MBps: a rate must be positive'
    }
}
