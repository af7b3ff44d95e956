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
class Expectation {
    final String text
    final String where
    private final Closure body
    private final String file
    private final int line
    /** Which policies it applies to: null for all; else labels, keys, DSL names or policies. */
    private final List<Object> policies

    Expectation(Closure body, String text, String file, int line, Object policy) {
        this.body = body
        this.text = text
        this.file = file
        this.line = line
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
        Closure c = body.rehydrate(new ExpectScope(r), body.owner, body.thisObject)
        c.resolveStrategy = Closure.DELEGATE_FIRST
        Object v
        try {
            v = c.call()
        } catch (Throwable t) {
            throw new ScenarioException(file, line, "expect { ${text} }: ${t instanceof IllegalArgumentException ? t.message : ErrorReport.describe(t)}", false, t)
        }
        if (!(v instanceof Boolean)) {
            throw new ScenarioException(file, line, "expect { ${text} } gives ${v}, not true or false; write a condition, e.g. stallSeconds <= 5")
        }
        new Check(text, where, v as boolean)
    }
}
