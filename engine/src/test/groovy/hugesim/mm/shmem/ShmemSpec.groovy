package hugesim.mm.shmem

import hugesim.kernel.Kernel
import hugesim.kernel.MachineConfig
import hugesim.kernel.Task
import hugesim.mm.Fault
import hugesim.mm.VmStat
import hugesim.mm.vma.Vma
import hugesim.sim.Environment
import spock.lang.Specification

import static hugesim.uapi.Errno.*
import static hugesim.uapi.Fcntl.*
import static hugesim.uapi.Mman.*
import static hugesim.units.Size.GB
import static hugesim.units.Size.MB

/**
 * Shared memory as 6.1 keeps it (mm/shmem.c; docs/model.md 3.7): a file's pages are its page cache, allocated at
 * a fault as a THP when shmem_is_huge() says so, mapped by a PMD or by PTEs, shared by every mapping and kept
 * until the file lets them go.
 */
class ShmemSpec extends Specification {
    Kernel k
    Task t

    def setup() {
        k = Kernel.boot(new Environment(10_000_000_000L), MachineConfig.of(4 * GB).withKernelReserved(0), [])
        t = k.newTask('p')
    }

    long meminfo(String field) { k.views.meminfo(field) }

    long vmstat(VmStat item) { k.m.get(item) }

    void shmemEnabled(String v) { assert k.views.sysfsWrite('kernel/mm/transparent_hugepage/shmem_enabled', v) == 0 }

