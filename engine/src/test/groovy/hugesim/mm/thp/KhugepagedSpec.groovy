package hugesim.mm.thp

import hugesim.kernel.Kernel
import hugesim.kernel.MachineConfig
import hugesim.kernel.Task
import hugesim.mm.Fault
import hugesim.mm.VmStat
import hugesim.mm.vma.Vma
import hugesim.sim.Environment
import hugesim.sim.Process
import hugesim.uapi.Errno
import spock.lang.Specification

import static hugesim.uapi.Mman.*
import static hugesim.units.Size.GB
import static hugesim.units.Size.KB
import static hugesim.units.Size.MB

/**
 * khugepaged's scan (mm/khugepaged.c): how far each wake goes, in which order the mms are scanned, how a
 * failed allocation paces it, and the sysfs files under transparent_hugepage/khugepaged.
 */
class KhugepagedSpec extends Specification {
    static final String KH = 'kernel/mm/transparent_hugepage/khugepaged/'
    static final long SECOND = 1_000_000_000L

    Environment env = new Environment(10 * SECOND)
    Kernel k = Kernel.boot(env, MachineConfig.of(1 * GB), [])

    /** A process with {@code len} of 4 KiB pages (faulted before any advice), then MADV_HUGEPAGE on it. */
    long fourKiB(Task t, long len) {
        long a = t.mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
        Vma v = t.mm.find(a)
        for (int i = v.slotOf(a); i <= v.slotOf(a + len - 1); i++) assert k.memory.fault(t.mm, v, i, true, {}, false) == Fault.DONE
        a
    }

    long thps(Task t) { t.mm.thps() }

    void runUntil(double seconds) { env.run((long) (seconds * SECOND)) }

    def "khugepaged_init(): pages_to_scan 8 PMDs, max_ptes_none 511, max_ptes_swap 64, max_ptes_shared 256, 10 s scans, 60 s after a failed allocation, defrag on"() {
        expect:
        ['pages_to_scan': '4096', 'max_ptes_none': '511', 'max_ptes_swap': '64', 'max_ptes_shared': '256',
         'scan_sleep_millisecs': '10000', 'alloc_sleep_millisecs': '60000', 'defrag': '1', 'pages_collapsed': '0',
         'full_scans': '0'].every { f, v -> k.views.sysfs(KH + f) == v }
    }

    def "the store functions: kstrtoul()/kstrtouint() in base 10, max_ptes_* at most HPAGE_PMD_NR - 1, pages_to_scan not 0, defrag 0 or 1, the counters read-only"() {
        expect:
        k.views.sysfsWrite(KH + file, value) == errno
        errno != 0 || k.views.sysfs(KH + file) == shown

        where:
        file                    | value   | errno          | shown
        'max_ptes_none'         | '0'     | 0              | '0'
        'max_ptes_none'         | '511'   | 0              | '511'
        'max_ptes_none'         | '512'   | -Errno.EINVAL  | null
        'max_ptes_swap'         | '+8'    | 0              | '8'
        'max_ptes_shared'       | '-1'    | -Errno.EINVAL  | null
        'pages_to_scan'         | '0'     | -Errno.EINVAL  | null
        'pages_to_scan'         | '512'   | 0              | '512'
        'scan_sleep_millisecs'  | '100'   | 0              | '100'
        'scan_sleep_millisecs'  | '1e3'   | -Errno.EINVAL  | null
        'alloc_sleep_millisecs' | '4294967296' | -Errno.EINVAL | null
        'defrag'                | '0'     | 0              | '0'
        'defrag'                | '2'     | -Errno.EINVAL  | null
        'pages_collapsed'       | '1'     | -Errno.EACCES  | null
        'full_scans'            | '1'     | -Errno.EACCES  | null
    }

