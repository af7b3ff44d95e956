package hugesim.sim;

import java.util.ArrayDeque;

/** Waiters for a resource, woken first come first served (like a kernel wait queue with exclusive waits). */
public final class WaitQueue {
    private final ArrayDeque<Runnable> waiters = new ArrayDeque<>();

    public void add(Runnable waiter) { waiters.add(waiter); }

    public boolean isEmpty() { return waiters.isEmpty(); }

    public int size() { return waiters.size(); }

    /**
     * Makes the first waiter runnable now, as an event of its own: it runs after the code that freed the
     * resource has finished (a teardown, say), and it may wait again.
     */
    public boolean wakeOne(Environment env) {
        Runnable r = waiters.poll();
        if (r == null) return false;
        env.schedule(env.now(), r);
        return true;
    }

    public void remove(Runnable waiter) { waiters.remove(waiter); }
}
