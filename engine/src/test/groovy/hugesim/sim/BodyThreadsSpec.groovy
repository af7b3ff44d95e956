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

    @Requires({ Runtime.version().feature() < 21 || System.getProperty('hugesim.bodyThreads') == 'platform' })
    def "on platform threads a body that starts after another ended runs on its thread, and the run ends every thread it made"() {
        given:
        def env = new Environment(10_000_000_000L)
        List<Thread> ran = []
        List<String> names = []
        3.times { i ->
            env.process("p$i", i * 100) { Process self ->
                ran << Thread.currentThread()
                names << Thread.currentThread().name
                self.sleep(10)
            }
        }
        // two at once: the second cannot have the first's thread
        env.process('a', 1000) { Process self -> ran << Thread.currentThread(); self.sleep(10) }
        env.process('b', 1001) { Process self -> ran << Thread.currentThread(); self.sleep(10) }

        when:
        env.run(2000)

        then:
        ran[0].is(ran[1]) && ran[1].is(ran[2])
        names == ['process p0', 'process p1', 'process p2']
        !ran[3].is(ran[4])
        ran.toSet().size() == 2
        ran.every { !it.alive }
    }

    @Requires({ Runtime.version().feature() < 21 || System.getProperty('hugesim.bodyThreads') == 'platform' })
    def "a killed body's thread carries the next body, which runs to its end"() {
        given:
        def env = new Environment(10_000_000_000L)
        Thread victimThread = null, nextThread = null
        Process victim = env.process('victim', 0) { Process self -> victimThread = Thread.currentThread(); self.sleep(1000) }
        env.schedule(5) { victim.kill() }
        Process next = env.process('next', 10) { Process self ->
            nextThread = Thread.currentThread()
            self.sleep(5)
            self.sleep(5)
        }
        long nextEnded = -1
        env.schedule(30) { nextEnded = next.finished() ? env.now() : -1 }

        when:
        env.run(100)

        then:
        victim.finished()
        nextThread.is(victimThread)
        nextEnded == 30
    }

    @Requires({ Runtime.version().feature() < 21 || System.getProperty('hugesim.bodyThreads') == 'platform' })
    def "a body that keeps the CPU past the wall budget fails the run, and the run's end neither waits for nor reuses its thread"() {
        given: 'a budget of 300 ms, and a body that ignores the interrupt until told to stop'
        def env = new Environment(300_000_000L)
        def release = new java.util.concurrent.CountDownLatch(1)
        Thread spinner = null
        env.process('spin', 0) { Process self ->
            spinner = Thread.currentThread()
            while (release.count > 0) Thread.onSpinWait()
        }
        env.process('later', 10) { Process self -> self.sleep(5) }

        when:
        long t0 = System.nanoTime()
        env.run(100)

        then:
        def e = thrown(RunawayException)
        e.process() == 'spin'
        (System.nanoTime() - t0) < 5_000_000_000L
        spinner.alive

        cleanup:
        release.countDown()
        spinner?.join(5000)
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
