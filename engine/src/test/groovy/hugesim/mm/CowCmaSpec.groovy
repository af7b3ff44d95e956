package hugesim.mm

import hugesim.kernel.AnonymousWrites
import hugesim.kernel.Kernel
import hugesim.kernel.MachineConfig
import hugesim.kernel.Task
import hugesim.mm.page.AllocRequest
import hugesim.mm.page.Gfp
import hugesim.mm.page.MigrateType
import hugesim.mm.vma.Vma
import hugesim.sim.Environment
import hugesim.mm.page.PageRuns
import spock.lang.Specification

import static hugesim.uapi.Mman.*
import static hugesim.units.Size.GB
import static hugesim.units.Size.KB
import static hugesim.units.Size.MB

/**
 * Copy-on-write of a window shared after fork, on a machine with a hugetlb_cma area lent to movable
 * allocations: the 4 KiB pages a process holds in CMA blocks are the pages its own allocations took
 * from CMA, whatever other allocations did before.
 */
class CowCmaSpec extends Specification implements AnonymousWrites {
    Kernel k = Kernel.boot(new Environment(10_000_000_000L), MachineConfig.of(4 * GB).withCmdline('hugetlb_cma=2G').withKernelReserved(0), [])
    Task t = k.newTask('p')

    long cmaInUse() { k.m.pages.zone(0).pagesInUse(MigrateType.CMA) }

    /** CMA pages the process's windows map (a page shared after fork counted once). */
    long cmaMapped() {
        Set<Long> seen = [] as Set
        for (Vma v : t.mm.vmas()) for (int i = 0; i < v.slots(); i++) {
            long[] r = v.runs(i)
            for (int j = 0; j < PageRuns.runs(r); j++) for (long p = PageRuns.pfn(r, j); p < PageRuns.pfn(r, j) + PageRuns.len(r, j); p++) {
                if (k.m.pages.typeOfPage(PageRuns.node(r, j), p) == MigrateType.CMA) seen << p
            }
        }
        seen.size()
    }

    def "writing to a shared window emptied before fork adds no CMA pages of an earlier allocation"() {
        given: 'kernel memory in use outside CMA, so that free CMA is more than half of free memory and is taken first'
        long[] other = k.m.alloc.allocPages(AllocRequest.pages(512, 0, Gfp.KERNEL)).runs()
        and: 'a window whose PTEs are all zapped, the page table staying'
        long a = map(2 * MB)
        assert write(a) == Fault.DONE
        assert t.madvise(a, 1 * MB, MADV_DONTNEED) == 0
        assert t.madvise(a + 1 * MB, 1 * MB, MADV_DONTNEED) == 0
        assert t.mm.find(a).kind(0) == Vma.PTE && t.mm.find(a).pte(0) == 0
        and: 'a child sharing it, and 16 pages of another range taken from CMA'
        t.fork('c', null)
        long small = map(64 * KB)
        assert write(small) == Fault.DONE
        long before = cmaInUse()

        when: 'the parent writes to the empty window'
        assert write(a) == Fault.DONE

        then: 'it counts as CMA pages only those its new pages took'
        cmaInUse() == before + 512
        cmaMapped() == cmaInUse()

        when: 'it unmaps the window, then everything'
        int r1 = t.munmap(a, 2 * MB)
        int r2 = t.munmap(small, 64 * KB)
        int r3 = 0
        k.m.pages.freeKernelRuns(other)

        then: 'every page freed was in use'
        r1 == 0 && r2 == 0 && r3 == 0
        cmaMapped() == 0
        cmaInUse() == 0
    }
}
