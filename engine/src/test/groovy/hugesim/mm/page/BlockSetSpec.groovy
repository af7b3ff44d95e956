package hugesim.mm.page

import spock.lang.Specification

/** BlockSet answers every search as java.util.BitSet does, across word and second-level boundaries. */
class BlockSetSpec extends Specification {
    def "random sets and clears leave every search agreeing with java.util.BitSet"() {
        given:
        def rnd = new Random(seed)
        def set = new BlockSet(size)
        def ref = new BitSet(size)

        expect:
        4000.times {
            int i = rnd.nextInt(size)
            // clustered members, as free blocks are: long empty runs between them
            if (rnd.nextInt(4) == 0) { set.clear(i); ref.clear(i) } else if (rnd.nextInt(16) == 0) { set.set(i); ref.set(i) }
            int from = rnd.nextInt(size + 2)
            int to = Math.min(size, from + rnd.nextInt(size))
            assert set.get(i) == ref.get(i)
            assert set.nextSetBit(from) == (from >= size ? -1 : ref.nextSetBit(from))
            assert set.previousSetBit(from - 1) == (from - 1 >= size ? ref.previousSetBit(size - 1) : ref.previousSetBit(from - 1))
            int next = ref.nextSetBit(from)
            assert set.nextSetBit(from, to) == (next >= 0 && next < to ? next : -1)
        }

        where:
        seed | size
        1    | 1
        2    | 63
        3    | 4097
        4    | 262_144
        5    | 300_001
    }

    def "a member's word leaves the second level when its last member is cleared, and the search then skips it"() {
        given:
        def set = new BlockSet(1 << 20)
        set.set(70)
        set.set(1_000_000)

        when:
        set.clear(70)

        then:
        set.nextSetBit(0) == 1_000_000
        set.previousSetBit((1 << 20) - 1) == 1_000_000
        set.previousSetBit(999_999) == -1
    }

    def "countByRow counts the members of each row"() {
        given:
        def set = new BlockSet(1000)
        [0, 1, 63, 64, 127, 500, 999].each { set.set(it) }
        int[] counts = new int[10 * 2]

        when:
        set.countByRow(0, 100, counts, 2, 1)

        then:
        (0..<10).collect { counts[it * 2 + 1] } == [4, 1, 0, 0, 0, 1, 0, 0, 0, 1]
        (0..<10).every { counts[it * 2] == 0 }
    }
}
