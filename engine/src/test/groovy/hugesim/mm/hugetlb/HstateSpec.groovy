package hugesim.mm.hugetlb

import hugesim.uapi.Errno
import spock.lang.Specification

/**
 * One HugeTLB pool's counters (docs/model.md 2.1-2.2) replayed through scenarios S13 (private
 * reservation) and S15 (surplus), with a buddy allocator stand-in that holds a fixed number of pages.
 */
class HstateSpec extends Specification {

    /** The buddy allocator as the pool sees it: {@code capacity} huge pages, handed out and taken back. */
    static class CountingSource implements Hstate.Source {
        final long capacity
        final Set<Long> out = [] as Set
        long next = 0
        int allocs, frees

        CountingSource(long capacity) { this.capacity = capacity }

        long alloc(int nid, boolean thisNode) {
            if (out.size() >= capacity) return -1
            long h = next++
            out << h
            allocs++
            h
        }

        void free(long h) {
            assert out.remove(h): "page $h freed to the buddy allocator twice or never allocated"
            frees++
        }

        int nid(long h) { 0 }
    }

    CountingSource buddy = new CountingSource(100)
    Hstate h = new Hstate(2L << 20, buddy)

    /** HugePages_Total, Free, Rsvd, Surp as /proc/meminfo prints them. */
    List<Long> counters() { [h.total(), h.free(), h.resv(), h.surplus()] }

    // ---- S13: private reservation ---------------------------------------------------------------

    def "2.2 nr_hugepages: writing 10 allocates 10 persistent pages from the buddy allocator"() {
        when:
        h.setPersistent(10)

        then:
        counters() == [10, 10, 0, 0]
        h.persistent() == 10
        buddy.out.size() == 10
    }

    def "2.2 nr_hugepages: growth may fall short silently when the buddy allocator runs out"() {
        given:
        def small = new CountingSource(6)
        def hs = new Hstate(2L << 20, small)

        when:
        hs.setPersistent(10)

        then:
        hs.total() == 6
        hs.free() == 6
        hs.surplus() == 0
    }

    def "S13 hugetlb_acct_memory: mmap private 5 H reserves 5: Total 10, Free 10, Rsvd 5"() {
        given:
        h.setPersistent(10)

        expect:
        h.reserve(5) == 0
        counters() == [10, 10, 5, 0]
    }

    def "S13 first fault on a reserved page: Free -1, Rsvd -1; 3 writes give Free 7, Rsvd 2"() {
        given:
        h.setPersistent(10)
        h.reserve(5)

        when:
        def pages = (1..3).collect { h.allocForFault(true) }

        then:
        pages.every { it >= 0 }
        pages.toSet().size() == 3
        counters() == [10, 7, 2, 0]
    }

    def "S13 munmap of a private mapping: faulted pages freed and outstanding reservations returned: Free 10, Rsvd 0"() {
        given:
        h.setPersistent(10)
        h.reserve(5)
        def pages = (1..3).collect { h.allocForFault(true) }

        when: 'hugetlb_vm_op_close returns the 2 unconsumed reservations, then the 3 pages are freed'
        h.unreserve(2)
        pages.each { h.freePage(it) }

        then:
        counters() == [10, 10, 0, 0]
        buddy.out.size() == 10
    }

    def "S13 hugetlb_acct_memory: mmap private 11 H on a pool of 10 fails with -ENOMEM and changes nothing"() {
        given:
        h.setPersistent(10)

        when:
        int r = h.reserve(11)

        then:
        r == -Errno.ENOMEM
        counters() == [10, 10, 0, 0]
        buddy.out.size() == 10
    }

    def "2.1 a new reservation needs free - resv: with 5 reserved only 5 more can be reserved"() {
        given:
        h.setPersistent(10)
        h.reserve(5)

        expect:
        h.reserve(6) == -Errno.ENOMEM
        h.resv() == 5
        h.reserve(5) == 0
        counters() == [10, 10, 10, 0]
    }

