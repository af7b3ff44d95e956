package hugesim.sim

import spock.lang.Specification

class RandomStreamsSpec extends Specification {
    private static List<Long> draw(RandomStreams s, String name, int n = 5) {
        def g = s.stream(name)
        (1..n).collect { g.nextLong() }
    }

    def "the same seed, replication and stream name always draw the same numbers"() {
        expect:
        draw(new RandomStreams(7, 3), 'process new') == draw(new RandomStreams(7, 3), 'process new')
    }

    def "another seed, replication or name draws other numbers"() {
        given:
        def base = draw(new RandomStreams(7, 3), 'process new')

        expect:
        draw(new RandomStreams(8, 3), 'process new') != base
        draw(new RandomStreams(7, 4), 'process new') != base
        draw(new RandomStreams(7, 3), 'process old') != base
    }

    def "a stream does not depend on which other streams were drawn from (adding a process changes no one else's draws)"() {
        given:
        def alone = new RandomStreams(1, 0)
        def crowded = new RandomStreams(1, 0)
        draw(crowded, 'process extra', 100)

        expect:
        draw(alone, 'process a') == draw(crowded, 'process a')
    }

    def "draws are counted across streams, so a run that drew nothing is known to be independent of the seed"() {
        given:
        def s = new RandomStreams(1, 0)
        def g = s.stream('x')

        expect:
        s.draws() == 0

        when:
        g.nextInt(10)
        g.nextDouble()

        then:
        s.draws() >= 2
    }

    def "a negative replication is refused"() {
        when:
        new RandomStreams(1, -1)

        then:
        def e = thrown(IllegalArgumentException)
        e.message.contains('negative')
    }
}