    /** A memfd of {@code size}, mapped shared read-write; returns the address. */
    long memfd(Task task = t, long size) {
        int fd = task.memfd_create('db', 0)
        assert fd >= 0
        assert task.ftruncate(fd, size) == 0
        long a = task.mmap(0, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
        assert a > 0
        assert task.close(fd) == 0
        a
    }

    int write(Task task = t, long addr) {
        Vma v = task.mm.find(addr)
        k.memory.fault(task.mm, v, v.slotOf(addr), true, {}, false)
    }

    void writeAll(Task task = t, long addr, long len) {
        for (long x = addr; x < addr + len; x += 2 * MB) assert write(task, x) == Fault.DONE
    }

    def "shmem_enabled defaults to never: a memfd's pages are 4 KiB folios, counted in Shmem and Cached, mapped by PTEs"() {
        given:
        long cached = meminfo('Cached')

        when:
        long a = memfd(8 * MB)
        writeAll(a, 8 * MB)

        then:
        k.views.sysfs('kernel/mm/transparent_hugepage/shmem_enabled') == 'always within_size advise [never] deny force'
        meminfo('Shmem') == 8 * 1024
        meminfo('Cached') == cached + 8 * 1024
        meminfo('ShmemHugePages') == 0
        meminfo('AnonPages') == 0
        t.mm.shmemPages() == 4 * 512
        t.mm.find(a).kind(0) == Vma.FILE_PTE
        vmstat(VmStat.thp_file_alloc) == 0
    }

    def "shmem_enabled=always: each stretch is a THP (thp_file_alloc), mapped by a PMD (thp_file_mapped, ShmemPmdMapped) with no deposited table"() {
        given:
        shmemEnabled('always')

        when:
        long a = memfd(8 * MB)
        writeAll(a, 8 * MB)

        then:
        meminfo('ShmemHugePages') == 8 * 1024
        meminfo('ShmemPmdMapped') == 8 * 1024
        meminfo('Shmem') == 8 * 1024
        meminfo('AnonHugePages') == 0
        vmstat(VmStat.thp_file_alloc) == 4
        vmstat(VmStat.thp_file_mapped) == 4
        t.mm.find(a).kind(0) == Vma.FILE_PMD
        and: 'the PMD table alone (do_set_pmd() deposits no PTE table for a file THP on x86)'
        t.mm.tables.pages() == 1
        and: 'smaps counts the PMD-mapped pages in Rss and ShmemPmdMapped'
        k.views.smaps(t, a).Rss == 8 * 1024
        k.views.smaps(t, a).ShmemPmdMapped == 8 * 1024
    }

    def "shmem_is_huge(): within_size gives a THP only to a stretch i_size covers whole, and otherwise acts as advise"() {
        given:
        shmemEnabled('within_size')
        int fd = t.memfd_create('w', 0)
        assert t.ftruncate(fd, 3 * MB) == 0
        long a = t.mmap(0, 4 * MB, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)

        when:
        writeAll(a, 4 * MB)

        then: 'the first stretch is a THP; the second, cut by i_size, gets 4 KiB folios up to i_size'
        vmstat(VmStat.thp_file_alloc) == 1
        meminfo('ShmemHugePages') == 2048
        meminfo('Shmem') == 3 * 1024

        when: 'a mapping with MADV_HUGEPAGE of a new file'
        int fd2 = t.memfd_create('w2', 0)
        assert t.ftruncate(fd2, 3 * MB) == 0
        long b = t.mmap(0, 4 * MB, PROT_READ | PROT_WRITE, MAP_SHARED, fd2, 0)
        assert t.madvise(b, 4 * MB, MADV_HUGEPAGE) == 0
        writeAll(b, 4 * MB)

        then: 'advice makes the cut stretch a THP too'
        vmstat(VmStat.thp_file_alloc) == 3
    }

    def "shmem_is_huge(): advise needs MADV_HUGEPAGE; deny and force override every mount; VM_NOHUGEPAGE forbids"() {
        when:
        shmemEnabled(setting)
        long a = memfd(2 * MB)
        if (advice >= 0) assert t.madvise(a, 2 * MB, advice) == 0
        writeAll(a, 2 * MB)

        then:
        (meminfo('ShmemHugePages') > 0) == huge

        where:
        setting  | advice          || huge
        'advise' | -1              || false
        'advise' | MADV_HUGEPAGE   || true
        'always' | MADV_NOHUGEPAGE || false
        'deny'   | MADV_HUGEPAGE   || false
        'force'  | -1              || true
    }

    def "fork: the child's shared mapping starts empty (dup_mmap() copies no PTE of it) and maps the file's own pages, with no copy"() {
        given:
        shmemEnabled('always')
        long a = memfd(4 * MB)
        writeAll(a, 4 * MB)

        when:
        long pid = t.fork('c', null)
        Task c = k.tasks().find { it.pid() == pid }

        then:
        c.mm.find(a).kind(0) == Vma.EMPTY
        c.mm.shmemPages() == 0

        when:
        writeAll(c, a, 4 * MB)

        then: 'both map the same two THPs: nothing was allocated'
        meminfo('Shmem') == 4 * 1024
        vmstat(VmStat.thp_file_alloc) == 2
        c.mm.shmemPages() == 2 * 512
        meminfo('ShmemPmdMapped') == 4 * 1024

        when: 'the parent unmaps: the child still maps the THPs'
        assert t.munmap(a, 4 * MB) == 0

        then:
        meminfo('ShmemPmdMapped') == 4 * 1024
        meminfo('Shmem') == 4 * 1024

        when: 'the child exits: the last mapping of the memfd goes, and with it the file and its pages'
        k.mmap.teardown(c.mm)

        then:
        meminfo('Shmem') == 0
        meminfo('ShmemPmdMapped') == 0
    }

    def "copy_files() at fork: the child holds the parent's memfd under the same descriptor, and the file lives until both let go"() {
        given:
        int fd = t.memfd_create('db', 0)
        assert t.ftruncate(fd, 2 * MB) == 0
        long a = t.mmap(0, 2 * MB, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
        writeAll(a, 2 * MB)
        long pid = t.fork('c', null)
        Task c = k.tasks().find { it.pid() == pid }

        when: 'the parent closes it and unmaps it'
        assert t.close(fd) == 0
        assert t.munmap(a, 2 * MB) == 0

        then: "the child's descriptor keeps the file and its pages"
        meminfo('Shmem') == 2048
        c.mm.files.containsKey(fd)

        when: 'the child maps it through its own descriptor, then closes it and unmaps both its mappings (the one fork copied too)'
        long b = c.mmap(0, 2 * MB, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
        assert write(c, b) == Fault.DONE
        int fd2 = c.memfd_create('next', 0)
        assert c.close(fd) == 0
        assert c.munmap(b, 2 * MB) == 0
        assert meminfo('Shmem') == 2048
        assert c.munmap(a, 2 * MB) == 0

        then: 'the file went with its last reference; the child numbers its next descriptor after the ones it inherited'
        meminfo('Shmem') == 0
        fd2 == fd + 1
    }

    def "shm_open(3): a second process maps the same /dev/shm file, which outlives both until shm_unlink()"() {
        given:
        Task q = k.newTask('q')
        int fd = t.shm_open('/db', O_CREAT | O_RDWR)
        assert t.ftruncate(fd, 4 * MB) == 0
        long a = t.mmap(0, 4 * MB, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
        writeAll(a, 4 * MB)

        when:
        int qfd = q.shm_open('db', O_RDWR)
        long b = q.mmap(0, 4 * MB, PROT_READ | PROT_WRITE, MAP_SHARED, qfd, 0)
        writeAll(q, b, 4 * MB)

        then: 'q maps what p wrote'
        meminfo('Shmem') == 4 * 1024
        q.mm.shmemPages() == 2 * 512

        and: 'names are checked as shm_open(3) checks them'
        t.shm_open('db', O_CREAT | O_EXCL | O_RDWR) == -EEXIST
        t.shm_open('none', O_RDWR) == -ENOENT
        t.shm_open('a/b', O_CREAT | O_RDWR) == -EINVAL

        when: 'both exit'
        k.mmap.teardown(t.mm)
        k.mmap.teardown(q.mm)

        then: 'the file keeps its pages: its name holds it'
        meminfo('Shmem') == 4 * 1024
        k.m.shmem.devShmNames() == ['db']

        when:
        Task r = k.newTask('r')
        int r1 = r.shm_unlink('/db')

        then:
        r1 == 0
        meminfo('Shmem') == 0
        r.shm_unlink('db') == -ENOENT
    }

    def "shmem_is_huge() on /dev/shm follows its mount's huge= (never by default), whatever shmem_enabled says but deny and force; remount changes it"() {
        given:
        shmemEnabled('always')
        int fd = t.shm_open('db', O_CREAT | O_RDWR)
        assert t.ftruncate(fd, 4 * MB) == 0
        long a = t.mmap(0, 4 * MB, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)

        when:
        assert write(a) == Fault.DONE

        then:
        meminfo('ShmemHugePages') == 0

        when:
        int r = t.remount('/dev/shm', 'huge=within_size')
        assert write(a + 2 * MB) == Fault.DONE

        then: 'the file follows its mount from its next allocation on'
        r == 0
        meminfo('ShmemHugePages') == 2 * 1024
        k.m.shmem.devShmHuge() == 'within_size'
        and: 'the mount takes only huge= and its four values, and /dev/shm is the one tmpfs'
        t.remount('/dev/shm', 'huge=force') == -EINVAL
        t.remount('/dev/shm', 'size=1G') == -EINVAL
        t.remount('/tmp', 'huge=always') == -EINVAL
    }

    def "shmem_setattr(): ftruncate shrinking unmaps and frees the stretches past the new size; a fault past i_size is SIGBUS"() {
        given:
        int fd = t.memfd_create('t', 0)
        assert t.ftruncate(fd, 8 * MB) == 0
        long a = t.mmap(0, 8 * MB, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
        writeAll(a, 8 * MB)

        when:
        assert t.ftruncate(fd, 4 * MB) == 0

        then:
        meminfo('Shmem') == 4 * 1024
        t.mm.shmemPages() == 2 * 512
        write(a + 6 * MB) == Fault.SIGBUS
        write(a) == Fault.DONE
    }

    def "shmem_zero_setup(): MAP_SHARED|MAP_ANONYMOUS is a shmem object of its own, gone with its mapping"() {
        when:
        long a = t.mmap(0, 4 * MB, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS)
        writeAll(a, 4 * MB)

        then:
        meminfo('Shmem') == 4 * 1024
        meminfo('AnonPages') == 0

        when:
        assert t.munmap(a, 4 * MB) == 0

        then:
        meminfo('Shmem') == 0
    }

    def "fallocate(2) allocates the file's stretches without a mapping; FALLOC_FL_PUNCH_HOLE frees whole stretches"() {
        given:
        shmemEnabled('always')
        int fd = t.memfd_create('f', 0)

        when:
        assert t.fallocate(fd, 0, 0, 6 * MB) == 0

        then:
        meminfo('ShmemHugePages') == 6 * 1024
        meminfo('ShmemPmdMapped') == 0
        t.mm.files[fd].size() == 6 * MB

        when:
        assert t.fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 1 * MB, 4 * MB) == 0

        then: 'only the stretch [2, 4) MiB lies wholly inside the hole'
        meminfo('ShmemHugePages') == 4 * 1024
    }

    def "__split_huge_pmd() of a file PMD: a partial munmap zaps the PMD (thp_split_pmd), the THP stays whole in the file"() {
        given:
        shmemEnabled('always')
        long a = memfd(4 * MB)
        writeAll(a, 4 * MB)

        when:
        assert t.munmap(a, 1 * MB) == 0

        then:
        vmstat(VmStat.thp_split_pmd) == 1
        meminfo('ShmemHugePages') == 4 * 1024
        meminfo('ShmemPmdMapped') == 2 * 1024

        when: 'the rest of the first window faults back in by PTEs'
        assert write(a + 1 * MB) == Fault.DONE

        then:
        t.mm.find(a + 1 * MB).kind(0) == Vma.FILE_PTE
        t.mm.find(a + 1 * MB).pte(0) == 256
        t.mm.shmemPages() == 256 + 512
    }

    def "shmem_alloc_hugefolio() failing (defrag never, memory free but scattered): 4 KiB folios instead (thp_file_fallback)"() {
        given: 'memory filled with 4 KiB anonymous pages but 64 MiB, every other page freed: only the free blocks can hold a THP'
        shmemEnabled('always')
        assert k.views.sysfsWrite('kernel/mm/transparent_hugepage/defrag', 'never') == 0
        def zone = k.m.pages.zone(0)
        long fill = zone.usableFree(true) * 4096 - 64 * MB
        fill -= fill % (2 * MB)
        long anon = t.mmap(0, fill, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)
        assert t.madvise(anon, fill, MADV_NOHUGEPAGE) == 0
        writeAll(anon, fill)
        for (long p = anon; p < anon + fill; p += 8192) assert t.madvise(p, 4096, MADV_DONTNEED) == 0
        long blocks = hugesim.mm.page.MigrateType.VALUES.sum(0L) { zone.freeBlocks(it) } as long

        when: 'a file eight stretches larger than the free blocks is written'
        long len = (blocks + 8) * 2 * MB
        long a = memfd(len)
        writeAll(a, len)

        then:
        vmstat(VmStat.thp_file_alloc) <= blocks
        vmstat(VmStat.thp_file_fallback) >= 8
        vmstat(VmStat.thp_file_alloc) + vmstat(VmStat.thp_file_fallback) == len / (2 * MB)
        meminfo('Shmem') == len / 1024
        meminfo('ShmemHugePages') == vmstat(VmStat.thp_file_alloc) * 2048
    }

    def "shmem_add_to_page_cache(): a THP the cgroup cannot take is freed, and 4 KiB folios are charged instead (thp_file_fallback_charge)"() {
        given: 'memory.max of 1.5 MiB, a 1 MiB file, shmem_enabled=always (which ignores i_size)'
        shmemEnabled('always')
        def cg = k.memcg('small')
        t.mm.memcg = cg
        assert t.cgroupWrite('small/memory.max', 3 * MB / 2) == 0
        long a = memfd(1 * MB)

        when:
        int r = write(a)

        then:
        r == Fault.DONE
        vmstat(VmStat.thp_file_fallback) == 1
        vmstat(VmStat.thp_file_fallback_charge) == 1
        meminfo('Shmem') == 1024
        cg.current() == 256
    }

    def "the memory controller: shmem pages are charged to the allocating task's cgroup, and stay charged while the file lives"() {
        given:
        def cg = k.memcg('svc')
        t.mm.memcg = cg
        int fd = t.shm_open('db', O_CREAT | O_RDWR)
        assert t.ftruncate(fd, 4 * MB) == 0
        long a = t.mmap(0, 4 * MB, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)

        when:
        writeAll(a, 4 * MB)

        then:
        cg.current() == 1024
        cg.stat(4096).shmem == 4 * MB
        cg.stat(4096).file == 4 * MB

        when:
        k.mmap.teardown(t.mm)

        then:
        cg.current() == 1024
    }

    def "mmap of a shmem file: PMD-aligned placement; MAP_PRIVATE and offsets that are not PMD-aligned are not modelled (EINVAL)"() {
        given:
        int fd = t.memfd_create('m', 0)
        assert t.ftruncate(fd, 8 * MB) == 0

        expect:
        t.mmap(0, 3 * MB, PROT_READ, MAP_SHARED, fd, 0) % (2 * MB) == 0
        t.mmap(0, 2 * MB, PROT_READ, MAP_PRIVATE, fd, 0) == -EINVAL
        t.mmap(0, 2 * MB, PROT_READ, MAP_SHARED, fd, 4096) == -EINVAL
        t.mmap(0, 2 * MB, PROT_READ, MAP_SHARED, fd, 2 * MB) > 0
        t.memfd_create('x', 0x40) == -EINVAL
    }
}