    def "S13 MAP_NORESERVE: unreserved faults take free - resv pages; the 11th write on a pool of 10 gets SIGBUS"() {
        given:
        h.setPersistent(10)

        when:
        def pages = (1..10).collect { h.allocForFault(false) }

        then:
        pages.every { it >= 0 }
        counters() == [10, 0, 0, 0]

        expect: 'no page, no overcommit: SIGBUS'
        h.allocForFault(false) == -1
        counters() == [10, 0, 0, 0]
    }

    def "2.2 fault without reservation: free pages held by others' reservations are not available to it"() {
        given:
        h.setPersistent(10)
        h.reserve(5)

        when:
        def pages = (1..5).collect { h.allocForFault(false) }

        then:
        pages.every { it >= 0 }
        counters() == [10, 5, 5, 0]
        h.allocForFault(false) == -1

        and: 'the reservations themselves can still be consumed'
        (1..5).every { h.allocForFault(true) >= 0 }
        counters() == [10, 0, 0, 0]
    }

    def "2.2 fault without reservation: when free - resv is 0 a surplus page comes from the buddy allocator within overcommit"() {
        given:
        h.setPersistent(2)
        h.setOvercommit(1)
        2.times { h.allocForFault(false) }

        when:
        long p = h.allocForFault(false)

        then:
        p >= 0
        counters() == [3, 0, 0, 1]
        buddy.out.size() == 3

        expect: 'the overcommit limit is reached: SIGBUS'
        h.allocForFault(false) == -1
        counters() == [3, 0, 0, 1]
    }

    def "2.2 fault without reservation: a surplus page is not available when the buddy allocator is empty"() {
        given:
        def tiny = new CountingSource(2)
        def hs = new Hstate(2L << 20, tiny)
        hs.setPersistent(2)
        hs.setOvercommit(4)
        2.times { hs.allocForFault(false) }

        expect:
        hs.allocForFault(false) == -1
        hs.total() == 2
        hs.surplus() == 0
    }

    // ---- S15: surplus ---------------------------------------------------------------------------

    def "S15 surplus: nr_hugepages=0, overcommit=4: reserving 4 gathers 4 surplus pages: Total 4, Free 4, Rsvd 4, Surp 4"() {
        given:
        h.setOvercommit(4)

        expect:
        h.reserve(4) == 0
        counters() == [4, 4, 4, 4]
        h.persistent() == 0
        buddy.out.size() == 4
    }

    def "S15 surplus: writing all 4 gives Free 0, Rsvd 0; freeing them returns every page: Total 0, Surp 0"() {
        given:
        h.setOvercommit(4)
        h.reserve(4)

        when:
        def pages = (1..4).collect { h.allocForFault(true) }

        then:
        counters() == [4, 0, 0, 4]

        when: 'munmap: free_huge_folio hands surplus pages back to the buddy allocator'
        pages.each { h.freePage(it) }

        then:
        counters() == [0, 0, 0, 0]
        buddy.out.isEmpty()
        buddy.frees == 4
    }

    def "S15 surplus: reserving 5 with overcommit 4 fails with -ENOMEM and takes nothing from the buddy allocator"() {
        given:
        h.setOvercommit(4)

        when:
        int r = h.reserve(5)

        then:
        r == -Errno.ENOMEM
        counters() == [0, 0, 0, 0]
        buddy.out.isEmpty()
    }

    def "2.2 surplus: a reservation needing more surplus than the buddy allocator has fails and returns what it took"() {
        given:
        def small = new CountingSource(3)
        def hs = new Hstate(2L << 20, small)
        hs.setOvercommit(4)

        when:
        int r = hs.reserve(4)

        then:
        r == -Errno.ENOMEM
        [hs.total(), hs.free(), hs.resv(), hs.surplus()] == [0, 0, 0, 0]
        small.out.isEmpty()
    }

    def "2.2 surplus: releasing a reservation returns the unused surplus pages to the buddy allocator"() {
        given:
        h.setOvercommit(4)
        h.reserve(4)
        long p = h.allocForFault(true)

        when: 'munmap returns the 3 unconsumed reservations'
        h.unreserve(3)

        then:
        counters() == [1, 0, 0, 1]
        buddy.out.size() == 1

        when:
        h.freePage(p)

        then:
        counters() == [0, 0, 0, 0]
        buddy.out.isEmpty()
    }

