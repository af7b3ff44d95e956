package hugesim.cli;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * Runs many independent runs on {@code jobs} threads, each taking the next run as it finishes the last,
 * and hands every result to {@code done} as it comes (one call at a time), so nothing but what {@code done}
 * keeps stays in memory. The first failure stops the rest and is rethrown.
 */
final class RunPool {
    private RunPool() {}

    static <R> void run(long[] runs, int jobs, LongFunction<R> job, Consumer<R> done) {
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Object lock = new Object();
        Runnable worker = () -> {
            int i;
            while (failure.get() == null && (i = next.getAndIncrement()) < runs.length) {
                try {
                    R r = job.apply(runs[i]);
                    synchronized (lock) {
                        if (failure.get() == null) done.accept(r);
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }
        };
        int n = Math.max(1, Math.min(jobs, runs.length));
        Thread[] threads = new Thread[n - 1];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(worker, "hugesim run " + (t + 1));
            threads[t].setDaemon(true);
            threads[t].start();
        }
        worker.run();
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException r) throw r;
        if (t instanceof Error e) throw e;
        if (t != null) throw new IllegalStateException(t);
    }
}
