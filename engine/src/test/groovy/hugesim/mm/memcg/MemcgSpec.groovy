package hugesim.mm.memcg

import hugesim.kernel.Kernel
import hugesim.kernel.MachineConfig
import hugesim.kernel.Task
import hugesim.mm.Fault
import hugesim.mm.Geometry
import hugesim.mm.VmStat
import hugesim.mm.vma.Vma
import hugesim.sim.Environment
import spock.lang.Specification

import static hugesim.uapi.Mman.*
import static hugesim.units.Size.MB

/**
 * The cgroup v2 memory controller (mm/memcontrol.c) and reclaim within a cgroup (mm/vmscan.c), on a
 * one-node machine of 256 MiB with 256 MiB of swap (or none). Limits are in pages of 4 KiB.
 */
class MemcgSpec extends Specification {
    static final long PMD = 512

    Kernel k = boot(256 * MB)
    Task a = task('a', 'A')
    Task b = task('b', 'B')

    static Kernel boot(long swap) {
        Kernel.boot(new Environment(10_000_000_000L), new MachineConfig(256 * MB, 1, swap, MachineConfig.DEFAULT_SWAP_BANDWIDTH,
                MachineConfig.DEFAULT_SWAP_BANDWIDTH, false, MachineConfig.DEFAULT_MIGRATE, '', Geometry.X86_64), [])
    }

    Task task(String name, String cgroup) {
        Task t = k.newTask(name)
        t.mm.memcg = k.memcg(cgroup)
        t
    }

    MemCgroup cg(Task t) { t.mm.memcg }

