package hugesim.mm.hugetlb

import spock.lang.Specification

/**
 * The per-node HugeTLB pool (mm/hugetlb.c: nr_huge_pages_node[], free_huge_pages_node[],
 * surplus_huge_pages_node[]) on a two-node machine: the global nr_hugepages interleaves over the nodes,
 * a node's nr_hugepages (set_max_huge_pages() with a node id) grows and shrinks that node only, and
 * faults take a free page from the task's node first.
 */
class NodeHugepagesSpec extends Specification {

    /** Each node's buddy allocator as the pool sees it: {@code capacity[n]} huge pages on node n. */
    static class TwoNodeSource implements Hstate.Source {
        final long[] capacity
        final List<Set<Long>> out = [[] as Set, [] as Set]
        long next = 0
        List<String> calls = []

        TwoNodeSource(long c0, long c1) { capacity = [c0, c1] as long[] }

        long alloc(int nid, boolean thisNode) {
            calls << "${nid}${thisNode ? '!' : ''}".toString()
            for (int i = 0; i < 2; i++) {
                int node = (nid + i) % 2
                if (thisNode && node != nid) break
                if (out[node].size() >= capacity[node]) continue
                long h = ((long) node << 32) | next++
                out[node] << h
                return h
            }
            -1
        }

        void free(long h) {
            assert out[nid(h)].remove(h): "page $h freed twice or never allocated"
        }

        int nid(long h) { (int) (h >>> 32) }
    }

    TwoNodeSource buddy = new TwoNodeSource(100, 100)
    Hstate h = new Hstate(2L << 20, buddy, 2)

    /** nr_hugepages, free_hugepages, surplus_hugepages of node {@code n}'s sysfs directory. */
    List<Long> node(int n) { [h.total(n), h.free(n), h.surplus(n)] }

    def "global nr_hugepages: alloc_pool_huge_folio() interleaves over the nodes, node 0 first (next_nid_to_alloc)"() {
        when:
        h.setPersistent(5)

        then:
        node(0) == [3, 3, 0]
        node(1) == [2, 2, 0]
        buddy.calls == ['0!', '1!', '0!', '1!', '0!']

        when: 'the next write goes on from node 1'
        h.setPersistent(6)

        then:
        node(1) == [3, 3, 0]
    }

    def "global nr_hugepages: shrinking frees round-robin from next_nid_to_free (remove_pool_hugetlb_folio)"() {
        given:
        h.setPersistent(5)

        when:
        h.setPersistent(2)

        then: 'node 0, node 1, node 0'
        node(0) == [1, 1, 0]
        node(1) == [1, 1, 0]
        buddy.out*.size() == [1, 1]
    }

    def "global nr_hugepages: a node that runs out is skipped, the next allowed node gives the page"() {
        given:
        def small = new TwoNodeSource(1, 100)
        def hs = new Hstate(2L << 20, small, 2)

        when:
        hs.setPersistent(4)

        then:
        [hs.total(0), hs.total(1)] == [1, 3]
        hs.total() == 4
    }

    def "node nr_hugepages: writing 4 to node 1 allocates 4 pages on node 1 only (__GFP_THISNODE)"() {
        when:
        h.setPersistent(1, 4)

        then:
        node(1) == [4, 4, 0]
        node(0) == [0, 0, 0]
        h.total() == 4
        buddy.calls == ['1!'] * 4
    }

    def "node nr_hugepages: the count is the node's; the other nodes' persistent pages are kept"() {
        given:
        h.setPersistent(4)

        when:
        h.setPersistent(1, 5)

        then:
        node(0) == [2, 2, 0]
        node(1) == [5, 5, 0]
        h.persistent() == 7

        when: 'shrinking node 1 frees node 1 pages only'
        h.setPersistent(1, 0)

        then:
        node(0) == [2, 2, 0]
        node(1) == [0, 0, 0]
        buddy.out*.size() == [2, 0]
    }

    def "node nr_hugepages: growth falls short silently when the node runs out; other nodes are not used"() {
        given:
        def small = new TwoNodeSource(100, 3)
        def hs = new Hstate(2L << 20, small, 2)

        when:
        hs.setPersistent(1, 5)

        then:
        [hs.total(0), hs.total(1)] == [0, 3]
    }

    def "node nr_hugepages: shrinking a node with pages in use frees its free pages and makes the rest surplus on that node"() {
        given:
        h.setPersistent(0, 2)
        h.setPersistent(1, 4)
        def pages = (1..3).collect { h.allocForFault(false, 1) }

        expect: 'the task on node 1 took node 1 pages'
        node(1) == [4, 1, 0]

        when:
        h.setPersistent(1, 0)

        then:
        node(1) == [3, 0, 3]
        node(0) == [2, 2, 0]
        h.persistent() == 2

        when: 'free_huge_folio(): node 1 has surplus, so its pages leave the pool'
        pages.each { h.freePage(it) }

        then:
        node(1) == [0, 0, 0]
        buddy.out*.size() == [2, 0]
    }

    def "node nr_hugepages: surplus is converted on the written node only (adjust_pool_surplus with the node's mask)"() {
        given: 'a task on node 0 reserves 2 surplus pages'
        h.setOvercommit(2)
        h.reserve(2, 0)

        expect:
        node(0) == [2, 2, 2]

        when:
        h.setPersistent(1, 1)

        then: 'node 1 gets a fresh page; node 0 keeps its surplus (count = 1 + persistent − node 1 persistent)'
        node(1) == [1, 1, 0]
        node(0) == [2, 2, 2]
        h.persistent() == 1

        when: 'writing node 0 converts its surplus to persistent without allocating'
        int calls = buddy.calls.size()
        h.setPersistent(0, 2)

        then:
        node(0) == [2, 2, 0]
        buddy.calls.size() == calls
    }

    def "faults dequeue from the task's node first, then the next node of its zonelist"() {
        given:
        h.setPersistent(0, 2)
        h.setPersistent(1, 2)

        when:
        def first = (1..2).collect { h.allocForFault(false, 1) }

        then:
        first.every { buddy.nid(it) == 1 }
        node(1) == [2, 0, 0]
        node(0) == [2, 2, 0]

        when:
        long third = h.allocForFault(false, 1)

        then:
        buddy.nid(third) == 0
        node(0) == [2, 1, 0]
    }

    def "a surplus page for a fault or a reservation comes from the task's node; freed, it leaves its node"() {
        given:
        h.setOvercommit(4)

        when:
        long p = h.allocForFault(false, 1)
        h.reserve(1, 1)

        then:
        buddy.nid(p) == 1
        node(1) == [2, 1, 2]
        node(0) == [0, 0, 0]

        when:
        h.freePage(p)
        h.unreserve(1)

        then:
        node(1) == [0, 0, 0]
        buddy.out*.size() == [0, 0]
    }

    def "return_unused_surplus_pages(): an unreserve frees at most as many surplus pages as reservations returned"() {
        given: 'node 0 has 2 free surplus pages backing 2 reservations, node 1 3 persistent free pages'
        h.setPersistent(1, 3)
        h.setOvercommit(2)
        h.reserve(5, 0)

        expect:
        node(0) == [2, 2, 2]
        h.resv() == 5

        when:
        h.unreserve(1)

        then:
        node(0) == [1, 1, 1]
        node(1) == [3, 3, 0]
        h.resv() == 4
    }
}
