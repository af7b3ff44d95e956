package hugesim.mm.reclaim

import hugesim.kernel.Kernel
import hugesim.kernel.MachineConfig
import hugesim.kernel.Task
import hugesim.mm.Fault
import hugesim.mm.Geometry
import hugesim.mm.KernelVersion
import hugesim.mm.VmStat
import hugesim.mm.swap.SwapKind
import hugesim.mm.vma.Vma
import hugesim.sim.Environment
import spock.lang.Specification

import static hugesim.uapi.Mman.*
import static hugesim.units.Size.MB

/**
 * The swap cache and the swap device kinds (docs/model.md 5.1, 5.5): mm/vmscan.c shrink_folio_list(),
 * mm/swap_state.c, mm/memory.c do_swap_page(), mm/madvise.c madvise_cold_or_pageout_pte_range(), on a
 * one-node machine of 256 MiB with 256 MiB of swap on the device each feature names.
 */
class SwapCacheSpec extends Specification {
    Kernel k
    Task t

    void boot(SwapKind kind = SwapKind.SSD, long swap = 256 * MB) {
        k = Kernel.boot(new Environment(10_000_000_000L), new MachineConfig(256 * MB, 1, swap, kind.write, kind.read, false,
                MachineConfig.DEFAULT_MIGRATE, '', Geometry.X86_64, kind, SwapKind.ZRAM_RATIO, KernelVersion.MAINLINE), [])
        t = k.newTask('p')
    }

