package hugesim.mm.swap

import hugesim.mm.KernelVersion
import hugesim.units.Bandwidth
import spock.lang.Specification

import static hugesim.units.Size.GB

/**
 * Swap readahead per docs/model.md 5.7 (mm/swap_state.c): __swapin_nr_pages(), swap_vma_readahead() on a
 * non-rotational device, swap_cluster_readahead() on a rotational one, none on zram (do_swap_page() skips the
 * swap cache), and vm.page-cluster. Faults are played in address order over one PMD window of 512 pages.
 */
class SwapReadaheadSpec extends Specification {
    static final int PMD = 512

    static SwapReadahead readahead(SwapKind kind) {
        new SwapDevice(GB, 4096, PMD, new Bandwidth(GB), new Bandwidth(GB), kind, false, KernelVersion.MAINLINE, SwapKind.ZRAM_RATIO).readahead
    }

    /** Faults on a VMA's first window, all 512 pages swapped, from a fresh VMA (vma->swap_readahead_info 0). */
    static SwapReadahead.Result window(SwapReadahead ra, long raInfo = 0, int n = PMD) {
        long first = 0x7f000L * PMD
        ra.swapIn(raInfo, first, n, first, first + 16 * PMD, first, PMD)
    }

    def "__swapin_nr_pages(): no hits and no adjacent offset is 1 page, an adjacent one 2; hits + 2 rounded up to a power of two from 4, capped at the maximum; never below half the last window"() {
        expect:
        SwapReadahead.nrPages(prev, offset, hits, 8, prevWin) == pages

        where:
        prev | offset | hits | prevWin || pages
        100  | 200    | 0    | 0       || 1
        100  | 101    | 0    | 0       || 2
        100  | 99     | 0    | 0       || 2
        100  | 200    | 1    | 0       || 4
        100  | 200    | 2    | 0       || 4
        100  | 200    | 3    | 0       || 8
        100  | 200    | 63   | 0       || 8
        100  | 200    | 0    | 8       || 4
        100  | 200    | 1    | 16      || 8
    }

    def "swap_vma_readahead(): the misses are the major faults, each reads up to 8 pages of its page table; every page read ahead is then a hit"() {
        when:
        def r = window(readahead(SwapKind.SSD))

        then: 'a first window of 8 (the initial hits are 4), then windows of 8 once the hits come'
        r.majorFaults() >= PMD / 8 && r.majorFaults() <= PMD / 8 + 2
        r.readahead() == PMD - r.majorFaults()
        r.hits() == r.readahead()
    }

    def "swap_ra_info(): the first fault of a fresh VMA centres its window of 8 and is clamped at the VMA's start: 5 pages, 4 read ahead"() {
        when:
        def r = window(readahead(SwapKind.SSD), 0, 5)

        then:
        r.majorFaults() == 1
        r.readahead() == 4
        r.hits() == 4
    }

    def "swap_vma_readahead(): a window reads only the window's swap entries, never past its page table"() {
        when: 'three pages swapped: one request reads all three'
        def r = window(readahead(SwapKind.SSD), 0, 3)

        then:
        r.majorFaults() == 1
        r.readahead() == 2
    }

    def "the VMA's readahead state carries from one window to the next: a second window starts with the hits of the first"() {
        given:
        def ra = readahead(SwapKind.SSD)
        def first = window(ra)

        when:
        long next = 0x7f000L * PMD + PMD
        def second = ra.swapIn(first.raInfo(), next, PMD, next - PMD, next + 16 * PMD, next, PMD)

        then:
        first.raInfo() != 0
        second.majorFaults() <= PMD / 8 + 1
        second.hits() == PMD - second.majorFaults()
    }

    def "vm.page-cluster 0: max_pages 1, no readahead: every page is a major fault"() {
        given:
        def ra = readahead(kind)
        assert ra.setPageCluster(0)

        when:
        def r = window(ra)

        then:
        r.majorFaults() == PMD
        r.readahead() == 0
        r.hits() == 0

        where:
        kind << [SwapKind.SSD, SwapKind.HDD]
    }

    def "vm.page-cluster (proc_dointvec_minmax() with 0 and page_cluster_max): 0 to 31, 3 by default; the VMA window stops at 32 pages (SWAP_RA_ORDER_CEILING)"() {
        given:
        def ra = readahead(SwapKind.SSD)

        expect:
        ra.pageCluster() == 3
        !ra.setPageCluster(-1)
        !ra.setPageCluster(32)
        ra.pageCluster() == 3
        ra.setPageCluster(31)

        when:
        def r = window(ra)

        then: 'the window grows with the hits, 5 pages (clamped at the start), 8, 16, then 32 at most: 3 + 15 requests and one for the last 3 pages'
        r.majorFaults() == 19
        r.hits() == PMD - 19
    }

    def "swap_cluster_readahead() on a rotational disk: aligned blocks of 8 slots, so 64 requests for 512 pages in order; the hits are counted globally (swapin_readahead_hits)"() {
        when:
        def r = window(readahead(SwapKind.HDD))

        then:
        r.majorFaults() == 64
        r.readahead() == 448
        r.hits() == 448
        r.raInfo() == 0
    }

    def "do_swap_page() on zram (SWP_SYNCHRONOUS_IO, one user): past the swap cache, one page per fault, nothing read ahead"() {
        when:
        def r = window(readahead(SwapKind.ZRAM))

        then:
        r.majorFaults() == PMD
        r.readahead() == 0
        r.hits() == 0
    }
}
