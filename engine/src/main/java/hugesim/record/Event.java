package hugesim.record;

import java.util.Objects;

/**
 * Something the kernel did or said during a run: a failed call and its errno, a SIGBUS, a stall on
 * VM_FAULT_OOM, an OOM kill, a boot log line or a kernel warning.
 *
 * @param time    simulated time in seconds
 * @param kind    what happened, e.g. {@code mmap_failed}, {@code sigbus}, {@code fault_stall} (constants below)
 * @param process the process's name, or {@code kernel}
 * @param detail  one line for a human: the errno, the address, the log line
 * @param data    the same facts as typed values, for whatever reads events
 */
public record Event(double time, String kind, String process, String detail, EventData data) {
    public static final String MMAP_FAILED = "mmap_failed", MADVISE_FAILED = "madvise_failed", SYSCALL_FAILED = "syscall_failed",
            SIGBUS = "sigbus", SIGSEGV = "sigsegv", OOM_KILL = "oom_kill", FAULT_STALL = "fault_stall",
            ASSERT_FAILED = "assert_failed", KERNEL_WARNING = "kernel_warning", SCRIPT_WARNING = "script_warning",
            PROCESS_START = "process_start", PROCESS_EXIT = "process_exit";

    public Event {
        Objects.requireNonNull(data, "data");
    }

    /** An event that is a line of text only (a log line, a warning). */
    public Event(double time, String kind, String process, String detail) {
        this(time, kind, process, detail, EventData.NOTE);
    }

    /** A failure of the workload: a failed call, a kill, a stall, an assert, or a kernel or script warning. */
    public boolean isFailure() {
        return switch (kind) {
            case MMAP_FAILED, MADVISE_FAILED, SYSCALL_FAILED, SIGBUS, SIGSEGV, OOM_KILL, FAULT_STALL, ASSERT_FAILED,
                 KERNEL_WARNING, SCRIPT_WARNING -> true;
            default -> false;
        };
    }
}
