package hugesim.mm.migrate

import hugesim.kernel.Kernel
import hugesim.kernel.MachineConfig
import hugesim.kernel.Task
import hugesim.mm.Fault
import hugesim.mm.Geometry
import hugesim.mm.VmStat
import hugesim.mm.page.MigrateType
import hugesim.mm.page.Zone
import hugesim.mm.vma.Vma
import hugesim.sim.Environment
import hugesim.uapi.Errno
import hugesim.mm.page.PageRuns
import spock.lang.Specification

import static hugesim.uapi.Mman.*
import static hugesim.units.Size.MB

/**
 * migrate_pages(2) of THPs (mm/mempolicy.c do_migrate_pages(), migrate_to_node(); mm/migrate.c
 * migrate_pages(), migrate_pages_batch(), alloc_migration_target()) on a two-node machine whose two
 * reserved blocks are on node 0.
 */
class MigrateSpec extends Specification {
    Kernel k = Kernel.boot(new Environment(10_000_000_000L), new MachineConfig(256 * MB, 2, 0, MachineConfig.DEFAULT_SWAP_BANDWIDTH,
            MachineConfig.DEFAULT_SWAP_BANDWIDTH, false, MachineConfig.DEFAULT_MIGRATE, 'thp_reserved_nr=2', Geometry.X86_64), [])
    Task t = k.newTask('p')
    Zone node0 = k.m.pages.zone(0), node1 = k.m.pages.zone(1)

