package hugesim.policy;

import hugesim.kernel.Kernel;
import hugesim.kernel.Task;
import hugesim.mm.shmem.Shmem;
import hugesim.uapi.Errno;
import hugesim.units.Size;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static hugesim.uapi.Mman.*;

/**
 * {@code shmemThp(enabled: 'always')}: huge memory as shared memory, the backing the review thread asks to start
 * with ("start with 1 GiB THP support for shmem/tmpfs", thread line 2084) at the size the model has, the PMD
 * size. No reservation: {@code shmem_enabled} is written once the kernel is up (6.1 has no boot parameter for
 * it), and mapHuge is a memfd of the size, mapped shared (with MADV_HUGEPAGE under {@code 'advise'}), its
 * descriptor closed: its pages go with the mapping. docs/model.md 3.7.
 */
public record ShmemThpPolicy(String enabled, long size) implements Policy {
    public static final List<String> OPTIONS = List.of("enabled", "size");

    /** @param size the THP size asked for, 0 for the PMD size (the only one modelled) */
    public ShmemThpPolicy {
        if (!Shmem.ENABLED.contains(enabled)) {
            throw new IllegalArgumentException("shmemThp(enabled: '" + enabled + "') is not one of " + Shmem.ENABLED);
        }
        if (size != 0) Policy.checkSize("shmemThp", "size", size, 1);
    }

    public String name() { return "shmemThp"; }

    public Map<String, Object> params() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("enabled", enabled);
        if (size != 0) m.put("size", size);
        return m;
    }

    /**
     * {@code shmemThp(size: S)}: only the PMD size is modelled. A 1 GiB shmem THP needs PUD-sized folios, which the
     * model does not have: a THP is one pageblock mapped by one PMD.
     */
    public String cmdline(hugesim.mm.Geometry g) {
        if (size != 0 && size != g.pmdSize()) {
            throw new IllegalArgumentException("shmemThp(size: " + Size.format(size) + ") is not modelled: shmem THPs are PMD-sized ("
                    + Size.format(g.pmdSize()) + " here); 1 GiB (PUD-mapped) folios are not in the model yet");
        }
        return "";
    }

    @Override
    public void configure(Kernel k) {
        if (k.views.sysfsWrite("kernel/mm/transparent_hugepage/shmem_enabled", enabled) != 0) throw new IllegalStateException("shmem_enabled refused " + enabled);
    }

    public long mapHuge(Task t, long size) {
        int fd = t.memfd_create("mapHuge", 0);
        if (fd < 0) throw new Task.CallFailed("memfd_create()", fd);
        int r = t.ftruncate(fd, size);
        if (r != 0) throw new Task.CallFailed("ftruncate(" + Size.format(size) + ")", r);
        long a = t.mmap(0, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (Errno.isError(a)) throw new Task.CallFailed("mmap(" + Size.format(size) + ", MAP_SHARED, memfd)", a);
        t.close(fd);
        if (enabled.equals("advise")) {
            r = t.madvise(a, size, MADV_HUGEPAGE);
            if (r != 0) throw new Task.CallFailed("madvise(MADV_HUGEPAGE)", r);
        }
        return a;
    }
}
