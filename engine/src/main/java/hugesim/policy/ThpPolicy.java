package hugesim.policy;

import hugesim.kernel.Task;
import hugesim.uapi.Errno;
import hugesim.units.Size;

import java.util.LinkedHashMap;
import java.util.Map;

import static hugesim.uapi.Mman.*;

/**
 * {@code thp()}: no reservation. mapHuge is mmap + madvise(MADV_HUGEPAGE); a fault takes a free
 * pageblock when there is one, otherwise falls back to 4 KiB pages (thp_fault_fallback).
 */
public record ThpPolicy() implements Policy {
    public String name() { return "thp"; }

    public Map<String, Object> params() { return new LinkedHashMap<>(); }

    public String cmdline(hugesim.mm.Geometry g) { return ""; }

    public long mapHuge(Task t, long size) {
        long a = t.mmap(0, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
        if (Errno.isError(a)) throw new Task.CallFailed("mmap(" + Size.format(size) + ", MAP_PRIVATE|MAP_ANONYMOUS)", a);
        int r = t.madvise(a, size, MADV_HUGEPAGE);
        if (r != 0) throw new Task.CallFailed("madvise(MADV_HUGEPAGE)", r);
        return a;
    }
}
