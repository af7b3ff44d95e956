package hugesim.record;

/**
 * Something the kernel did or said during a run: a failed call and its errno, a SIGBUS, a stall on
 * VM_FAULT_OOM, an OOM kill, a boot log line or a kernel warning.
 *
 * @param time    simulated time in seconds
 * @param kind    what happened, e.g. {@code mmap_failed}, {@code sigbus}, {@code fault_stall}
 * @param process the process's name, or {@code kernel}
 * @param detail  one line for a human: the errno, the address, the log line
 */
public record Event(double time, String kind, String process, String detail) {
    public boolean isFailure() {
        return switch (kind) {
            case "mmap_failed", "madvise_failed", "syscall_failed", "sigbus", "sigsegv", "oom_kill", "fault_stall" -> true;
            default -> false;
        };
    }
}
