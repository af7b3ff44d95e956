package com.example.fleet

import hugesim.dsl.HugesimSpecification

import static hugesim.uapi.Errno.ENOMEM
import static hugesim.uapi.Mman.*

/**
 * Our nightly batch job maps 4 GB of HugeTLB on nodes that boot without a pool; the runbook has the operator
 * raise vm.nr_hugepages first. Written inline: the scenario lives next to what it checks.
 */
class NightlyJobSpec extends HugesimSpecification {

    def "the job gets its 4 GB when the operator raises the pool first"() {
        when:
        def results = run {
            machine { memory 16.GB }
            policy thp()
            at(0.s) { sysctl 'vm.nr_hugepages', 2048 }
            process('nightly', start: 1.s) {
                long heap = mmap(0, 4.GB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB)
                assert heap > 0
                touch heap, 4.GB
                assert meminfo('HugePages_Free') == 0
                sleep 10.s
            }
            run until: 20.s
        }

        then:
        def r = results[thp()]
        r.summary().clean()
        r.at('meminfo.HugePages_Total', 1.s) == 2048
        r.at('meminfo.HugePages_Free', 5.s) == 0
        r.killed.isEmpty()
    }

    def "without the raise its mmap fails with ENOMEM (the scenario's own assert) and no huge page exists"() {
        when:
        def results = run {
            machine { memory 16.GB }
            policy thp()
            process('nightly') {
                assert mmap(0, 4.GB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB) == -ENOMEM
            }
            run until: 1.s
        }

        then: 'an assert that failed would have failed the run with this file and line'
        noExceptionThrown()
        results[thp()].peak('meminfo.HugePages_Total') == 0
    }
}
