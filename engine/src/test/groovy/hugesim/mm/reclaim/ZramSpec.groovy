package hugesim.mm.reclaim

import hugesim.kernel.AnonymousWrites
import hugesim.kernel.Kernel
import hugesim.kernel.MachineConfig
import hugesim.kernel.Task
import hugesim.mm.Geometry
import hugesim.mm.KernelVersion
import hugesim.mm.page.AllocRequest
import hugesim.mm.page.Gfp
import hugesim.mm.swap.SwapKind
import hugesim.sim.Environment
import hugesim.units.Bandwidth
import spock.lang.Specification

import static hugesim.uapi.Mman.*
import static hugesim.units.Size.GB
import static hugesim.units.Size.MB

/**
 * zram's memory (drivers/block/zram/zram_drv.c zram_write_page(), mm/zsmalloc.c zs_malloc()): the compressed
 * copy needs RAM before the page can go; when zs_malloc() finds none, zram_write_page() fails with -ENOMEM and
 * shrink_folio_list() keeps the folio, mapped and unchanged (docs/model.md 5.1).
 */
class ZramSpec extends Specification implements AnonymousWrites {
    Environment env = new Environment(10_000_000_000L)
    Kernel k = Kernel.boot(env, new MachineConfig(1 * GB, 1, 256 * MB, new Bandwidth(GB), new Bandwidth(GB), false,
            MachineConfig.DEFAULT_MIGRATE, '', Geometry.X86_64, SwapKind.ZRAM, SwapKind.ZRAM_RATIO, KernelVersion.MAINLINE), [])
    Task t = k.newTask('p')

    long vmstat(String name) { k.views.vmstat(name) }

    /** 16 MiB of 4 KiB pages written by {@code t}. */
    long written() {
        long a = map(16 * MB)
        assert t.madvise(a, 16 * MB, MADV_NOHUGEPAGE) == 0
        writeAll(a, 16 * MB)
        a
    }

    def "MADV_PAGEOUT to zram with RAM for the copies: the pages go, and zram holds them compressed"() {
        given:
        long a = written()

        when:
        assert t.madvise(a, 16 * MB, MADV_PAGEOUT) == 0
        env.run(1_000_000_000L)

        then:
        vmstat('pswpout') == 4096
        k.views.smaps(t, a).Rss == 0
        k.reclaim.zramPages() > 0
    }

    def "zram_write_page() -ENOMEM: with free memory at min, zs_malloc() finds no page and the folio stays mapped, no slot taken"() {
        given:
        long a = written()
        long swapFree = k.views.meminfo('SwapFree')
        def zone = k.m.pages.zone(0)
        long take = zone.usableFree(false) - zone.min()
        assert k.m.alloc.allocPages(AllocRequest.pages(take, 0, Gfp.KERNEL)).ok()   // unmovable, held: nothing to reclaim
        assert zone.usableFree(false) == zone.min()

        when:
        assert t.madvise(a, 16 * MB, MADV_PAGEOUT) == 0
        env.run(1_000_000_000L)

        then:
        vmstat('pswpout') == 0
        k.views.smaps(t, a).Rss == 16 * 1024
        k.views.smaps(t, a).Swap == 0
        k.views.meminfo('SwapFree') == swapFree
        k.reclaim.zramPages() == 0
    }
}
