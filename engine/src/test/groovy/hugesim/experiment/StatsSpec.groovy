package hugesim.experiment

import spock.lang.Specification

class StatsSpec extends Specification {
    def "Student t interval: mean ± t(0.975, n-1) · sd / √n"() {
        when:
        def m = Stats.mean([1, 2, 3, 4, 5] as double[])

        then:
        m.n() == 5
        m.mean() == 3
        Math.abs(m.sd() - Math.sqrt(2.5)) < 1e-12
        // t(0.975, 4) = 2.7764451…
        Math.abs(m.high() - m.mean() - 2.7764451052 * Math.sqrt(2.5) / Math.sqrt(5)) < 1e-8
        Math.abs((m.mean() - m.low()) - (m.high() - m.mean())) < 1e-12
    }

    def "identical values have a zero-width interval; one value has none; NaN values are left out and counted"() {
        expect:
        with(Stats.mean([4, 4, 4] as double[])) { sd() == 0 && low() == 4 && high() == 4 }
        with(Stats.mean([4] as double[])) { mean() == 4 && Double.isNaN(low()) }
        with(Stats.mean([2, Double.NaN, 4] as double[])) { n() == 2 && undefined() == 1 && mean() == 3 }
    }

    def "Wilson score interval matches the textbook values"() {
        expect: 'Wilson (1927); e.g. 8 of 10 gives [0.4902, 0.9433]'
        with(Stats.wilson(8, 10)) { Math.abs(low() - 0.4902) < 1e-4 && Math.abs(high() - 0.9433) < 1e-4 && share() == 0.8 }
        and: 'all successes never reach 1 at the lower end; none never reach 0 at the upper end'
        Stats.wilson(30, 30).low() < 0.9
        Stats.wilson(30, 30).high() == 1
        Stats.wilson(0, 30).low() == 0
    }

    def "runsToShow: the fewest all-successful runs whose Wilson lower bound reaches a share"() {
        when:
        long n = Stats.runsToShow(0.95)

        then:
        n == 73
        Stats.wilson(n, n).low() >= 0.95
        Stats.wilson(n - 1, n - 1).low() < 0.95
    }
}