    def "khugepaged_do_scan(): pages_to_scan 1024 is two ranges a wake (1 per mm visit, 512 per range); mms in the order they registered; full_scans counts the passes over the list's end"() {
        given:
        assert k.views.sysfsWrite(KH + 'pages_to_scan', '1024') == 0
        Task p = k.newTask('p'), q = k.newTask('q')
        long a = fourKiB(p, 8 * MB), b = fourKiB(q, 8 * MB)

        when: "p's MADV_HUGEPAGE registers it and wakes the thread, which scans at once"
        assert p.madvise(a, 8 * MB, MADV_HUGEPAGE) == 0
        assert q.madvise(b, 8 * MB, MADV_HUGEPAGE) == 0

        then: 'two ranges of p; q is behind it on the list'
        thps(p) == 2 && thps(q) == 0
        k.khugepaged.mmSlots()*.name == ['p', 'q']

        when:
        runUntil(10.5)

        then: "10 s later the next two of p's ranges"
        thps(p) == 4 && thps(q) == 0
        k.vmstat(VmStat.thp_collapse_alloc) == 4

        when:
        runUntil(30.5)

        then: "q's in its turn; p's slot was left when the cursor passed its end"
        thps(p) == 4 && thps(q) == 4
        k.views.sysfs(KH + 'pages_collapsed') == '8'
        k.views.sysfs(KH + 'full_scans') == '0'

        when: 'a wake finds nothing left: it walks to the end of the list'
        runUntil(40.5)

        then:
        k.views.sysfs(KH + 'full_scans') == '1'
    }

    def "khugepaged_fork() registers the child of a registered mm; __khugepaged_exit() drops a slot the scan is not on"() {
        given:
        Task p = k.newTask('p')
        long a = fourKiB(p, 2 * MB)
        assert p.madvise(a, 2 * MB, MADV_HUGEPAGE) == 0

        when:
        p.fork('c', null)

        then:
        k.khugepaged.mmSlots()*.name == ['p', 'c']

        when:
        try { p.exit() } catch (Process.Unwind ignored) { }

        then:
        k.khugepaged.mmSlots()*.name == ['c']
    }

    def "khugepaged_do_scan(): a failed allocation sleeps alloc_sleep_millisecs and the scan goes on; failing again cancels the scan until the next wake"() {
        given: 'three ranges to collapse, and no pageblock khugepaged could get: a HugeTLB pool took them'
        Task p = k.newTask('p')
        long a = fourKiB(p, 6 * MB)
        assert k.views.sysctl('vm.nr_hugepages', 1000) == 0

        when:
        assert p.madvise(a, 6 * MB, MADV_HUGEPAGE) == 0
        Map<Double, Long> failed = [:]
        for (double t : [59.5, 60.5, 69.5, 70.5, 129.5, 130.5, 139.5, 140.5]) {
            runUntil(t)
            failed[t] = k.vmstat(VmStat.thp_collapse_alloc_failed)
        }

        then: 'at 0 s the first range fails; at 60 s the second fails and the scan ends; 10 s later the third; at 130 s the list wraps to the first'
        failed == [59.5d: 1L, 60.5d: 2L, 69.5d: 2L, 70.5d: 3L, 129.5d: 3L, 130.5d: 4L, 139.5d: 4L, 140.5d: 5L]
        thps(p) == 0
    }

    def "hpage_collapse_scan_pmd(): a range swapped out whole has 512 swap PTEs, more than max_ptes_swap: thp_scan_exceed_swap_pte, no collapse"() {
        given:
        Kernel ks = Kernel.boot(env, new MachineConfig(1 * GB, 1, 64 * MB, MachineConfig.DEFAULT_SWAP_BANDWIDTH,
                MachineConfig.DEFAULT_SWAP_BANDWIDTH, false, MachineConfig.DEFAULT_MIGRATE, '', hugesim.mm.Geometry.X86_64), [])
        Task p = ks.newTask('p')
        long a = p.mmap(0, 2 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
        assert p.madvise(a, 2 * MB, MADV_HUGEPAGE) == 0
        Vma v = p.mm.find(a)
        assert ks.memory.fault(p.mm, v, v.slotOf(a), true, {}, false) == Fault.DONE
        assert p.madvise(a, 2 * MB, MADV_PAGEOUT) == 0
        runUntil(1)
        assert v.swp(v.slotOf(a)) == 512

        when:
        runUntil(10.5)

        then:
        ks.vmstat(VmStat.thp_scan_exceed_swap_pte) == 1
        ks.vmstat(VmStat.thp_collapse_alloc) == 0
    }
}