    /** {@code n} windows of task p, faulted in as THPs (with MADV_HUGEPAGE) or as 4 KiB pages. */
    Vma map(int n, boolean thp) {
        long a = t.mmap(0, n * 2 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
        assert t.madvise(a, n * 2 * MB, thp ? MADV_HUGEPAGE : MADV_NOHUGEPAGE) == 0
        Vma v = t.mm.find(a)
        n.times { assert k.memory.fault(t.mm, v, it, true, {}, false) == Fault.DONE }
        v
    }

    long vmstat(VmStat item) { k.m.get(item) }

    long swapCachedKb() { k.views.meminfo('SwapCached') }

    long memFreeKb() { k.views.meminfo('MemFree') }

    void settle() { k.env.run(k.env.now() + 5_000_000_000L) }

    /** A fault on window {@code i} run to its end (a swap-in waits for its read). */
    int fault(Vma v, int i, boolean write) {
        int r = k.memory.fault(t.mm, v, i, write, {}, true)
        settle()
        r == Fault.WAIT ? k.memory.fault(t.mm, v, i, write, {}, true) : r
    }

    def "shrink_folio_list(): MADV_PAGEOUT unmaps at once; the written THP stays in the swap cache (SwapCached) until reclaim frees it"() {
        given:
        boot()
        Vma v = map(1, true)
        long free = memFreeKb()

        when: 'paged out'
        t.madvise(v.start, 2 * MB, MADV_PAGEOUT)

        then: 'unmapped at once: swap entries, no resident THP; the write is counted at submission'
        v.swp(0) == 512
        t.mm.thps() == 0
        vmstat(VmStat.thp_swpout) == 1
        swapCachedKb() == 2048

        when: 'the write completes on a machine with memory to spare'
        settle()

        then: 'the folio waits in the swap cache: nothing freed yet'
        swapCachedKb() == 2048
        memFreeKb() == free

        when: 'reclaim meets it at the inactive tail (folio_rotate_reclaimable())'
        k.reclaim.reclaimPages(0, 512, {})

        then: 'freed with no further write (__remove_mapping())'
        swapCachedKb() == 0
        memFreeKb() == free + 2048
        vmstat(VmStat.pswpout) == 512
        vmstat(VmStat.pgsteal_direct) == 512
    }

    def "do_swap_page(): a fault on a folio in the swap cache maps it back with no read; a read keeps its slots, a write frees them"() {
        given:
        boot()
        Vma v = map(1, false)
        t.madvise(v.start, 2 * MB, MADV_PAGEOUT)
        settle()
        long swapFree = k.views.meminfo('SwapFree')

        when: 'read back'
        fault(v, 0, false)

        then: 'a swap-cache hit: no pswpin, no major fault; the slots stay taken and the folio stays in the swap cache'
        v.pte(0) == 512 && v.swp(0) == 0
        vmstat(VmStat.pswpin) == 0
        vmstat(VmStat.pgmajfault) == 0
        k.views.meminfo('SwapFree') == swapFree
        swapCachedKb() == 2048

        when: 'reclaimed again while clean'
        k.reclaim.reclaimPages(0, 512, {})

        then: 'unmapped and freed without a write (its copy in swap is still good)'
        v.swp(0) == 512
        vmstat(VmStat.pswpout) == 512
        swapCachedKb() == 0

        when: 'read back from the device, then written'
        fault(v, 0, false)
        long readBack = vmstat(VmStat.pswpin)
        fault(v, 0, true)

        then: 'the device read kept the slots too; the write (do_wp_page()) frees them'
        readBack == 512
        swapCachedKb() == 0
        k.views.meminfo('SwapFree') == k.views.meminfo('SwapTotal')
    }

    def "vm_swap_full(): with more than half of swap in use a read fault frees the slots at once"() {
        given: '4 MiB of 6 MiB of swap in use after the page-outs'
        boot(SwapKind.SSD, 6 * MB)
        Vma v = map(2, false)
        t.madvise(v.start, 4 * MB, MADV_PAGEOUT)
        settle()

        when: 'one window read back'
        fault(v, 0, false)

        then: 'its slots are freed, not kept: 2 MiB of swap in use, its folio out of the swap cache'
        k.views.meminfo('SwapFree') == 4096
        swapCachedKb() == 2048
    }

    def "zram (SWP_SYNCHRONOUS_IO): a written folio is freed at once, its compressed copy held in RAM at the ratio; read back past the swap cache"() {
        given:
        boot(SwapKind.ZRAM)
        Vma v = map(1, true)
        long free = memFreeKb()

        when:
        t.madvise(v.start, 2 * MB, MADV_PAGEOUT)
        settle()

        then: 'whole THP out, folio freed, 171 pages of zsmalloc memory hold it (512 / 3)'
        vmstat(VmStat.thp_swpout) == 1
        swapCachedKb() == 0
        k.reclaim.zramPages() == 171
        memFreeKb() == free + 2048 - 171 * 4
        k.views.sysfs('/sys/block/zram0/mm_stat').trim().split(/\s+/)[0..2] == ['2097152', '699050', '700416']

        when: 'read back'
        fault(v, 0, false)

        then: 'read from the device, slots freed, and zram gives its memory back'
        vmstat(VmStat.pswpin) == 512
        k.views.meminfo('SwapFree') == k.views.meminfo('SwapTotal')
        k.reclaim.zramPages() == 0
    }

    def "madvise_cold_or_pageout_pte_range(): MADV_PAGEOUT of 1 MiB inside a THP splits it (thp_split_pmd, thp_split_page) and pages out only those 256 pages"() {
        given:
        boot()
        Vma v = map(1, true)

        when:
        t.madvise(v.start + MB, MB, MADV_PAGEOUT)

        then:
        vmstat(VmStat.thp_split_pmd) == 1
        vmstat(VmStat.thp_split_page) == 1
        vmstat(VmStat.thp_swpout) == 0
        vmstat(VmStat.pswpout) == 256
        v.kind(0) == Vma.PTE
        v.pte(0) == 256 && v.swp(0) == 256
        t.mm.anonPages() == 256
    }

    def "free_swap_and_cache(): unmapping a range whose folio waits in the swap cache frees it with the entries"() {
        given:
        boot()
        Vma v = map(1, false)
        long free = memFreeKb()
        t.madvise(v.start, 2 * MB, MADV_PAGEOUT)
        settle()

        when:
        t.munmap(v.start, 2 * MB)

        then:
        swapCachedKb() == 0
        memFreeKb() == free + 2048
        k.views.meminfo('SwapFree') == k.views.meminfo('SwapTotal')
    }
}
