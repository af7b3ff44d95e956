package hugesim

import spock.lang.Shared
import spock.lang.Specification

/**
 * The engine's packages import in one direction: each only from packages in layers below its own (the
 * order README's Layout section gives), so the graph of package imports has no cycle.
 */
class LayeringSpec extends Specification {
    /** Lowest first; packages of one layer do not import each other. */
    static final List<List<String>> LAYERS = [
            ['hugesim.units', 'hugesim.uapi', 'hugesim.sim', 'hugesim.record'],
            ['hugesim.mm'],
            ['hugesim.mm.page'],
            ['hugesim.mm.swap', 'hugesim.mm.hugetlb', 'hugesim.mm.slab', 'hugesim.mm.memcg'],
            ['hugesim.mm.shmem'],
            ['hugesim.mm.vma'],
            ['hugesim.mm.thp', 'hugesim.mm.rthp', 'hugesim.mm.filemap', 'hugesim.mm.nosplit'],
            ['hugesim.mm.model'],
            ['hugesim.mm.reclaim'],
            ['hugesim.mm.memory'],
            ['hugesim.mm.migrate', 'hugesim.mm.mmap'],
            ['hugesim.kernel'],
            ['hugesim.policy'],
            ['hugesim.scenario'],
            ['hugesim.experiment'],
    ]

    @Shared Map<String, Set<String>> imports = packageImports(new File('src/main/java'))

    /** Package → the engine packages its code names (imports, static imports and qualified names). */
    static Map<String, Set<String>> packageImports(File root) {
        Map<String, Set<String>> graph = [:].withDefault { new TreeSet<String>() }
        root.eachFileRecurse { File f ->
            if (!f.name.endsWith('.java')) return
            String code = f.text.replaceAll(/(?s)\/\*.*?\*\//, '').replaceAll(/\/\/[^\n]*/, '').replaceAll(/"(?:\\.|[^"\\])*"/, '""')
            String pkg = (code =~ /(?m)^package ([\w.]+);/)[0][1]
            graph[pkg]
            (code =~ /\b(hugesim(?:\.[a-z]\w*)*)\.[A-Z]/).each { m ->
                if (m[1] != pkg) graph[pkg] << m[1]
            }
        }
        graph
    }

    static int layerOf(String pkg) { LAYERS.findIndexOf { it.contains(pkg) } }

    def "the source tree is where the specification looks"() {
        expect:
        imports.containsKey('hugesim.mm.page')
        imports['hugesim.kernel'].contains('hugesim.mm.page')
    }

    def "every engine package has its layer"() {
        expect:
        imports.keySet().findAll { layerOf(it) < 0 } == [] as Set
    }

    def "no package imports from its own layer or one above it"() {
        when:
        List<String> upward = []
        imports.each { from, tos ->
            tos.each { to -> if (layerOf(to) >= layerOf(from)) upward << "$from -> $to".toString() }
        }

        then:
        upward == []
    }

    def "the package import graph has no cycle"() {
        expect:
        findCycle(imports) == null
    }

    def "a cycle is found and named"() {
        expect:
        findCycle([a: ['b'] as Set, b: ['c'] as Set, c: ['a'] as Set]) == ['a', 'b', 'c', 'a']
        findCycle([a: ['b'] as Set, b: [] as Set]) == null
    }

    /** A cycle in the graph as the packages along it, the first repeated at the end; null if none. */
    static List<String> findCycle(Map<String, Set<String>> graph) {
        Map<String, Integer> state = [:]   // 1: on the path, 2: done
        List<String> path = []
        Closure<List<String>> visit
        visit = { String p ->
            state[p] = 1
            path << p
            for (String q : (graph[p] ?: [])) {
                if (state[q] == 1) return path.subList(path.indexOf(q), path.size()) + [q]
                if (state[q] == null) {
                    List<String> c = visit(q)
                    if (c != null) return c
                }
            }
            path.removeLast()
            state[p] = 2
            null
        }
        for (String p : graph.keySet().sort()) {
            if (state[p] == null) {
                List<String> c = visit(p)
                if (c != null) return c
            }
        }
        null
    }
}
