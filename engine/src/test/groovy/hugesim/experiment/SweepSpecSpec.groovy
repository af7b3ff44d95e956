package hugesim.experiment

import spock.lang.Specification

class SweepSpecSpec extends Specification {
    private static SweepSpec spec(int reps = 3, SweepSpec.Shard shard = null) {
        def swept = [new SweepSpec.Swept('a', ['1', '2']), new SweepSpec.Swept('b', ['x', 'y', 'z'])]
        def slots = (0..1).collect { new SweepSpec.PolicySlot("p${it}", ["p${it}"] * 6, ["p${it}"] * 6) }
        new SweepSpec('s', 'ab' * 32, 1, reps, [a: '1', b: 'x'], swept, slots, null, shard)
    }

    def "runs are numbered point-major, then policy, then replication, and decode back"() {
        given:
        def s = spec()

        expect:
        s.points() == 6
        s.runs() == 36
        (0..<36).every { long k -> s.run(s.pointOf(k), s.policyOf(k), s.replicationOf(k)) == k }
        s.pointValues(0) == ['1', 'x']
        s.pointValues(5) == ['2', 'z']
        s.parametersAt(4) == [a: '2', b: 'y']
    }

    def "the shards of a sweep hold every run exactly once, whatever their count"() {
        expect:
        (1..7).every { int n ->
            def all = (0..<n).collectMany { int i ->
                def s = spec(3, new SweepSpec.Shard(i, n))
                def mine = (0L..<s.runs()).findAll { s.inShard(it) }
                assert mine.size() == s.runsInShard()
                mine
            }
            all.sort() == (0L..<36L).toList()
        }
    }

    def "a shard that does not exist is refused: #index/#count"() {
        when:
        new SweepSpec.Shard(index, count)

        then:
        thrown(IllegalArgumentException)

        where:
        index | count
        3     | 2
        2     | 2
        -1    | 2
        0     | 0
    }

    def "two sweeps differ by what is named"() {
        given:
        def a = spec()
        def b = new SweepSpec('s', 'ab' * 32, 2, 3, a.parameters(), a.swept(), a.policies(), null, null)

        expect:
        a.differenceFrom(a.withShard(new SweepSpec.Shard(1, 2))) == null
        a.differenceFrom(b) == 'seed 1 vs 2'
    }
}
