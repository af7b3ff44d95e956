package hugesim.scenario;

import hugesim.kernel.Task;

/**
 * A process of a scenario: its name, when it starts, and its body.
 *
 * @param admin true for {@code at(T) { … }} blocks: an administrator's shell, not a workload
 * @param node   the NUMA node the process runs on
 * @param cgroup the hugetlb cgroup it runs in, or null for the root
 */
public record ProcessSpec(String name, long start, Body body, boolean admin, int node, String cgroup) {
    public ProcessSpec(String name, long start, Body body, boolean admin) {
        this(name, start, body, admin, 0, null);
    }

    /** A process body; it calls the kernel through its task. */
    @FunctionalInterface
    public interface Body extends Task.Body {
    }
}
