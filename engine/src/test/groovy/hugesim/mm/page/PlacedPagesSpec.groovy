package hugesim.mm.page

import hugesim.kernel.AnonymousWrites
import hugesim.kernel.Kernel
import hugesim.kernel.MachineConfig
import hugesim.kernel.Task
import hugesim.mm.Fault
import hugesim.mm.vma.Vma
import hugesim.sim.Environment
import spock.lang.Specification

import static hugesim.uapi.Mman.*
import static hugesim.units.Size.GB
import static hugesim.units.Size.KB
import static hugesim.units.Size.MB

/**
 * 4 KiB pages have places (mm/page_alloc.c): a freed page merges only with free buddies
 * (__free_one_page()), so memory freed page by page can be plentiful and still hold no free block a
 * THP could use.
 */
class PlacedPagesSpec extends Specification implements AnonymousWrites {
    Kernel k = Kernel.boot(new Environment(10_000_000_000L), MachineConfig.of(1 * GB).withKernelReserved(0), [])
    Task t = k.newTask('p')
    Zone zone = k.m.pages.zone(0)

    /** Memory filled with 4 KiB pages to near the watermarks, then every other page freed: the kernel-check case. */
    long fragment() {
        long fill = zone.usableFree(true) * 4 * KB - 96 * MB
        long a = map(fill)
        assert t.madvise(a, fill, MADV_NOHUGEPAGE) == 0
        writeAll(a, fill)
        for (long p = a; p < a + fill; p += 8 * KB) assert t.madvise(p, 4 * KB, MADV_DONTNEED) == 0
        fill
    }

    void defrag(String mode) {
        assert k.views.sysfsWrite('kernel/mm/transparent_hugepage/enabled', 'madvise') == 0
        assert k.views.sysfsWrite('kernel/mm/transparent_hugepage/defrag', mode) == 0
    }

    long vmstat(String name) { k.views.vmstat(name) }

    def "__free_one_page(): every other 4 KiB page freed gives back half the memory and not one free block"() {
        given: '256 MiB of 4 KiB pages, written'
        long a = map(256 * MB)
        assert t.madvise(a, 256 * MB, MADV_NOHUGEPAGE) == 0
        writeAll(a, 256 * MB)
        long freeBefore = zone.freePages()
        int blocksBefore = zone.freeBlocks(MigrateType.MOVABLE)

        when: 'every other page is freed, page by page'
        for (long p = a; p < a + 256 * MB; p += 8 * KB) assert t.madvise(p, 4 * KB, MADV_DONTNEED) == 0

        then: '32,768 pages are free, each a chunk of order 0; the free blocks are those there were'
        zone.freePages() == freeBefore + 32768
        zone.nrFree(MigrateType.MOVABLE, 0) == 32768
        (1..8).every { zone.nrFree(MigrateType.MOVABLE, it) == 0 }
        zone.freeBlocks(MigrateType.MOVABLE) == blocksBefore

        when: 'the other pages go too'
        for (long p = a + 4 * KB; p < a + 256 * MB; p += 8 * KB) assert t.madvise(p, 4 * KB, MADV_DONTNEED) == 0

        then: 'each freed page merges with its buddy, up to whole free blocks'
        zone.freeBlocks(MigrateType.MOVABLE) == blocksBefore + 128
        zone.nrFree(MigrateType.MOVABLE, 0) == 0
        zone.freePages() == freeBefore + 65536
    }

    def "defrag never: a THP fault falls back when memory is free but scattered (thp_fault_fallback)"() {
        given: 'memory filled with 4 KiB pages to near the watermarks, then every other page freed'
        defrag('never')
        fragment()
        int blocks = zone.freeBlocks(MigrateType.MOVABLE)
        assert zone.freePages() * 4 * KB > 400 * MB

        when: 'a MADV_HUGEPAGE region twice the size of the free blocks is written'
        long len = 2L * blocks * 2 * MB
        long h = map(len)
        assert t.madvise(h, len, MADV_HUGEPAGE) == 0
        writeAll(h, len)

        then: 'THPs only from the free blocks there were; the rest of the faults fell back to 4 KiB pages'
        k.views.vmstat('thp_fault_fallback') > 0
        k.views.vmstat('thp_fault_alloc') <= blocks
        k.views.vmstat('thp_fault_alloc') + k.views.vmstat('thp_fault_fallback') == len / (2 * MB)
        vmstat('compact_stall') == 0
    }

    def "defrag madvise: a MADV_HUGEPAGE fault compacts directly, migrating movable pages to make a free block (compact_stall, compact_success)"() {
        given:
        defrag('madvise')
        fragment()
        int blocks = zone.freeBlocks(MigrateType.MOVABLE)

        when: 'THP faults on 64 MiB more than the free blocks hold'
        long len = blocks * 2 * MB + 64 * MB
        long h = map(len)
        assert t.madvise(h, len, MADV_HUGEPAGE) == 0
        List<Integer> results = []
        for (long a = h; a < h + len; a += 2 * MB) results << write(a)

        then: 'every fault got a THP; those beyond the free blocks waited for the migration that made theirs'
        vmstat('thp_fault_alloc') == len / (2 * MB)
        vmstat('thp_fault_fallback') == 0
        vmstat('compact_stall') == 32
        vmstat('compact_success') == 32
        vmstat('compact_fail') == 0
        results.count(Fault.WAIT) == 32
        vmstat('pgmigrate_success') == 32 * 256
        vmstat('compact_migrate_scanned') >= 32 * 512
    }

