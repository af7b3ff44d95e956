package hugesim.dsl

import hugesim.policy.Policy
import hugesim.record.RunResult

/**
 * The results of one scenario under several policies, found by the policy itself
 * ({@code results[reservedThp(reserve: 22.GB, overcommit: true)]}), by label or key
 * ({@code results['hugetlb(pool: 32G)']}) or by position.
 */
class Results implements Iterable<RunResult> {
    final List<RunResult> all

    Results(List<RunResult> all) { this.all = all }

    RunResult getAt(String labelOrKey) {
        def r = all.find { it.policy() == labelOrKey || it.policyKey() == labelOrKey }
        if (r == null) throw new IllegalArgumentException("no result for '${labelOrKey}'; have: ${all*.policy().join(', ')}")
        r
    }

    /** The run under {@code policy}: the one with its label (a policy's label names all its parameters). */
    RunResult getAt(Policy policy) { getAt(policy.label()) }

    RunResult getAt(int i) { all[i] }

    int size() { all.size() }

    Iterator<RunResult> iterator() { all.iterator() }
}
