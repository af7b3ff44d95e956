package hugesim.sim;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The threads one run's process bodies run on. A body only ever runs while the loop waits for it, so what
 * a thread costs is its creation and each hand-off. Where the JDK has virtual threads (21 and later) each
 * body gets one of its own: they are created and switched without the operating system. On 17 bodies run
 * on platform threads that are kept once their body ends and given the next process that starts, since
 * creating one cost more than everything else a short-lived process does; the run ends them all.
 * {@code -Dhugesim.bodyThreads=platform} forces platform threads.
 */
final class BodyThreads {
    /** Thread.ofVirtual() and Thread.Builder.OfVirtual.unstarted(Runnable), or null on a JDK without them. */
    private static final MethodHandle[] VIRTUAL = virtualThreads();

    /** Platform threads whose body ended, waiting for the next one (used only by the loop and, under the baton, a body). */
    private final List<Carrier> idle = new ArrayList<>();
    private final List<Carrier> all = new ArrayList<>();

    /** True when bodies run on virtual threads. */
    static boolean virtual() { return VIRTUAL != null; }

    /**
     * Starts {@code body} on a thread named {@code name} and returns that thread; {@code handBack} runs on it
     * after the body, once the thread is ready for the next body (it gives the baton back to the loop).
     */
    Thread start(String name, Runnable body, Runnable handBack) {
        if (VIRTUAL != null) {
            Thread t = unstartedVirtual(name, () -> {
                try {
                    body.run();
                } finally {
                    handBack.run();
                }
            });
            t.start();
            return t;
        }
        Carrier c;
        synchronized (idle) {
            c = idle.isEmpty() ? null : idle.remove(idle.size() - 1);
        }
        if (c == null) {
            c = new Carrier();
            all.add(c);
            c.thread.start();
        }
        c.thread.setName(name);
        c.give(body, handBack);
        return c.thread;
    }

    /**
     * The run is over: ends every platform thread whose body has ended and waits up to {@code budgetNanos}
     * for them. A thread still inside a body (a runaway the run gave up on) is left behind as a daemon.
     */
    void close(long budgetNanos) {
        long deadline = System.nanoTime() + budgetNanos;
        for (Carrier c : all) c.give(null, null);
        boolean interrupted = false;
        for (Carrier c : all) {
            if (c.busy) continue;
            try {
                c.thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /** A platform thread that runs bodies one after another until it is given none. */
    private final class Carrier implements Runnable {
        final Thread thread = new Thread(this);
        private final Semaphore go = new Semaphore(0);
        private Runnable next, nextHandBack;
        /** Inside a body: set by the loop when it gives one, cleared by this thread before it hands back. */
        volatile boolean busy;

        Carrier() { thread.setDaemon(true); }

        void give(Runnable body, Runnable handBack) {
            if (body != null) busy = true;
            next = body;
            nextHandBack = handBack;
            go.release();
        }

        @Override
        public void run() {
            while (true) {
                go.acquireUninterruptibly();
                Runnable body = next, handBack = nextHandBack;
                if (body == null) return;
                Thread.interrupted(); // an interrupt meant for the last body is not this one's
                try {
                    body.run();
                } finally {
                    busy = false;
                    synchronized (idle) {
                        idle.add(this);
                    }
                    handBack.run();
                }
            }
        }
    }

    /**
     * Runs {@code action} on a virtual thread of its own and waits for it: the event loop runs there, so
     * that handing the baton to a body and back switches virtual threads, not operating-system threads.
     */
    static void runOnVirtual(String name, Runnable action) {
        Throwable[] failure = new Throwable[1];
        Thread t = unstartedVirtual(name, () -> {
            try {
                action.run();
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        t.start();
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        if (failure[0] instanceof RuntimeException re) throw re;
        if (failure[0] instanceof Error err) throw err;
        if (failure[0] != null) throw new IllegalStateException(failure[0]);
    }

    private static Thread unstartedVirtual(String name, Runnable body) {
        try {
            Thread t = (Thread) VIRTUAL[1].invoke(VIRTUAL[0].invoke(), body);
            t.setName(name);
            return t;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot make a virtual thread", e);
        }
    }

    private static MethodHandle[] virtualThreads() {
        if ("platform".equals(System.getProperty("hugesim.bodyThreads"))) return null;
        try {
            MethodHandles.Lookup l = MethodHandles.publicLookup();
            Class<?> builder = Class.forName("java.lang.Thread$Builder$OfVirtual");
            MethodHandle of = l.findStatic(Thread.class, "ofVirtual", MethodType.methodType(builder)).asType(MethodType.methodType(Object.class));
            MethodHandle unstarted = l.findVirtual(builder, "unstarted", MethodType.methodType(Thread.class, Runnable.class))
                    .asType(MethodType.methodType(Thread.class, Object.class, Runnable.class));
            return new MethodHandle[] {of, unstarted};
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }
}
