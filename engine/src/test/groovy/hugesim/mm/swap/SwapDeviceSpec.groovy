package hugesim.mm.swap

import hugesim.mm.KernelVersion
import hugesim.units.Bandwidth
import spock.lang.Specification

import static hugesim.units.Size.GB
import static hugesim.units.Size.MB

/**
 * A swap area per docs/model.md 5.1: clusters of SWAPFILE_CLUSTER = 512 slots with THP swap, a whole
 * free cluster per whole-THP swap-out (block devices only), single slots for split pages, and transfers
 * at the device's bandwidth, one after another.
 */
class SwapDeviceSpec extends Specification {
    static final int PAGE = 4096
    static final Bandwidth GBPS = new Bandwidth(GB)

    /** A block device of {@code clusters} × 2 MiB. */
    static SwapDevice device(int clusters, boolean thpCapable = true) {
        new SwapDevice(clusters * 2 * MB, PAGE, 512, GBPS, GBPS, thpCapable)
    }

    def "5.1: a swap area is divided into clusters of 512 slots, one slot per 4 KiB page"() {
        when:
        def s = device(4)

        then:
        device(1).clusterSlots() == 512
        s.totalSlots() == 2048
        s.freeSlots() == 2048
        s.freeClusters() == 4
    }

    def "5.1: a tail smaller than a cluster is not used"() {
        when:
        def s = new SwapDevice(3 * 2 * MB + 100 * PAGE, PAGE, 512, GBPS, GBPS, true)

        then:
        s.totalSlots() == 3 * 512
        s.freeClusters() == 3
    }

    def "5.1 thp_swpout: a whole THP takes one wholly free cluster; with none left the THP must be split"() {
        given:
        def s = device(4)

        when:
        def got = (1..4).collect { s.allocCluster() }

        then:
        got.every { it >= 0 }
        got.toSet().size() == 4
        s.freeClusters() == 0
        s.freeSlots() == 0

        expect: 'no free cluster: thp_swpout_fallback'
        s.allocCluster() == -1
    }

    def "5.1: a freed cluster can take a whole THP again; freeing it twice is a bug"() {
        given:
        def s = device(1)
        int c = s.allocCluster()

        when:
        s.freeCluster(c)

        then:
        s.freeClusters() == 1
        s.freeSlots() == 512
        s.allocCluster() == c

        when:
        s.freeCluster(c)
        s.freeCluster(c)

        then:
        thrown(IllegalStateException)
    }

    def "5.1 S19(d): a swap file (not a block device) never gives a whole cluster, but single slots work"() {
        given:
        def s = device(4, false)

        expect:
        s.allocCluster() == -1
        s.freeClusters() == 4
        s.freeSlots() == 2048

        and: 'the split THP goes out page by page'
        s.allocSlots(512)
        s.freeSlots() == 1536
    }

    def "5.1: a single-slot allocation breaks one free cluster, so it can no longer take a THP"() {
        given:
        def s = device(2)

        when:
        assert s.allocSlots(1)

        then:
        s.freeClusters() == 1
        s.freeSlots() == 1023
        s.allocCluster() >= 0
        s.allocCluster() == -1
        s.freeSlots() == 511
    }

    def "5.1: single slots fill a cluster already broken before breaking another"() {
        given:
        def s = device(4)

        when:
        s.allocSlots(1)
        s.allocSlots(511)

        then:
        s.freeClusters() == 3

        when:
        s.allocSlots(1)

        then:
        s.freeClusters() == 2
        s.freeSlots() == 2048 - 513
    }

    def "5.1: slot allocation is all or nothing"() {
        given:
        def s = device(2)
        s.allocCluster()

        expect:
        !s.allocSlots(513)
        s.freeSlots() == 512
        s.freeClusters() == 1
        s.allocSlots(512)
        s.freeSlots() == 0
    }

    def "5.1: freed slots coalesce back into a whole free cluster that can take a THP again"() {
        given:
        def s = device(2)
        s.allocSlots(1)
        s.allocCluster()
        assert s.allocCluster() == -1

        when:
        s.freeSlots(1)

        then:
        s.freeClusters() == 1
        s.freeSlots() == 512
        s.allocCluster() >= 0
    }

    def "5.1: slots spread over two broken clusters give one back as soon as the pages in use fit in one"() {
        given:
        def s = device(4)
        s.allocSlots(600)
        assert s.freeClusters() == 2

        when: '88 freed: 512 in use, one cluster'
        s.freeSlots(88)

        then:
        s.freeClusters() == 3
        s.freeSlots() == 2048 - 512

        when:
        s.freeSlots(512)

        then:
        s.freeClusters() == 4
        s.freeSlots() == 2048
    }

    def "5.3: a 2 MiB write at 1 GiB/s completes after 1953125 ns"() {
        given:
        def s = device(4)

        expect:
        s.write(1000, 2 * MB) == 1000 + 1_953_125
    }

    def "5.1: transfers are queued one after another: writes issued together complete at the bandwidth in sequence"() {
        given:
        def s = device(4)

        expect:
        s.write(0, 2 * MB) == 1_953_125
        s.write(0, 2 * MB) == 2 * 1_953_125
        s.write(0, 4 * PAGE) == 2 * 1_953_125 + 15_259     // ceil(16384 / 1.073741824)
    }

    def "5.1: reads and writes share the queue, each at its own bandwidth"() {
        given:
        def s = new SwapDevice(8 * MB, PAGE, 512, new Bandwidth(GB), new Bandwidth(2 * GB), true)

        expect:
        s.write(0, 2 * MB) == 1_953_125
        s.read(0, 2 * MB) == 1_953_125 + 976_563          // ceil(2 MiB / 2 GiB/s)
    }

    def "5.1: a transfer issued after the queue has drained starts at once"() {
        given:
        def s = device(4)
        s.write(0, 2 * MB)

        expect:
        s.read(10_000_000, 2 * MB) == 10_000_000 + 1_953_125
    }

    def "5.1 cluster_alloc_swap_entry(): since 6.14 every block device gives a THP a whole cluster, a swap file never; on 6.1 a rotational disk does not"() {
        expect:
        new SwapDevice(8 * MB, PAGE, 512, GBPS, GBPS, kind, file, version, 3.0).wholeThp() == whole

        where:
        kind          | file  | version                  || whole
        SwapKind.SSD  | false | KernelVersion.MAINLINE   || true
        SwapKind.HDD  | false | KernelVersion.MAINLINE   || true
        SwapKind.ZRAM | false | KernelVersion.MAINLINE   || true
        SwapKind.SSD  | true  | KernelVersion.MAINLINE   || false
        SwapKind.SSD  | false | KernelVersion.V6_1       || true
        SwapKind.HDD  | false | KernelVersion.V6_1       || false
        SwapKind.ZRAM | false | KernelVersion.V6_1       || true
        SwapKind.HDD  | true  | KernelVersion.V6_1       || false
    }

    def "5.1 zram: only zram is synchronous (SWP_SYNCHRONOUS_IO) and holds RAM, the slots in use over the ratio, rounded up"() {
        given:
        def z = new SwapDevice(8 * MB, PAGE, 512, GBPS, GBPS, SwapKind.ZRAM, false, KernelVersion.MAINLINE, 3.0)
        def d = new SwapDevice(8 * MB, PAGE, 512, GBPS, GBPS, SwapKind.SSD, false, KernelVersion.MAINLINE, 3.0)

        expect:
        z.synchronous() && !d.synchronous()
        z.compressedPages(512) == 171
        z.compressedPages(3) == 1
        d.compressedPages(512) == 0
    }
}
