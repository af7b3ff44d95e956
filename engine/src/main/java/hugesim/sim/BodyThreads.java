package hugesim.sim;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Makes the threads process bodies run on. A body only ever runs while the loop waits for it, so what a
 * thread costs is its creation and each hand-off: where the JDK has virtual threads (21 and later) bodies
 * run on them, which are created and switched without the operating system; on 17 on platform threads.
 * {@code -Dhugesim.bodyThreads=platform} forces platform threads.
 */
final class BodyThreads {
    /** Thread.ofVirtual() and Thread.Builder.OfVirtual.unstarted(Runnable), or null on a JDK without them. */
    private static final MethodHandle[] VIRTUAL = virtualThreads();

    private BodyThreads() {}

    /** True when bodies run on virtual threads. */
    static boolean virtual() { return VIRTUAL != null; }

    /**
     * Runs {@code action} on a virtual thread of its own and waits for it: the event loop runs there, so
     * that handing the baton to a body and back switches virtual threads, not operating-system threads.
     */
    static void runOnVirtual(String name, Runnable action) {
        Throwable[] failure = new Throwable[1];
        Thread t = unstarted(name, () -> {
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

    static Thread unstarted(String name, Runnable body) {
        if (VIRTUAL != null) {
            try {
                Thread t = (Thread) VIRTUAL[1].invoke(VIRTUAL[0].invoke(), body);
                t.setName(name);
                return t;
            } catch (Throwable e) {
                throw new IllegalStateException("cannot make a virtual thread", e);
            }
        }
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
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
