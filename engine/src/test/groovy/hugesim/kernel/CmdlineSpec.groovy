package hugesim.kernel

import spock.lang.Specification

import static hugesim.units.Size.GB
import static hugesim.units.Size.MB

/**
 * The kernel command line's memory parameters as their early_param/__setup handlers parse them:
 * the RFC's thp_reserved_size= and thp_reserved_nr= (docs/model.md rules 1-5), and mainline's
 * hugepagesz=/hugepages=/default_hugepagesz= (2.1, 2.3) and transparent_hugepage= (3.1).
 */
class CmdlineSpec extends Specification {
    static final long PMD = 2 * MB

    static Cmdline parse(String line) { Cmdline.parse(line, PMD, [PMD, GB]) }

    // ---- thp_reserved_size= ---------------------------------------------------------------------

    def "rule 2: without thp_reserved_size the size defaults to the PMD size and is valid"() {
        when:
        def c = parse('thp_reserved_nr=8')

        then:
        c.thpReservedSize == PMD
        c.thpReservedSizeValid
        c.thpReservedNr == 8
        c.log.isEmpty()
    }

    def "rule 2: thp_reserved_size=#value is exactly the PMD size and is accepted"() {
        when:
        def c = parse("thp_reserved_size=$value")

        then:
        c.thpReservedSizeValid
        c.thpReservedSize == PMD
        c.log.isEmpty()

        where:
        value << ['2M', '2m', '2048K', '2097152']
    }

    def "rule 3: thp_reserved_size=4M warns 'unsupported thp_reserved_size=4M, only 2097152 is supported' and marks the size invalid"() {
        when:
        def c = parse('thp_reserved_size=4M thp_reserved_nr=8')

        then:
        !c.thpReservedSizeValid
        c.log.contains('unsupported thp_reserved_size=4M, only 2097152 is supported')

        and: 'the handler returned -EINVAL, so the early-param code reports the option as malformed'
        c.log.contains("Malformed early option 'thp_reserved_size'")
    }

    def "rule 3: any size other than the PMD size is unsupported: #value"() {
        expect:
        !parse("thp_reserved_size=$value").thpReservedSizeValid

        where:
        value << ['1G', '4K', '1M', '0', 'abc']
    }

    def "rule 3: if thp_reserved_size appears twice, the last occurrence decides validity"() {
        expect:
        parse(line).thpReservedSizeValid == valid

        where:
        line                                          || valid
        'thp_reserved_size=4M thp_reserved_size=2M'   || true
        'thp_reserved_size=2M thp_reserved_size=4M'   || false
        'thp_reserved_size=1G thp_reserved_size=4M'   || false
    }

    // ---- thp_reserved_nr= -----------------------------------------------------------------------

    def "rule 4: thp_reserved_nr=#value is a complete unsigned decimal number"() {
        when:
        def c = parse("thp_reserved_nr=$value")

        then:
        c.thpReservedNr == expected
        c.log.isEmpty()

        where:
        value    || expected
        '0'      || 0
        '8'      || 8
        '16384'  || 16384
    }

    def "rule 4: thp_reserved_nr=#value is not a complete unsigned number: warning 'invalid thp_reserved_nr=#value' and the request becomes 0"() {
        when:
        def c = parse("thp_reserved_nr=$value")

        then:
        c.thpReservedNr == 0
        c.log.contains("invalid thp_reserved_nr=$value".toString())
        c.log.contains("Malformed early option 'thp_reserved_nr'")

        where:
        value << ['8x', '1e3', '8M', '']
    }

    def "rule 4: an invalid thp_reserved_nr after a valid one resets the request to 0"() {
        expect:
        parse('thp_reserved_nr=8 thp_reserved_nr=8x').thpReservedNr == 0
        parse('thp_reserved_nr=8x thp_reserved_nr=8').thpReservedNr == 8
    }

    def "rule 4: thp_reserved_nr is unsigned long: 18446744073709551615 is 2^64 - 1"() {
        when:
        def c = parse('thp_reserved_nr=18446744073709551615')

        then:
        Long.toUnsignedString(c.thpReservedNr) == '18446744073709551615'
        c.log.isEmpty()
    }

