package com.example.fleet

import hugesim.dsl.HugesimSpecification

/**
 * How small the reserve can be: the upgrade must stay clean (no failed call, no stalled fault, no kill).
 * With overcommit the cold index pays for part of the overlap, so 24 GB + 24 GB − 15 GB cold = 33 GB.
 */
class ReserveSizingSpec extends HugesimSpecification {

    def "reservedThp(reserve: #gb GB, overcommit: true) is clean: #clean"() {
        when:
        def results = run('scenarios/search-upgrade.groovy', reserve: gb.GB)

        then:
        results[reservedThp(reserve: gb.GB, overcommit: true)].summary().clean() == clean

        where:
        gb | clean
        30 | false
        32 | false
        33 | true
        36 | true
    }

    def "a colder index needs less: with 20 GB cold, 28 GB is enough"() {
        expect:
        run('scenarios/search-upgrade.groovy', reserve: 28.GB, cold: 20.GB)[reservedThp(reserve: 28.GB, overcommit: true)].summary().clean()
    }
}
