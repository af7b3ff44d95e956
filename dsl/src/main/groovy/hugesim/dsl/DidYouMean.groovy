package hugesim.dsl

import groovy.transform.CompileStatic

/** The known word closest to a mistyped one (case first, then at most two edits), as " (did you mean X?)". */
@CompileStatic
class DidYouMean {
    /** The DSL's words: the script's, a process body's and the machine block's public methods. */
    static final Set<String> WORDS = words()

    private static Set<String> words() {
        Set<String> out = new TreeSet<>()
        for (Class<?> c : [ScenarioScript, ProcessContext, MachineSpec]) {
            c.methods.findAll { it.declaringClass == c && !it.name.contains('$') && !it.name.startsWith('get') && !(it.name in ['simSleep', 'methodMissing', 'propertyMissing', 'run', 'configure']) }
                    .each { out << it.name }
        }
        out << 'sleep'
        out
    }

    /** The unit literals (64.GB, 3.s, 2.GBps), as the properties Units gives numbers. */
    static final Set<String> UNITS = units()

    private static Set<String> units() {
        Set<String> out = new TreeSet<>()
        for (java.lang.reflect.Method m : Units.methods) {
            if (m.declaringClass != Units || !m.name.startsWith('get') || m.parameterCount != 1) continue
            String p = m.name.substring(3)
            // a property's name as Groovy derives it from its getter: getGB is GB, getMs is ms
            out << (p.length() > 1 && Character.isUpperCase(p.charAt(1)) ? p : Character.toLowerCase(p.charAt(0)).toString() + p.substring(1))
        }
        out
    }

    static String suggest(String word, Collection<String> known = WORDS) {
        String best = known.find { it.equalsIgnoreCase(word) }
        if (best == null) {
            int bestDistance = 3
            for (String k : known) {
                int d = distance(word, k)
                if (d < bestDistance) { bestDistance = d; best = k }
            }
        }
        best == null || best == word ? '' : " (did you mean ${best}?)"
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1]
        for (int j = 0; j <= b.length(); j++) prev[j] = j
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1)
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1))
            }
            int[] t = prev; prev = cur; cur = t
        }
        prev[b.length()]
    }
}
