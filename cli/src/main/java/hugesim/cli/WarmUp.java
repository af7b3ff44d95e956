package hugesim.cli;

import hugesim.charts.ChartWarmUp;
import hugesim.dsl.ScriptSource;

import java.util.concurrent.CountDownLatch;

/**
 * Start-up work that {@code hugesim run} needs anyway, started on another core at once: the Groovy runtime
 * and the DSL's compiler (while the main thread parses the options), then Groovy's string conversion and
 * the chart toolkit (while the script is evaluated and the engine runs). The main thread waits for the
 * runtime and the charts before it uses them; the string conversion, which the script may reach first,
 * needs nothing but the runtime already initialised, so the script's thread at worst waits for its
 * initialiser to finish. On one core it costs nothing but a thread.
 */
final class WarmUp {
    private static final CountDownLatch scripts = new CountDownLatch(1);
    private static final CountDownLatch charts = new CountDownLatch(1);
    private static Thread thread;

    private WarmUp() {}

    static synchronized void start(boolean charts) {
        if (thread != null) return;
        thread = new Thread(() -> {
            try {
                ScriptSource.warmUp();
            } catch (Throwable ignored) {
                // the script's own load meets the same problem and reports it
            } finally {
                scripts.countDown();
            }
            try {
                // needed by the script too, but only once it runs: the main thread need not wait for it
                ScriptSource.warmUpFormatting();
            } catch (Throwable ignored) {
                // the script's own use meets the same problem and reports it
            }
        }, "warm-up");
        thread.setDaemon(true);
        thread.start();
        // on a thread of its own: it fills the time the main thread waits for the Groovy runtime
        Thread toolkit = new Thread(() -> {
            try {
                if (charts) ChartWarmUp.run();
            } finally {
                WarmUp.charts.countDown();
            }
        }, "warm-up charts");
        toolkit.setDaemon(true);
        toolkit.start();
    }

    /** Returns once the Groovy runtime is initialised (at once when no warm-up was started). */
    static void awaitScripts() { await(scripts); }

    /** Returns once the chart toolkit is initialised (at once when no warm-up was started). */
    static void awaitCharts() { await(charts); }

    private static void await(CountDownLatch done) {
        if (!started()) return;
        boolean interrupted = false;
        while (done.getCount() > 0) {
            try {
                done.await();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    private static synchronized boolean started() { return thread != null; }
}