    /** {@code n} windows of {@code t}, MADV_HUGEPAGE unless {@code huge} is false. */
    Vma map(Task t, int n, boolean huge = true) {
        long addr = t.mmap(0, n * 2 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
        if (huge) assert t.madvise(addr, n * 2 * MB, MADV_HUGEPAGE) == 0
        t.mm.find(addr)
    }

    int fault(Task t, Vma v, int i) { k.memory.fault(t.mm, v, i, true, {}, false) }

    /** The windows fault in, then are made cold (MADV_COLD), so that reclaim takes them at its first look. */
    Vma coldThps(Task t, int n) {
        Vma v = map(t, n)
        n.times { assert fault(t, v, it) == Fault.DONE }
        n.times { k.reclaim.lru.cold(t.mm, v, it) }
        v
    }

    long vmstat(VmStat item) { k.m.get(item) }

    void settle() { k.env.run(k.env.now() + 5_000_000_000L) }

    def "mem_cgroup_charge(): faults charge memory.current (memory.stat anon, anon_thp), freeing uncharges"() {
        when:
        Vma thp = map(a, 1)
        Vma small = map(a, 1, false)
        fault(a, thp, 0)
        fault(a, small, 0)

        then:
        cg(a).current() == 2 * PMD
        cg(a).stat(4096).anon == 2 * 2 * MB
        cg(a).stat(4096).anon_thp == 2 * MB
        cg(a).stat(4096).thp_fault_alloc == 1
        cg(b).current() == 0

        when:
        a.munmap(thp.start, 2 * MB)
        a.munmap(small.start, 2 * MB)

        then:
        cg(a).current() == 0
    }

    def "vma_alloc_anon_folio_pmd(): a THP whose charge fails falls back to 4 KiB pages (thp_fault_fallback, thp_fault_fallback_charge)"() {
        given: 'THP always, so that the charge of a VMA without MADV_HUGEPAGE may not reclaim (defrag=madvise)'
        k.m.thp.enabled = 'always'
        cg(a).max = PMD + PMD / 2
        Vma v = map(a, 2, false)

        when:
        int first = fault(a, v, 0)

        then:
        first == Fault.DONE
        v.kind(0) == Vma.PMD_THP

        when: 'the second THP does not fit; its 4 KiB fallback may reclaim the first'
        fault(a, v, 1)

        then:
        v.kind(1) != Vma.PMD_THP
        vmstat(VmStat.thp_fault_fallback) == 1
        vmstat(VmStat.thp_fault_fallback_charge) == 1
        vmstat(VmStat.thp_fault_alloc) == 1
    }

    def "try_charge_memcg(): over memory.max the charge reclaims the cgroup's own folios (try_to_free_mem_cgroup_pages()), not another cgroup's"() {
        given:
        Vma other = coldThps(b, 2)
        cg(a).max = 2 * PMD
        long start = coldThps(a, 2).start
        Vma more = map(a, 1)   // below the first: the two VMAs merge

        when: 'a third window is over memory.max: memory.events max, and a THP of the cgroup goes to swap'
        int r = fault(a, more, 0)
        Vma v = a.mm.find(start)
        int first = v.slotOf(start)

        then:
        r == Fault.WAIT
        cg(a).events().max == 1
        vmstat(VmStat.pswpout) > 0
        v.swp(first) + v.swp(first + 1) >= PMD
        other.swp(0) + other.swp(1) == 0

        when: 'the write done, the retried fault is charged'
        settle()
        int again = fault(a, more, 0)

        then:
        again == Fault.DONE
        cg(a).current() <= cg(a).max
        cg(a).swapCurrent() > 0
    }

    def "shrink_inactive_list(): reclaim for a cgroup's own limit counts pgscan and pgsteal in its memory.stat, not pgscan_direct or pgsteal_direct in /proc/vmstat (cgroup_reclaim(); a 6.1 guest agreed, memcg-max)"() {
        given:
        cg(a).max = 2 * PMD
        coldThps(a, 2)
        Vma more = map(a, 1)

        when: 'a third window over memory.max reclaims a THP of the cgroup; its write completes'
        fault(a, more, 0)
        settle()

        then:
        vmstat(VmStat.pswpout) == PMD
        vmstat(VmStat.pgscan_direct) == 0
        vmstat(VmStat.pgsteal_direct) == 0
        cg(a).stat(4096).pgscan >= PMD
        cg(a).stat(4096).pgsteal == PMD
    }

    def "mem_cgroup_out_of_memory(): with nothing to reclaim the cgroup's OOM killer kills within the cgroup (memory.events oom, oom_kill)"() {
        given: 'no swap'
        k = boot(0)
        a = task('a', 'A')
        Task a2 = task('a2', 'A')
        b = task('b', 'B')
        // the OOM killer chooses among processes that have started
        [a, a2, b].each { Task t -> t.bind(k.env.process(t.name(), 1_000_000_000_000L, { }), null) }
        coldThps(b, 3)
        cg(a).max = 2 * PMD
        coldThps(a2, 2)
        Vma v = map(a, 1, false)

        when:
        int r = fault(a, v, 0)

        then: 'a2 holds the most, so it goes; b, in another cgroup, holds more but is not a candidate'
        r == Fault.DONE
        a2.mm.exited
        !b.mm.exited
        cg(a).events().oom == 1
        cg(a).events().oom_kill == 1
        vmstat(VmStat.oom_kill) == 1
        cg(a).current() == PMD
    }

    def "__mem_cgroup_try_charge_swap(): under memory.swap.max a THP is split (thp_swpout_fallback) and swapped page by page up to the limit (S19)"() {
        given:
        cg(a).swapMax = 256
        Vma v = map(a, 1)
        fault(a, v, 0)

        when:
        a.madvise(v.start, 2 * MB, MADV_PAGEOUT)
        settle()

        then: 'the 512-slot charge fails, then 256 pages fit and 256 do not: 257 max and fail events'
        vmstat(VmStat.thp_swpout) == 0
        vmstat(VmStat.thp_swpout_fallback) == 1
        vmstat(VmStat.thp_split_page) == 1
        vmstat(VmStat.pswpout) == 256
        cg(a).swapCurrent() == 256
        cg(a).swapEvents().max == 257
        cg(a).swapEvents().fail == 257
        cg(a).stat(4096).thp_swpout_fallback == 1
        v.pte(0) == 256
    }

    def "__mem_cgroup_try_charge_swap(): with room for the whole THP it goes out whole (thp_swpout), charged to memory.swap.current"() {
        given:
        cg(a).swapMax = PMD
        Vma v = map(a, 1)
        fault(a, v, 0)

        when:
        a.madvise(v.start, 2 * MB, MADV_PAGEOUT)
        settle()

        then:
        vmstat(VmStat.thp_swpout) == 1
        cg(a).swapCurrent() == PMD
        cg(a).stat(4096).thp_swpout == 1
        cg(a).swapEvents().max == 0
    }

    def "shrink_node_memcgs(): global reclaim passes over a cgroup within memory.low, and takes it (memory.events low) only when nothing else is left"() {
        given:
        cg(a).low = 2 * PMD
        Vma protectedThps = coldThps(a, 2)
        Vma other = coldThps(b, 1)

        when:
        long first = k.reclaim.tryToFreePages(0, PMD, {}) ? 1 : 0
        settle()

        then: 'b went, a stayed'
        first == 1
        other.swp(0) == PMD
        protectedThps.swp(0) + protectedThps.swp(1) == 0
        cg(a).events().low == 0

        when: 'only the protected cgroup has memory left (once the swap cache of b is freed): memcg_low_reclaim'
        3.times {
            k.reclaim.tryToFreePages(0, PMD, {})
            settle()
        }

        then:
        protectedThps.swp(0) + protectedThps.swp(1) >= PMD
        cg(a).events().low >= 1
    }

    def "mem_cgroup_handle_over_high(): a charge over memory.high reclaims (memory.events high) and the task sleeps calculate_high_delay()"() {
        given:
        cg(a).high = PMD
        coldThps(a, 1)
        Vma more = map(a, 1)

        when:
        int r = fault(a, more, 0)

        then: 'charged, mapped, then throttled on the way back'
        r == Fault.WAIT
        more.kind(0) == Vma.PMD_THP
        cg(a).events().high == 1
        cg(a).events().max == 0
    }

    def "mem_cgroup_handle_over_high(): 4 KiB pages are charged MEMCG_CHARGE_BATCH (64) at a time, one return to user space per batch over high; with nothing to reclaim each tries MAX_RECLAIM_RETRIES more rounds (an event each) and sleeps its penalty"() {
        given: 'no swap: nothing the cgroup holds can be reclaimed'
        k = boot(0)
        a = task('a', 'A')
        cg(a).high = PMD
        Vma first = map(a, 1, false)
        assert fault(a, first, 0) == Fault.DONE   // 512 pages: at memory.high, not over it
        Vma more = map(a, 1, false)

        when: 'a second window of 4 KiB pages: each of its 8 batches ends over memory.high'
        long t0 = k.env.now()
        long resumed = -1
        int r = k.memory.fault(a.mm, more, 0, true, { resumed = k.env.now() }, false)
        k.env.run(k.env.now() + 60_000_000_000L)

        then: 'each return reclaims 17 times in vain (memory.events high) and sleeps its penalty'
        r == Fault.WAIT
        cg(a).events().high == 8 * 17
        cg(a).events().max == 0
        cg(a).current() == 2 * PMD
        and: 'batch j, 64 j pages over, owes calculate_high_delay() for its 64 pages, clamped to 2 s (500 jiffies of 4 ms): 1 s, then 2 s each'
        (1..8).collect { j -> Math.min(MemcgCharge.highDelay(PMD + 64 * j, PMD, 64), 500) } == [250L] + [500L] * 7
        resumed - t0 == (250 + 7 * 500) * 4_000_000L
    }

    def "rules 46, 47 (RFC patch 7/8): a reserved THP is charged as any THP; a failed charge counts thp_fault_fallback_charge and the fault is VM_FAULT_OOM, the block back in the reserve"() {
        given:
        k = Kernel.boot(new Environment(10_000_000_000L), new MachineConfig(256 * MB, 1, 0, MachineConfig.DEFAULT_SWAP_BANDWIDTH,
                MachineConfig.DEFAULT_SWAP_BANDWIDTH, false, MachineConfig.DEFAULT_MIGRATE, 'thp_reserved_nr=2', Geometry.X86_64), [])
        a = task('a', 'A')
        long addr = a.mmap(0, 4 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
        assert a.madvise(addr, 4 * MB, MADV_RESERVED_THP) == 0
        Vma v = a.mm.find(addr)
        cg(a).max = PMD + PMD / 2
        long freeReserved = k.m.pages.freePages(hugesim.mm.page.MigrateType.RESERVED_THP)

        when:
        int first = fault(a, v, 0)

        then:
        first == Fault.DONE
        cg(a).stat(4096).anon_thp == 2 * MB
        k.m.pages.freePages(hugesim.mm.page.MigrateType.RESERVED_THP) == freeReserved - PMD

        when:
        int second = fault(a, v, 1)

        then:
        second == Fault.OOM
        vmstat(VmStat.thp_fault_fallback) == 1
        vmstat(VmStat.thp_fault_fallback_charge) == 1
        cg(a).current() == PMD
        k.m.pages.freePages(hugesim.mm.page.MigrateType.RESERVED_THP) == freeReserved - PMD
    }

    def "calculate_high_delay(): the penalty grows with the square of the overage and the pages charged"() {
        expect:
        MemcgCharge.highDelay(1000, 1000, 64) == 0
        MemcgCharge.highDelay(1100, 1000, 64) == 159
        MemcgCharge.highDelay(1100, 1000, 512) == 1272
    }

    def "no limit set: charges never fail and nothing is counted"() {
        when:
        Vma v = map(a, 4)
        4.times { assert fault(a, v, it) == Fault.DONE }

        then:
        cg(a).current() == 4 * PMD
        cg(a).events().values().every { it == 0 }
        cg(a).swapEvents().values().every { it == 0 }
    }
}
