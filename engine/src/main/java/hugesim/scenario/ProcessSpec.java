package hugesim.scenario;

import hugesim.kernel.Task;

/**
 * A process of a scenario: its name, when it starts, and its body.
 *
 * @param admin true for {@code at(T) { … }} blocks: an administrator's shell, not a workload
 */
public record ProcessSpec(String name, long start, Body body, boolean admin) {
    /** A process body; it calls the kernel through its task. */
    @FunctionalInterface
    public interface Body extends Task.Body {
    }
}
