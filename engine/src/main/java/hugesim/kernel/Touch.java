package hugesim.kernel;

import hugesim.mm.Fault;
import hugesim.mm.vma.Vma;
import hugesim.units.Bandwidth;

/**
 * A touch in progress: faults one PMD window after another on the event loop (not the body's thread),
 * so millions of faults cost no thread switches. A window that waits for I/O or stalls on
 * VM_FAULT_OOM resumes the touch when it is retried.
 */
final class Touch implements Stalling {
    private final Task t;
    private final long end;
    private final Bandwidth rate;
    private final boolean write;
    /** The range stays the workload's working set after this pass (not a one-off pass). */
    private final boolean keep;
    private long cursor;
    private long nextAt;
    private long stallStart = -1;
    private boolean done;
    /** The touch's continuation, made once: a fault's retry and the next window's wake-up. */
    private final Runnable next = this::step;

    /** Runs when the pass ends: the body's touch returns, or a background access pass is over. */
    private final Runnable onDone;

    Touch(Task t, long start, long end, Bandwidth rate, boolean write, boolean keep, Runnable onDone) {
        this.t = t;
        this.cursor = start;
        this.end = end;
        this.rate = rate;
        this.write = write;
        this.keep = keep;
        this.onDone = onDone;
        this.nextAt = t.k.env.now();
    }

    boolean done() { return done; }

    void step() {
        var env = t.k.env;
        while (!t.mm.exited) {
            if (env.now() < nextAt && !env.advanceTo(nextAt)) {
                env.schedule(nextAt, next);
                return;
            }
            if (cursor >= end) {
                finish();
                return;
            }
            // lock_mm_and_find_vma(): below a VM_GROWSDOWN VMA the stack grows first
            Vma v = t.k.stack.expandStack(t.mm, cursor);
            if (v == null) {
                t.sigsegv(cursor);
                finish();
                return;
            }
            if (!v.has(write ? hugesim.mm.vma.VmFlags.VM_WRITE : hugesim.mm.vma.VmFlags.VM_READ)) {
                t.sigsegv(cursor);   // access_error(): the VMA does not allow this access
                finish();
                return;
            }
            int i = v.slotOf(cursor);
            int r = t.k.memory.fault(t.mm, v, i, write, next, true);
            switch (r) {
                case Fault.DONE -> {
                    if (stallStart >= 0) endStall(true);
                    // the workload's working set: accessed from now on until it goes idle
                    if (keep) t.k.reclaim.lru.accessed(t.mm, v, i, true);
                    long next = Math.min(Math.min(v.slotStart(i) + v.slotSize, v.end), end);
                    if (rate != null) nextAt = env.now() + rate.nanosFor(next - cursor);
                    cursor = next;
                }
                case Fault.WAIT -> { return; }
                case Fault.STALL -> {
                    if (stallStart < 0) {
                        stallStart = env.now();
                        t.k.stallsInProgress.add(this);
                    }
                    return;
                }
                case Fault.SIGBUS -> {
                    t.sigbus(cursor);
                    finish();
                    return;
                }
                default -> {   // KILLED: the OOM killer chose this task
                    finish();
                    return;
                }
            }
        }
        finish();
    }

    private void endStall(boolean ended) {
        t.stalled(stallStart, cursor, ended);
        t.k.stallsInProgress.remove(this);
        stallStart = -1;
    }

    /** The run ended while this touch was stalled: record the stall so far. */
    @Override
    public void runEnded() {
        if (stallStart >= 0) endStall(false);
    }

    private void finish() {
        if (done) return;
        done = true;
        if (stallStart >= 0) {
            t.k.stallsInProgress.remove(this);
            stallStart = -1;
        }
        onDone.run();
    }
}
