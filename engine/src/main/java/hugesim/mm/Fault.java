package hugesim.mm;

/** What a fault came to (the model's reading of vm_fault_t for one PMD window). */
public final class Fault {
    /** Mapped. */
    public static final int DONE = 0;
    /** Waiting for I/O (swap-out of a victim, swap-in); the retry callback runs when it completes. */
    public static final int WAIT = 1;
    /** VM_FAULT_OOM on a user fault: the task re-executes the fault until memory appears (since 5.16). */
    public static final int STALL = 2;
    /** VM_FAULT_SIGBUS: the task is killed by SIGBUS. */
    public static final int SIGBUS = 3;
    /** VM_FAULT_OOM on a kernel-initiated fault (populate, GUP): the caller returns -ENOMEM. */
    public static final int OOM = 4;
    /** The faulting task itself was chosen by the OOM killer. */
    public static final int KILLED = 5;

    private Fault() {}
}
