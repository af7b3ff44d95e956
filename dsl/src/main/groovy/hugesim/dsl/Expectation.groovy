package hugesim.dsl

import hugesim.policy.Policy
import hugesim.record.Check
import hugesim.record.RunResult

/**
 * What a script expects of a run, in the spirit of k6 thresholds: {@code expect { clean }},
 * {@code expect(policy: 'hugetlb') { stallSeconds <= 5 && peak('reserved_thp.used_hpages') <= 11264 }}.
 * The condition reads the summary metrics (as a goal does) and {@code peak(metric)} of any sampled metric.
 * Every policy runs whatever its expectations say; one not met makes {@code hugesim run} exit 1.
 */
class Expectation extends Condition {
    /** FILE:LINE, as a missed expectation is reported. */
    final String where
    /** Which policies it applies to: null for all; else labels, keys, DSL names or policies. */
    private final List<Object> policies

    Expectation(Closure body, String text, String file, int line, Object policy) {
        super(body, text, file, line)
        this.where = line > 0 ? "${file}:${line}".toString() : file
        this.policies = policy == null ? null : (policy instanceof Collection ? new ArrayList<Object>(policy) : [policy])
        this.policies?.each {
            if (!(it instanceof String || it instanceof Policy)) {
                throw new IllegalArgumentException("expect(policy:) takes a policy or its name, e.g. expect(policy: 'hugetlb') or expect(policy: thp()), got ${it}")
            }
        }
    }

    /** True when it applies to {@code p}: no policy named, or one naming {@code p} by label, key, DSL name or value. */
    boolean appliesTo(Policy p) {
        policies == null || policies.any { it instanceof Policy ? it.key() == p.key() : it in [p.label(), p.key(), p.name()] }
    }

    /** Checks the run; a condition that is not true or false, or names an unknown metric, is bad input on its line. */
    Check check(RunResult r) {
        new Check(text, where, evaluate(new ExpectScope(r)))
    }

    @Override
    protected String quoted() { "expect { ${text} }" }

    @Override
    protected String example() { 'stallSeconds <= 5' }
}
