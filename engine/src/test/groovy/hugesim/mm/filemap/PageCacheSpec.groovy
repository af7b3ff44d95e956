package hugesim.mm.filemap

import hugesim.kernel.Kernel
import hugesim.kernel.MachineConfig
import hugesim.kernel.Task
import hugesim.mm.Fault
import hugesim.mm.Geometry
import hugesim.mm.VmStat
import hugesim.mm.page.AllocRequest
import hugesim.mm.page.Gfp
import hugesim.mm.page.MigrateType
import hugesim.mm.page.PageRuns
import hugesim.mm.page.Zone
import hugesim.mm.vma.LruFolio
import hugesim.mm.vma.Vma
import hugesim.sim.Environment
import spock.lang.Specification

import static hugesim.uapi.Mman.*
import static hugesim.units.Size.MB

/**
 * The page cache (mm/filemap.c), its LRU lists and their balance against anonymous memory (mm/vmscan.c
 * get_scan_count(), mm/workingset.c), writeback (mm/page-writeback.c) and the migration of its pages, on a
 * one-node machine of 256 MiB with no kernel memory kept at boot. Stretches are cached here as the file
 * read and write paths cache them: allocated through the entry point, added, put on the LRU, marked accessed.
 */
class PageCacheSpec extends Specification {
    Kernel k
    Task t
    Zone zone

    def setup() { boot(256 * MB) }

    void boot(long swap) {
        def c = new MachineConfig(256 * MB, 1, swap, MachineConfig.DEFAULT_SWAP_BANDWIDTH, MachineConfig.DEFAULT_SWAP_BANDWIDTH,
                false, MachineConfig.DEFAULT_MIGRATE, '', Geometry.X86_64, 0)
        k = Kernel.boot(new Environment(100_000_000_000L), c, [])
        t = k.newTask('p')
        zone = k.m.pages.zone(0)
    }

    PageCache cache() { k.m.pageCache }

    long vmstat(VmStat item) { k.m.get(item) }

    /** Stretches [from, from + n) of file {@code name}, each 512 pages, cached as a read caches them. */
    List<FileFolio> cached(String name, int from, int n, boolean dirty = false) {
        AddressSpace f = cache().file(name)
        cache().grow(f, (from + n) * 2 * MB)
        (from..<from + n).collect { int i ->
            def a = k.m.alloc.allocPages(AllocRequest.pages(512, 0, Gfp.WMARK_MIN))
            assert a.ok()
            long shadow = cache().shadow(f, i)
            FileFolio folio = cache().add(f, i, a.runs(), dirty, k.env.now())
            k.reclaim.lru.fileAdded(folio, shadow)
            k.reclaim.lru.fileAccessed(folio)
            folio
        }
    }

