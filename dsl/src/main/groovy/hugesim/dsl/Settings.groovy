package hugesim.dsl

import groovy.transform.CompileStatic

/**
 * What one evaluation of a script is for: parameter values that replace the defaults (already parsed),
 * the seed (null: the script's {@code seed}, else 1) and the replication.
 */
@CompileStatic
final class Settings {
    static final Settings DEFAULT = new Settings([:], null, 0)

    final Map<String, Object> overrides
    final Long seed
    final int replication

    Settings(Map<String, Object> overrides, Long seed, int replication) {
        if (replication < 0) throw new IllegalArgumentException("--replication must not be negative, got ${replication}")
        this.overrides = Collections.unmodifiableMap(new LinkedHashMap<String, Object>(overrides))
        this.seed = seed
        this.replication = replication
    }

    Settings with(Map<String, Object> more, int replication) {
        Map<String, Object> all = new LinkedHashMap<>(overrides)
        all.putAll(more)
        new Settings(all, seed, replication)
    }

    Settings withReplication(int r) { new Settings(overrides, seed, r) }
}
