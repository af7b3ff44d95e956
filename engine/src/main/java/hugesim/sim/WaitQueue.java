package hugesim.sim;

import java.util.ArrayDeque;

/** Waiters for a resource, woken first come first served (like a kernel wait queue with exclusive waits). */
public final class WaitQueue {
    private final ArrayDeque<Runnable> waiters = new ArrayDeque<>();

    public void add(Runnable waiter) { waiters.add(waiter); }

    public boolean isEmpty() { return waiters.isEmpty(); }

    public int size() { return waiters.size(); }

    /** Runs the first waiter now; it is removed before it runs, so it may wait again. */
    public boolean wakeOne() {
        Runnable r = waiters.poll();
        if (r == null) return false;
        r.run();
        return true;
    }

    public void remove(Runnable waiter) { waiters.remove(waiter); }
}