    /** {@code n} MADV_HUGEPAGE windows of task p, each faulted in as a THP, then idle. */
    Vma idleThps(int n) {
        long a = t.mmap(0, n * 2 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
        assert t.madvise(a, n * 2 * MB, MADV_HUGEPAGE) == 0
        Vma v = t.mm.find(a)
        n.times { assert k.memory.fault(t.mm, v, it, true, {}, false) == Fault.DONE }
        v
    }

    long filePages(byte list) { k.reclaim.lru.filePages(0, list) }

    long reclaim(long pages) {
        long got = 0
        k.reclaim.reclaimPages(0, pages, {})
        k.env.run(k.env.now() + 1_000_000_000L)
        got
    }

    def "filemap_add_folio(): a stretch read once is cached on the inactive file list, marked referenced; read again it is activated (folio_mark_accessed(), pgactivate)"() {
        when:
        def (FileFolio f) = cached('data', 0, 1)

        then:
        cache().cachedPages() == 512
        filePages(LruFolio.INACTIVE_FILE) == 512
        f.referenced

        when:
        k.reclaim.lru.fileAccessed(f)

        then:
        filePages(LruFolio.ACTIVE_FILE) == 512
        filePages(LruFolio.INACTIVE_FILE) == 0
        vmstat(VmStat.pgactivate) == 512
        k.views.meminfo('Cached') == 2048
        k.views.meminfo('Active(file)') == 2048
    }

    def "get_scan_count() cache_trim_mode: with a large inactive file list reclaim frees clean page cache and swaps nothing (pgsteal_file)"() {
        given: 'idle THPs and as much clean page cache'
        idleThps(16)
        cached('data', 0, 16)

        when:
        k.reclaim.reclaimPages(0, 1024, {})
        k.env.run(k.env.now() + 1_000_000_000L)

        then:
        vmstat(VmStat.pgsteal_file) >= 1024
        vmstat(VmStat.pgsteal_direct) == vmstat(VmStat.pgsteal_file)
        vmstat(VmStat.pswpout) == 0
        cache().cachedPages() == 16 * 512 - vmstat(VmStat.pgsteal_file)
    }

    def "get_scan_count(): without swap (can_reclaim_anon_pages() false) only the file lists are scanned, active ones deactivated (pgdeactivate)"() {
        given:
        boot(0)
        idleThps(8)
        def folios = cached('data', 0, 4)
        folios.each { k.reclaim.lru.fileAccessed(it) }   // all active: not cache_trim_mode
        assert filePages(LruFolio.ACTIVE_FILE) == 4 * 512

        when:
        k.reclaim.reclaimPages(0, 512, {})

        then:
        vmstat(VmStat.pgdeactivate) >= 512
        vmstat(VmStat.pgsteal_file) >= 512
        vmstat(VmStat.pgscan_direct) == vmstat(VmStat.pgscan_file)   // no anonymous folio looked at
    }

    def "get_scan_count() SCAN_FRACT: with the inactive file list low, swappiness #swappiness splits the scan (#what)"() {
        given: 'idle 4 KiB memory and an active page cache of the same size'
        boot(256 * MB)
        assert k.views.sysctl('vm.swappiness', swappiness) == 0
        long a = t.mmap(0, 64 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
        assert t.madvise(a, 64 * MB, MADV_NOHUGEPAGE) == 0
        Vma v = t.mm.find(a)
        32.times { assert k.memory.fault(t.mm, v, it, true, {}, false) == Fault.DONE }
        cached('data', 0, 32).each { k.reclaim.lru.fileAccessed(it) }
        32.times { k.reclaim.lru.accessed(t.mm, v, it, false) }

        when: 'reclaim asks for three quarters of the page cache, a round at a time'
        3.times {
            k.reclaim.reclaimPages(0, 4096, {})
            k.env.run(k.env.now() + 1_000_000_000L)
        }

        then: 'which lists were looked at (an anonymous folio young at its first look is kept once, a clean file one goes)'
        (vmstat(VmStat.pgscan_direct) > vmstat(VmStat.pgscan_file)) == anon
        (vmstat(VmStat.pgscan_file) > 0) == file
        (vmstat(VmStat.pgsteal_file) == 3 * 4096) == file
        (vmstat(VmStat.pswpout) > 0) == !file

        where:
        swappiness || anon  | file  | what
        0          || false | true  | 'the page cache only'
        60         || true  | true  | 'both'
        200        || true  | false | 'anonymous memory only'
    }

    def "shrink_folio_list(): a dirty stretch is not written by reclaim but activated, and the flusher woken (wakeup_flusher_threads())"() {
        given:
        boot(0)
        assert k.views.sysctl('vm.dirty_background_ratio', 100) == 0   // no background writeback of its own
        assert k.views.sysctl('vm.dirty_ratio', 100) == 0
        def (FileFolio f) = cached('log', 0, 1, true)
        k.m.flusher.dirtied()
        assert cache().dirtyPages() == 512 && cache().writebackPages() == 0

        when:
        k.reclaim.reclaimPages(0, 256, {})

        then: 'activated once, and now being written back'
        vmstat(VmStat.pgactivate) == 512
        cache().writebackPages() == 512
        cache().dirtyPages() == 0
        vmstat(VmStat.pgsteal_file) == 0

        when: 'the write completes at the disk rate (1 GiB/s: 2 ms)'
        k.env.run(k.env.now() + 10_000_000L)

        then:
        cache().writebackPages() == 0
        !f.dirty()
        k.views.meminfo('Dirty') == 0
    }

    def "balance_dirty_pages() thresholds: background writeback starts past vm.dirty_background_ratio and writes the oldest stretch first"() {
        given:
        def folios = cached('log', 0, 12, true)
        long[] th = k.m.flusher.thresholds()

        expect: 'the thresholds are 10 % and 20 % of free memory above the reserves plus the page cache'
        th[0] * 2 == th[1] || th[0] * 2 + 1 == th[1]
        cache().dirtyPages() > th[0]

        when:
        k.m.flusher.dirtied()

        then:
        folios[0].writeback()
        !folios[1].writeback()
        k.views.meminfo('Writeback') == 2048

        when: 'the flusher goes on until dirty memory is at the background threshold'
        k.env.run(k.env.now() + 1_000_000_000L)

        then:
        cache().dirtyPages() <= th[0]
        cache().dirtyPages() > th[0] - 512
        cache().writebackPages() == 0
    }

    def "wb_check_old_data_flush(): a dirty stretch under the background threshold is written back once older than dirty_expire_centisecs, and never with dirty_writeback_centisecs #interval"() {
        given:
        assert k.views.sysctl('vm.dirty_writeback_centisecs', interval) == 0
        def (FileFolio f) = cached('log', 0, 1, true)
        k.m.flusher.dirtied()
        assert cache().dirtyPages() == 512   // far under the background threshold

        when:
        k.env.run(k.env.now() + 25_000_000_000L)

        then: 'not 30 s old yet'
        f.dirty()

        when:
        k.env.run(k.env.now() + 15_000_000_000L)

        then:
        f.dirty() == stillDirty
        cache().dirtyPages() == (stillDirty ? 512 : 0)

        where:
        interval || stillDirty
        500      || false
        0        || true
    }

    def "workingset_refault(): an evicted stretch read again is a refault (workingset_refault_file); it goes onto the active list only when its refault distance is within the active file pages (workingset_activate_file)"() {
        given: 'two stretches evicted, and #hot stretches of another file active'
        boot(0)
        cached('data', 0, 2)
        cached('hot', 0, hot).each { k.reclaim.lru.fileAccessed(it) }
        k.reclaim.reclaimPages(0, 1024, {})
        assert cache().lookup('data').folio(0) == null
        assert cache().shadow(cache().lookup('data'), 0) >= 0

        when:
        def (FileFolio again) = cached('data', 0, 1)

        then: 'its distance is the 1024 pages evicted since'
        vmstat(VmStat.workingset_refault_file) == 512
        vmstat(VmStat.workingset_activate_file) == (active ? 512 : 0)
        again.list == (active ? LruFolio.ACTIVE_FILE : LruFolio.INACTIVE_FILE)

        where:
        hot || active
        0   || false
        8   || true
    }

    def "vm.drop_caches: 1 drops the clean page cache and leaves dirty pages and no shadow entry (invalidate_mapping_pages()); 2 drops reclaimable slab"() {
        given:
        cached('data', 0, 2)
        cached('log', 0, 1, true)
        def slab = k.m.alloc.allocPages(AllocRequest.pages(100, 0, Gfp.KERNEL | Gfp.RECLAIMABLE))
        k.m.slab.add(1, true, slab.runs())

        when:
        k.views.sysctl('vm.drop_caches', 1)

        then:
        cache().cachedPages() == 512
        cache().dirtyPages() == 512
        cache().shadow(cache().lookup('data'), 0) == -1
        vmstat(VmStat.drop_pagecache) == 1
        k.m.slab.reclaimablePages() == 100

        when:
        k.views.sysctl('vm.drop_caches', 2)

        then:
        k.m.slab.reclaimablePages() == 0
        vmstat(VmStat.drop_slab) == 1
        k.views.sysctl('vm.drop_caches', 5) < 0
    }

    def "unlink() (truncate_inode_pages_final()): a deleted file's stretches go, dirty ones unwritten, off the LRU"() {
        given:
        cached('log', 0, 3, true)
        long free = zone.freePages()

        when:
        k.reclaim.truncate(cache().lookup('log'))

        then:
        cache().cachedPages() == 0
        cache().dirtyPages() == 0
        cache().lookup('log') == null
        filePages(LruFolio.INACTIVE_FILE) == 0
        zone.freePages() == free + 3 * 512
    }

    def "compaction migrates page-cache pages (filemap_migrate_folio()): a block holding only page cache is emptied, the stretch keeps its data elsewhere"() {
        given: 'a stretch whose pages are spread over two blocks after half of another file is deleted'
        cached('a', 0, 1)
        def (FileFolio f) = cached('b', 0, 1)
        long[] before = f.runs()
        int block = (int) (PageRuns.pfn(before, 0) / zone.blockPages)

        when:
        long moved = k.migrate.migrateBlock(0, block, k.migrate.allocated(0, Gfp.THISNODE | Gfp.BULK | Gfp.WMARK_MIN))

        then:
        moved == 512
        f.pages() == 512
        PageRuns.pages(f.runs()) == 512
        (0..<PageRuns.runs(f.runs())).every { (int) (PageRuns.pfn(f.runs(), it) / zone.blockPages) != block }
        zone.pagesInUse(block) == 0
        filePages(LruFolio.INACTIVE_FILE) == 1024
    }
}
