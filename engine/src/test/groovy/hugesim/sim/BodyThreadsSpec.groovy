package hugesim.sim

import spock.lang.Requires
import spock.lang.Specification

/** Bodies and the loop run on virtual threads where the JDK has them, else on daemon platform threads. */
class BodyThreadsSpec extends Specification {
    static boolean jdkHasVirtualThreads() { Runtime.version().feature() >= 21 }

    /** Whether {@code t} is virtual, asked reflectively so that this compiles for Java 17. */
    static boolean isVirtual(Thread t) {
        jdkHasVirtualThreads() && (boolean) Thread.getMethod('isVirtual').invoke(t)
    }

    def "a body runs on a virtual thread exactly when the JDK has them, and the loop runs on one too"() {
        given:
        def env = new Environment(10_000_000_000L)
        Thread body = null, loop = null
        env.schedule(0) { loop = Thread.currentThread() }
        env.process('p', 0) { Process self -> body = Thread.currentThread(); self.sleep(5) }

        when:
        env.run(10)

        then:
        isVirtual(body) == jdkHasVirtualThreads()
        isVirtual(loop) == jdkHasVirtualThreads()
        body.daemon
        body.name == 'process p'
    }

    def "a failure on the loop's thread reaches the caller of run() as it was thrown"() {
        given:
        def env = new Environment(10_000_000_000L)
        env.schedule(1) { throw new IllegalStateException('model bug') }

        when:
        env.run(10)

        then:
        def e = thrown(IllegalStateException)
        e.message == 'model bug'
    }

    @Requires({ Runtime.version().feature() >= 21 })
    def "two thousand bodies handing the baton back and forth on virtual threads keep simulated time exact"() {
        given:
        def env = new Environment(10_000_000_000L)
        List<Long> woke = Collections.synchronizedList([])
        2000.times { i -> env.process("p$i", i) { Process self -> 3.times { self.sleep(1000) }; woke << env.now() } }

        when:
        env.run(10_000)

        then:
        woke.size() == 2000
        woke == (0..<2000).collect { it + 3000L }
    }
}
