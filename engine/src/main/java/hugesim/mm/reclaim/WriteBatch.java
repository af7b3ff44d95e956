package hugesim.mm.reclaim;

import hugesim.sim.Environment;

/**
 * The swap writes one reclaim pass started: {@code then} runs, as an event of its own, once the pass has
 * ended ({@link #close()}) and every write it started has completed.
 */
final class WriteBatch {
    private final Environment env;
    private final Runnable then;
    private int pending = 1;   // the pass itself, until close()
    private long pages;

    WriteBatch(Environment env, Runnable then) {
        this.env = env;
        this.then = then;
    }

    /** A write of {@code n} pages started. */
    void started(long n) {
        pending++;
        pages += n;
    }

    /** Pages whose writes this pass started. */
    long pages() { return pages; }

    void completed() {
        if (--pending == 0) env.schedule(env.now(), then);
    }

    void close() { completed(); }
}