    def "rule 4 (vsscanf): thp_reserved_nr=#value is not an unsigned number: warning and request 0"() {
        when:
        def c = parse("thp_reserved_nr=$value")

        then:
        c.thpReservedNr == 0
        c.log.contains("invalid thp_reserved_nr=$value".toString())

        where:
        value << ['-1', '+8']
    }

    // ---- hugepagesz= / hugepages= / default_hugepagesz= ------------------------------------------

    def "2.3 hugepagesz/hugepages pairs give a page count per size, in the order given"() {
        when:
        def c = parse('hugepagesz=1G hugepages=4 hugepagesz=2M hugepages=512')

        then:
        c.hugepages == [(GB): 4L, (PMD): 512L]
        c.hugepages.keySet().toList() == [GB, PMD]
        c.log.isEmpty()
    }

    def "2.1 hugepages= without hugepagesz= applies to the default size (key 0)"() {
        when:
        def c = parse('hugepages=16384')

        then:
        c.hugepages == [(0L): 16384L]
    }

    def "2.3 an unsupported hugepagesz is reported and the hugepages= after it is ignored"() {
        when:
        def c = parse('hugepagesz=4M hugepages=8')

        then:
        c.hugepages.isEmpty()
        c.log.contains('HugeTLB: unsupported hugepagesz=4M')
        c.log.contains('HugeTLB: hugepages=8 does not follow a valid hugepagesz, ignoring')
    }

    def "2.3 hugepages= given twice for one size without an interleaving hugepagesz= keeps the first"() {
        when:
        def c = parse('hugepagesz=2M hugepages=8 hugepages=9')

        then:
        c.hugepages == [(PMD): 8L]
        c.log.size() == 1
    }

    def "2.3 hugepages_setup: the 'specified twice' warning names the ignored value, as mainline prints it"() {
        expect:
        parse('hugepagesz=2M hugepages=8 hugepages=9').log ==
                ['HugeTLB: hugepages= specified twice without interleaving hugepagesz=, ignoring hugepages=9']
    }

    def "2.3 hugepages_setup: the count is a plain number, a size suffix is not a multiplier (hugepages=1K is 1 page)"() {
        expect:
        parse('hugepagesz=2M hugepages=1K').hugepages == [(PMD): 1L]
    }

    def "2.3 an invalid hugepages= count is reported and ignored"() {
        when:
        def c = parse('hugepagesz=1G hugepages=x4')

        then:
        c.hugepages.isEmpty()
        c.log.contains('HugeTLB: Invalid hugepages parameter x4')
    }

    def "2.1 default_hugepagesz= selects a supported size; an unsupported one is ignored with an error"() {
        expect:
        parse('default_hugepagesz=1G').defaultHugepagesz == GB
        parse('default_hugepagesz=2M').defaultHugepagesz == PMD

        when:
        def c = parse('default_hugepagesz=4M')

        then:
        c.defaultHugepagesz == 0
        c.log.contains('HugeTLB: unsupported default_hugepagesz=4M. Ignoring')
    }

    // ---- transparent_hugepage= ------------------------------------------------------------------

    def "3.1 transparent_hugepage=#mode sets the boot THP mode"() {
        expect:
        parse("transparent_hugepage=$mode").transparentHugepage == mode
        parse("transparent_hugepage=$mode").log.isEmpty()

        where:
        mode << ['always', 'madvise', 'never']
    }

    def "3.1 transparent_hugepage= with another value cannot be parsed and is ignored"() {
        when:
        def c = parse('transparent_hugepage=sometimes')

        then:
        c.transparentHugepage == null
        c.log.contains('transparent_hugepage= cannot parse, ignored')
    }

    // ---- the line as a whole --------------------------------------------------------------------

    def "parameters this model does not know are skipped, and extra whitespace is harmless"() {
        when:
        def c = parse('  quiet   root=/dev/sda1  thp_reserved_nr=8   hugepages=4 ')

        then:
        c.thpReservedNr == 8
        c.hugepages == [(0L): 4L]
        c.log.isEmpty()
    }
}