    def "2.2 surplus: existing persistent free pages are used before surplus is gathered"() {
        given:
        h.setPersistent(2)
        h.setOvercommit(4)

        expect:
        h.reserve(5) == 0
        counters() == [5, 5, 5, 3]
        h.persistent() == 2
    }

    // ---- nr_hugepages writes with pages in use --------------------------------------------------

    def "2.2 nr_hugepages: shrinking below in-use frees only free pages and turns the in-use excess into surplus"() {
        given:
        h.setPersistent(10)
        def pages = (1..6).collect { h.allocForFault(false) }

        when:
        h.setPersistent(2)

        then:
        counters() == [6, 0, 0, 4]
        h.persistent() == 2
        buddy.out.size() == 6

        when: 'the 6 pages are freed: 4 surplus pages leave the pool, 2 stay as persistent free pages'
        pages.each { h.freePage(it) }

        then:
        counters() == [2, 2, 0, 0]
        buddy.out.size() == 2
    }

    def "2.2 nr_hugepages: shrinking keeps reserved pages in the pool (as surplus)"() {
        given:
        h.setPersistent(10)
        h.reserve(5)

        when:
        h.setPersistent(0)

        then:
        counters() == [5, 5, 5, 5]
        buddy.out.size() == 5

        and: 'the reservations can still be faulted in'
        (1..5).every { h.allocForFault(true) >= 0 }
        counters() == [5, 0, 0, 5]
    }

    def "2.2 nr_hugepages: growing converts existing surplus to persistent first"() {
        given:
        h.setOvercommit(4)
        h.reserve(4)
        int allocsBefore = buddy.allocs

        when:
        h.setPersistent(3)

        then:
        counters() == [4, 4, 4, 1]
        h.persistent() == 3
        buddy.allocs == allocsBefore

        when:
        h.setPersistent(6)

        then:
        counters() == [6, 6, 4, 0]
        buddy.allocs == allocsBefore + 2
    }

    // ---- docs/model.md 7.2: the shared pool ------------------------------------------------------

    def "rule 60: a reserved THP borrows a free page HugeTLB did not reserve; it is in use, not a reservation, and returns to the free list"() {
        given:
        h.setPersistent(4)
        h.reserve(3)

        when:
        long page = h.lendThp(0)

        then:
        page >= 0
        h.isLent(page)
        counters() == [4, 3, 3, 0]
        h.lent() == 1
        and: 'the last free page is HugeTLB\'s reservation'
        h.lendThp(0) == -1

        when:
        boolean back = h.returnLent(page)

        then:
        back
        !h.isLent(page)
        counters() == [4, 4, 3, 0]
        and: 'a page never lent is not taken back, and none went to the buddy allocator'
        !h.returnLent(page)
        buddy.frees == 0
    }

    def "rule 59: charges not faulted count in HugePages_Rsvd and hugetlb_acct_memory() sees them; clamped to Free (rule 63)"() {
        given:
        long charged = 0
        h.setPersistent(8)
        h.shareReservations { charged - h.lent() }

        when: 'six hpages charged, two of them faulted'
        charged = 6
        h.lendThp(0)
        h.lendThp(0)

        then:
        counters() == [8, 6, 4, 0]
        h.hugetlbResv() == 0
        and: 'HugeTLB may reserve only free − resv'
        h.reserve(3) == -Errno.ENOMEM
        h.reserve(2) == 0
        counters() == [8, 6, 6, 0]

        when: 'overcommitted: more charged than the pool holds'
        charged = 20

        then: 'Rsvd never passes Free'
        counters() == [8, 6, 6, 0]
        h.resv() - h.hugetlbResv() == 4
    }

    def "a freed page, a returned reservation and a resize wake the shared pool's waiters"() {
        given:
        int woken = 0
        h.onAvailable { woken++ }
        h.setPersistent(2)
        long page = h.lendThp(0)
        h.reserve(1)
        int before = woken

        when:
        h.returnLent(page)
        h.unreserve(1)

        then:
        woken == before + 2
    }
}
