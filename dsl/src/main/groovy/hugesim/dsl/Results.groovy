package hugesim.dsl

import hugesim.record.RunResult

/** The results of one scenario under several policies, found by label or key: {@code results['hugetlb(pool: 32G)']}. */
class Results implements Iterable<RunResult> {
    final List<RunResult> all

    Results(List<RunResult> all) { this.all = all }

    RunResult getAt(String labelOrKey) {
        def r = all.find { it.policy() == labelOrKey || it.policyKey() == labelOrKey }
        if (r == null) throw new IllegalArgumentException("no result for '${labelOrKey}'; have: ${all*.policy().join(', ')}")
        r
    }

    RunResult getAt(int i) { all[i] }

    int size() { all.size() }

    Iterator<RunResult> iterator() { all.iterator() }
}
