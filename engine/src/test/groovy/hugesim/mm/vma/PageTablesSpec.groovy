package hugesim.mm.vma

import hugesim.kernel.AnonymousWrites
import hugesim.kernel.Kernel
import hugesim.kernel.MachineConfig
import hugesim.kernel.Task
import hugesim.mm.Fault
import hugesim.mm.KernelVersion
import hugesim.sim.Environment
import spock.lang.Specification

import static hugesim.uapi.Mman.*
import static hugesim.units.Size.GB
import static hugesim.units.Size.KB
import static hugesim.units.Size.MB

/**
 * Page tables as 6.1 keeps them on x86_64 (docs/model.md 4.7): a PTE table per PMD range used, one deposited
 * with each PMD-mapped THP, a PMD table per GiB, all taken from the per-CPU lists (4.6).
 */
class PageTablesSpec extends Specification implements AnonymousWrites {
    Kernel k
    Task t

    void boot(MachineConfig cfg = MachineConfig.of(4 * GB).withKernelReserved(0)) {
        k = Kernel.boot(new Environment(10_000_000_000L), cfg, [])
        t = k.newTask('p')
    }

    def setup() { boot() }

    long pageTables() { k.views.meminfo('PageTables').intdiv(4) }

    long perCpu() { k.m.pages.pcpCount(0) }

    long memFree() { k.views.meminfo('MemFree').intdiv(4) }

    def "__pte_alloc(): 4 KiB faults take a PTE table per PMD range and a PMD table per GiB, from a per-CPU batch of 63 (rmqueue_bulk())"() {
        given:
        long free = memFree()
        long a = map(8 * MB)
        assert t.madvise(a, 8 * MB, MADV_NOHUGEPAGE) == 0

        when:
        writeAll(a, 8 * MB)

        then: 'four PTE tables and one PMD table'
        pageTables() == 4 + 1
        t.mm.tables.pages() == 5
        and: 'MemFree fell by the pages mapped and one batch; the list keeps what the tables did not take'
        k.m.pages.pcpBatch(0) == 63
        memFree() == free - 4 * 512 - 63
        perCpu() == 63 - 5
    }

    def "pgtable_trans_huge_deposit(): each PMD-mapped THP holds a table; MADV_DONTNEED of the THP frees it with the PMD (zap_deposited_table())"() {
        given:
        long a = map(8 * MB)
        assert t.madvise(a, 8 * MB, MADV_HUGEPAGE) == 0

        when:
        writeAll(a, 8 * MB)

        then:
        t.mm.thps() == 4
        pageTables() == 4 + 1

        when:
        assert t.madvise(a, 2 * MB, MADV_DONTNEED) == 0

        then: 'the THP and its table went; the PMD table stays for the other three'
        t.mm.thps() == 3
        pageTables() == 3 + 1
        perCpu() == 63 - 4
    }

    def "free_pgtables(): munmap frees the range's tables; a PMD range two VMAs share keeps its table until neither maps into it"() {
        given: 'two 1 MiB mappings in one PMD range, both written'
        long a = t.mmap(0x7e0000000000L, 1 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)
        long b = t.mmap(0x7e0000100000L, 1 * MB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED)
        assert a == 0x7e0000000000L && b == 0x7e0000100000L
        assert write(a) == Fault.DONE
        assert write(b) == Fault.DONE
        assert t.mm.mapCount() == 2

        expect: 'one PTE table for both, one PMD table'
        pageTables() == 2

        when:
        assert t.munmap(a, 1 * MB) == 0

        then: 'the other VMA still maps into the range'
        pageTables() == 2

        when:
        assert t.munmap(b, 1 * MB) == 0

        then: 'nothing is mapped in the GiB: both tables went back to the list'
        pageTables() == 0
        perCpu() == 63
    }

    def "__split_vma() and vma_merge() move no table: mprotect over part of a mapping and back leaves PageTables, the list and MemFree as they were"() {
        given:
        long a = map(64 * MB)
        assert t.madvise(a, 64 * MB, MADV_NOHUGEPAGE) == 0
        writeAll(a, 64 * MB)
        long tables = pageTables(), free = memFree(), pcp = perCpu()

        when:
        assert t.mprotect(a + 3 * MB, 8 * MB, PROT_READ) == 0
        assert t.mprotect(a + 3 * MB, 8 * MB, PROT_READ | PROT_WRITE) == 0

        then:
        pageTables() == tables
        memFree() == free
        perCpu() == pcp
    }

    def "copy_page_range(): a fork child holds tables of its own for what it shares; exit_mmap() frees them all"() {
        given:
        long a = map(16 * MB)
        writeAll(a, 16 * MB)
        long parent = t.mm.tables.pages()

        when:
        long pid = t.fork('c', null)
        Task c = k.tasks().find { it.pid() == pid }

        then:
        c.mm.tables.pages() == parent
        pageTables() == 2 * parent

        when:
        k.mmap.teardown(c.mm)

        then:
        c.mm.tables.pages() == 0
        pageTables() == parent
    }

