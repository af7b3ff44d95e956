package hugesim.record;

/**
 * What an event says beyond its kind, as typed values: summaries, tables and charts read these, never the
 * event's detail line (which is for a human and may change wording).
 */
public sealed interface EventData {
    /** A workload call failed with an errno: {@code call} as written, {@code errno} its name, e.g. {@code ENOMEM}. */
    record CallFailed(String call, String errno) implements EventData {}

    /** The process was killed by a signal ({@code SIGSEGV}, {@code SIGBUS}, {@code SIGABRT}) at an address, or -1. */
    record Killed(String signal, long address) implements EventData {}

    /** The OOM killer chose this process (pid, and its badness in kB: RSS + swap). */
    record OomKilled(int pid, long badnessKb) implements EventData {}

    /** A fault stalled on VM_FAULT_OOM for {@code seconds}; {@code atEnd} when it was still stalled as the run ended. */
    record Stalled(long address, double seconds, boolean atEnd) implements EventData {}

    /** The process started with {@code pid}; {@code parentPid} is 0 unless it was forked. */
    record Started(int pid, int parentPid) implements EventData {}

    /** The process called exit(). */
    record Exited() implements EventData {}

    /** A body's {@code assert} failed at {@code file}:{@code line}; the process ends as abort() would end it. */
    record AssertFailed(String file, int line, String message) implements EventData {}

    /** A log line (boot log, show_mem, kernel warning, script warning): the detail is all there is. */
    record Note() implements EventData {}

    Note NOTE = new Note();
}