    /** A 2 MiB reserved VMA of task p with its reserved THP faulted in on node 0. */
    Vma reservedThp() {
        long a = t.mmap(0, 2 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
        assert t.madvise(a, 2 * MB, MADV_RESERVED_THP) == 0
        Vma v = t.mm.find(a)
        assert k.memory.fault(t.mm, v, 0, true, {}, false) == Fault.DONE
        assert v.is(0, Vma.RESERVED_BLOCK)
        v
    }

    long vmstat(VmStat item) { k.m.get(item) }

    /** Ordinary pages of node 1 taken so that {@code left} more order-0 pages pass its min watermark. */
    void fillNode1(long left) {
        assert node1.allocPages(MigrateType.MOVABLE, node1.usableFree(true) - node1.min() - left, { long p, int n -> } as Zone.Runs)
    }

    def "the THP moves into a movable block of node 1; its reserved block is free on node 0 again"() {
        given:
        Vma v = reservedThp()

        when:
        long r = k.mempolicy.kernelMigratePages(t.mm, [0], [1])

        then:
        r == 0
        v.kind(0) == Vma.PMD_THP
        !v.is(0, Vma.RESERVED_BLOCK)
        node1.typeOf((int) v.page(0)) == MigrateType.MOVABLE
        (v.page(0) >>> 32) == 1
        node0.freeBlocks(MigrateType.RESERVED_THP) == 2
        t.mm.thps() == 1
        k.m.rthp.used() == 1
        vmstat(VmStat.pgmigrate_success) == 512
        vmstat(VmStat.thp_migration_success) == 1
        vmstat(VmStat.thp_migration_fail) == 0
        vmstat(VmStat.thp_migration_split) == 0
        k.migrate.takeBytesCopied() == 2 * MB
    }

    def "no order-9 folio on node 1: the THP is split, its pages follow until node 1 reaches min, one folio is not migrated"() {
        given:
        Vma v = reservedThp()
        fillNode1(100)

        when:
        long r = k.mempolicy.kernelMigratePages(t.mm, [0], [1])

        then: 'migrate_pages() counts the split THP as one failure; the page whose allocation failed is pgmigrate_fail'
        r == 1
        vmstat(VmStat.thp_migration_fail) == 1
        vmstat(VmStat.thp_migration_split) == 1
        vmstat(VmStat.thp_migration_success) == 0
        vmstat(VmStat.pgmigrate_success) == 100
        vmstat(VmStat.pgmigrate_fail) == 1
        vmstat(VmStat.thp_split_page) == 1
        vmstat(VmStat.thp_split_pmd) == 1
        and: 'the window is PTE-mapped: 100 pages on node 1, 412 still in the reserved block, which stays in use'
        v.kind(0) == Vma.PTE
        v.pte(0) == 512
        t.mm.thps() == 0
        t.mm.anonPages() == 512
        (0..<PageRuns.runs(v.runs(0))).sum { int j -> k.m.pages.typeOfPage(PageRuns.node(v.runs(0), j), PageRuns.pfn(v.runs(0), j)) == MigrateType.RESERVED_THP ? PageRuns.len(v.runs(0), j) : 0 } == 412
        node0.pagesInUse(MigrateType.RESERVED_THP) == 412
        node0.freeBlocks(MigrateType.RESERVED_THP) == 1
        node1.usableFree(true) == node1.min()
        k.migrate.takeBytesCopied() == 100 * 4096
    }

    def "nothing free on node 1: the THP is still split, and stays whole in its reserved block as 4 KiB pages"() {
        given:
        Vma v = reservedThp()
        fillNode1(0)

        when:
        long r = k.mempolicy.kernelMigratePages(t.mm, [0], [1])

        then:
        r == 1
        vmstat(VmStat.thp_migration_split) == 1
        vmstat(VmStat.pgmigrate_success) == 0
        vmstat(VmStat.pgmigrate_fail) == 1
        v.kind(0) == Vma.PTE_THP               // the split folio's pages, mapped by PTEs where they were
        k.m.deferredSplit.isSplit(v.page(0))
        node0.pagesInUse(MigrateType.RESERVED_THP) == 512
    }

    def "a THP shared with a fork child stays: MPOL_MF_MOVE skips a folio mapped more than once, uncounted"() {
        given:
        Vma v = reservedThp()
        t.fork('child', null)

        when:
        long r = k.mempolicy.kernelMigratePages(t.mm, [0], [1])

        then:
        r == 0
        v.is(0, Vma.RESERVED_BLOCK)
        vmstat(VmStat.thp_migration_success) == 0
        vmstat(VmStat.thp_migration_fail) == 0
    }

    def "migrated cold THPs go back onto the LRU as its youngest, in the order they moved: reclaim takes the other first"() {
        given: 'swap, a cold reserved THP and, colder by one step less, an ordinary THP at a lower address'
        k = Kernel.boot(new Environment(10_000_000_000L), new MachineConfig(256 * MB, 2, 64 * MB, MachineConfig.DEFAULT_SWAP_BANDWIDTH,
                MachineConfig.DEFAULT_SWAP_BANDWIDTH, false, MachineConfig.DEFAULT_MIGRATE, 'thp_reserved_nr=2', Geometry.X86_64), [])
        t = k.newTask('p')
        Vma reserved = reservedThp()
        long b = t.mmap(0, 2 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
        t.madvise(b, 2 * MB, MADV_HUGEPAGE)
        Vma ordinary = t.mm.find(b)
        k.memory.fault(t.mm, ordinary, 0, true, {}, false)
        t.idle(reserved.start, 2 * MB)
        t.idle(b, 2 * MB)

        when: 'both move, the ordinary THP first (queue_pages_range() walks up from the lowest address)'
        long r = k.mempolicy.kernelMigratePages(t.mm, [0], [1])
        k.reclaim.reclaimPages(0, 1, {})

        then: 'the reserved THP went cold first, but is now the youngest cold folio'
        r == 0
        ordinary.is(0, Vma.WRITEBACK)
        !reserved.is(0, Vma.WRITEBACK)
    }

    def "kernel_migrate_pages(): #why gives #errno"() {
        expect:
        t.migrate_pages(pid, from, to) == -errno

        where:
        why                                  | pid | from | to  || errno
        'no such process'                    | 99  | [0]  | [1] || Errno.ESRCH
        'a node the task may not use'        | 0   | [0]  | [2] || Errno.EPERM
        'no target node'                     | 0   | [0]  | []  || Errno.EINVAL
    }

    def "node_remap(): the n-th source node goes to the n-th target node, wrapping"() {
        expect:
        Mempolicy.nodeRemap(s, from as TreeSet, to as TreeSet) == d

        where:
        s | from      | to        || d
        0 | [0]       | [1]       || 1
        1 | [0, 1]    | [2, 3]    || 3
        2 | [0, 1, 2] | [4, 5]    || 4
    }
}