    def "vm.compact_memory: every zone compacted at once makes free blocks of scattered memory"() {
        given:
        fragment()
        int before = zone.freeBlocks(MigrateType.MOVABLE)

        when:
        int rc = k.views.sysctl('vm.compact_memory', 1)

        then: 'half-used blocks were emptied into the others, until the scanners met'
        rc == 0
        zone.freeBlocks(MigrateType.MOVABLE) > before + 100
        vmstat('pgmigrate_success') > 0
        vmstat('compact_stall') == 0

        and: 'only 1 can be written'
        k.views.sysctl('vm.compact_memory', 2) == -hugesim.uapi.Errno.EINVAL
    }

    def "compaction_suitable(): when free memory is short rather than scattered, direct compaction is skipped (fragmentation_index <= vm.extfrag_threshold)"() {
        given: 'memory filled with 4 KiB pages, no page freed: the free memory left is whole blocks below the watermark'
        defrag('always')
        long fill = zone.freePages() * 4 * KB - 8 * MB
        long a = map(fill)
        assert t.madvise(a, fill, MADV_NOHUGEPAGE) == 0
        for (long p = a; p < a + fill; p += 2 * MB) write(p)

        when:
        long h = map(2 * MB)
        write(h)

        then:
        vmstat('compact_stall') == 0
    }

    def "/proc/buddyinfo and extfrag/unusable_index read as the kernel prints them"() {
        when:
        List<String> buddy = k.views.buddyinfo()
        List<String> unusable = k.views.unusableIndex()

        then: 'a fresh machine: free memory in chunks of MAX_PAGE_ORDER (10), none of it unusable for any order'
        buddy.size() == 1
        buddy[0].startsWith('Node 0, zone   Normal')
        buddy[0].split(/\s+/).size() == 4 + 11
        (buddy[0].split(/\s+/)[4..13]).every { it == '0' || it == '1' }
        unusable[0].startsWith('Node 0, zone   Normal ' + (['0.000'] * 10).join(' '))

        when: 'every other page of 64 MiB is freed'
        long a = map(64 * MB)
        assert t.madvise(a, 64 * MB, MADV_NOHUGEPAGE) == 0
        writeAll(a, 64 * MB)
        for (long p = a; p < a + 64 * MB; p += 8 * KB) assert t.madvise(p, 4 * KB, MADV_DONTNEED) == 0

        then: 'order 0 has the 8,192 pages freed, and one more: the page tables took a batch of 63 pages out of a claimed block, leaving 449 = 256 + 128 + 64 + 1 free'
        zone.nrFree(MigrateType.UNMOVABLE, 0) == 1
        k.views.buddyinfo()[0].split(/\s+/)[4] == '8193'
        and: 'that share of free memory is unusable for order 1 and above'
        int[] idx = hugesim.kernel.Views.unusableIndex(zone)
        idx[0] == 0
        idx[1] == (int) (8193L * 1000 / zone.freePages())
    }

    def "a VMA cut inside a window keeps each page where it was: munmap frees exactly the pages of its range"() {
        given:
        long a = map(4 * MB)
        assert t.madvise(a, 4 * MB, MADV_NOHUGEPAGE) == 0
        writeAll(a, 4 * MB)
        Vma v = t.mm.find(a)
        long[] first = v.runs(0)
        long pfnAt1M = PageRuns.pfn(first, 0) + 256

        when: 'the second half of the first window and the first half of the second are unmapped'
        assert t.munmap(a + 1 * MB, 2 * MB) == 0

        then: 'the pages mapped there are free, those on either side still in use'
        !zone.pageInUse(pfnAt1M)
        zone.pageInUse(pfnAt1M - 1)
        t.mm.find(a).pte(0) == 256
        t.mm.find(a + 3 * MB).pte(0) == 256
        zone.pageInUse(PageRuns.pfn(t.mm.find(a + 3 * MB).runs(0), 0))
    }

    def "RFC patch 1/8 with compaction: MIGRATE_RESERVED_THP and CMA blocks are neither emptied nor filled by compaction"() {
        given: 'a machine with 64 reserved blocks and a 256 MiB hugetlb_cma area, its other memory scattered'
        k = Kernel.boot(new Environment(10_000_000_000L), MachineConfig.of(1 * GB).withCmdline('thp_reserved_nr=64 hugetlb_cma=256M'), [])
        t = k.newTask('p')
        zone = k.m.pages.zone(0)
        fragment()
        int reservedFree = zone.freeBlocks(MigrateType.RESERVED_THP)
        long cmaFree = zone.freePages(MigrateType.CMA), cmaUsed = zone.pagesInUse(MigrateType.CMA)
        assert reservedFree == 64

        when:
        assert k.views.sysctl('vm.compact_memory', 1) == 0

        then: 'movable blocks were emptied into movable blocks; the reserved and CMA blocks are as they were'
        vmstat('pgmigrate_success') > 0
        zone.freeBlocks(MigrateType.RESERVED_THP) == reservedFree
        zone.pagesInUse(MigrateType.RESERVED_THP) == 0
        zone.freePages(MigrateType.CMA) == cmaFree
        zone.pagesInUse(MigrateType.CMA) == cmaUsed
    }
}