    def "free_unref_page_commit(): freed tables stay on the list below high; at high the batch's oldest go back to the buddy lists (free_pcppages_bulk())"() {
        given: "a machine whose low watermark is small: high is the zone's low watermark (zone_highsize() for one CPU), here 294 pages"
        boot(MachineConfig.of(1 * GB).withKernelReserved(0))
        assert k.views.sysctl('vm.min_free_kbytes', 128) == 0
        long high = k.m.pages.pcpHigh(0)
        assert high == k.views.zoneinfo()[0].low && high == 294

        when: 'the tables of 512 MiB of 4 KiB pages (256 PTE tables and a PMD table) are freed'
        long a = map(512 * MB)
        assert t.madvise(a, 512 * MB, MADV_NOHUGEPAGE) == 0
        writeAll(a, 512 * MB)
        long tables = pageTables()
        assert t.munmap(a, 512 * MB) == 0

        then: 'the list never holds high pages'
        tables == 256 + 1
        pageTables() == 0
        perCpu() < high
        perCpu() >= high - 63
    }

    MachineConfig on61(MachineConfig c) {
        new MachineConfig(c.memory(), c.nodes(), c.swap(), c.swapWrite(), c.swapRead(), c.swapFile(), c.migrate(), c.cmdline(),
                c.geometry(), c.kernelReserved(), c.swapKind(), c.zramRatio(), KernelVersion.V6_1, c.disk())
    }

    def "zap_pte_range(): on 6.1 MADV_DONTNEED leaves the emptied PTE table, so the range's next fault maps 4 KiB pages, not a THP"() {
        given:
        boot(on61(MachineConfig.of(4 * GB).withKernelReserved(0)))
        assert k.views.sysfsWrite('kernel/mm/transparent_hugepage/enabled', 'never') == 0
        long a = map(2 * MB)
        assert write(a) == Fault.DONE
        assert k.views.sysfsWrite('kernel/mm/transparent_hugepage/enabled', 'always') == 0

        when:
        assert t.madvise(a, 2 * MB, MADV_DONTNEED) == 0

        then: 'the table stays, empty'
        t.mm.find(a).pte(0) == 0
        pageTables() == 2

        when:
        assert write(a) == Fault.DONE

        then: 'the PMD is not none: do_anonymous_page(), 4 KiB pages'
        t.mm.thps() == 0
        t.mm.anonPages() == 512
        pageTables() == 2
    }

    def "zap_page_range_single_batched() with reclaim_pt: on mainline (CONFIG_PT_RECLAIM, x86_64 since 6.14) MADV_DONTNEED frees an emptied PTE table, so a THP may come back; MADV_FREE keeps it"() {
        given:
        assert k.views.sysfsWrite('kernel/mm/transparent_hugepage/enabled', 'never') == 0
        long a = map(4 * MB)
        writeAll(a, 4 * MB)
        assert k.views.sysfsWrite('kernel/mm/transparent_hugepage/enabled', 'always') == 0

        when:
        assert t.madvise(a, 2 * MB, MADV_DONTNEED) == 0
        assert t.madvise(a + 2 * MB, 2 * MB, MADV_FREE) == 0

        then: "the first range's table went; the second's stays (lazily freed pages keep their PTEs)"
        pageTables() == 1 + 1

        when:
        writeAll(a, 4 * MB)

        then: 'a THP in the first range, 4 KiB pages in the second'
        t.mm.thps() == 1
        t.mm.anonPages() == 512
    }

    def "__alloc_pages_direct_reclaim(): when reclaim can free nothing, drain_all_pages() gives the per-CPU lists' pages back and the allocation is tried once more, before the OOM killer"() {
        given: 'freed page tables on the list, nothing reclaimable (no swap, no page cache)'
        boot(MachineConfig.of(1 * GB).withKernelReserved(0))
        long a = map(512 * MB)
        assert t.madvise(a, 512 * MB, MADV_NOHUGEPAGE) == 0
        writeAll(a, 512 * MB)
        assert t.munmap(a, 512 * MB) == 0
        long onList = perCpu()
        assert onList > 256
        def z = k.m.pages.zone(0)

        when: 'order-0 pages beyond what the min watermark allows, by less than the list holds'
        long n = z.usableFree(true) - z.min() + 16
        def r = k.m.alloc.allocPages(hugesim.mm.page.AllocRequest.pages(n, 0, hugesim.mm.page.Gfp.WMARK_MIN).reclaiming(1, {}))

        then: 'the drained list made up the difference: no OOM kill'
        r.ok()
        r.pages() == n
        perCpu() == 0
        k.views.vmstat('oom_kill') == 0
    }
}

