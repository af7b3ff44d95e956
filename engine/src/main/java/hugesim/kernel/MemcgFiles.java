package hugesim.kernel;

import hugesim.mm.memcg.MemCgroup;

/**
 * The memory controller's files under /sys/fs/cgroup/NAME (Documentation/admin-guide/cgroup-v2.rst,
 * "Memory Interface Files"): names, what a read shows and what a write takes, in bytes as the kernel
 * prints them. Limits are kept in pages: a write rounds down to a page (page_counter_memparse()).
 */
final class MemcgFiles {
    private static final java.util.List<String> READABLE = java.util.List.of("memory.current", "memory.max", "memory.high", "memory.low",
            "memory.swap.current", "memory.swap.max", "memory.stat", "memory.events", "memory.swap.events",
            "memory.pool.current", "memory.pool.max", "memory.pool.events");
    private static final java.util.List<String> WRITABLE = java.util.List.of("memory.max", "memory.high", "memory.low", "memory.swap.max", "memory.reclaim",
            "memory.pool.max");

    /** The memPool design's files (docs/model.md rule 82): there only when the machine booted with the pool. */
    static boolean isPool(String file) { return file.startsWith("memory.pool."); }

    /** The files a cgroup has on this machine: the memPool design's only when it booted with the pool. */
    java.util.List<String> readable() { return present(READABLE); }

    java.util.List<String> writable() { return present(WRITABLE); }

    private java.util.List<String> present(java.util.List<String> files) {
        return k.m.memPool() ? files : files.stream().filter(f -> !isPool(f)).toList();
    }

    private final Kernel k;

    MemcgFiles(Kernel k) {
        this.k = k;
    }

    /** Whether {@code path} names a memory controller file ("NAME/memory.…"). */
    static boolean isMemcg(String path) {
        int slash = path.indexOf('/');
        return slash > 0 && path.startsWith("memory.", slash + 1);
    }

    /** "svc/memory.max" → {"svc", "memory.max"}, its cgroup checked to be one a process runs in. */
    MemCgroup cgroupOf(String path) {
        int slash = path.indexOf('/');
        String name = path.substring(0, slash);
        MemCgroup cg = k.memcgIfUsed(name);
        if (cg == null) {
            throw new IllegalArgumentException("no process runs in cgroup '" + name + "': its memory files exist once a process does (process(..., cgroup: '" + name + "'))");
        }
        cg.useFiles();
        return cg;
    }

    static String file(String path) { return path.substring(path.indexOf('/') + 1); }

    /** A read: bytes, "max" for no limit, or the keyed files as maps. */
    Object read(String path) {
        String file = file(path);
        if (!READABLE.contains(file)) throw unknown(file, readable());
        checkPool(file);
        MemCgroup cg = cgroupOf(path);
        long ps = k.m.geometry.pageSize();
        return switch (file) {
            case "memory.current" -> cg.current() * ps;
            case "memory.swap.current" -> cg.swapCurrent() * ps;
            case "memory.max" -> limit(cg.max(), ps);
            case "memory.high" -> limit(cg.high(), ps);
            case "memory.low" -> cg.low() * ps;
            case "memory.swap.max" -> limit(cg.swapMax(), ps);
            case "memory.pool.current" -> cg.poolCurrent() * ps;
            case "memory.pool.max" -> limit(cg.poolMax(), ps);
            case "memory.pool.events" -> cg.poolEvents();
            case "memory.stat" -> cg.stat(ps);
            case "memory.events" -> cg.events();
            default -> cg.swapEvents();
        };
    }

    /** A memory.pool.* file on a machine without the pool names the policy that has it. */
    void checkPool(String file) {
        if (isPool(file) && !k.m.memPool()) {
            throw new IllegalArgumentException(file + " exists only on a machine booted by the memPool policy (docs/model.md 9)");
        }
    }

    private static Object limit(long pages, long ps) {
        return pages == MemCgroup.MAX ? "max" : pages * ps;
    }

    /** A written value in pages: bytes (at least 0, rounded down to a page) or "max". */
    long pages(String file, Object value) {
        if (value instanceof String s && s.equals("max") && !file.equals("memory.reclaim") && !file.equals("memory.low")) return MemCgroup.MAX;
        if (!(value instanceof Number n)) throw new IllegalArgumentException(file + " takes a size in bytes" + (file.equals("memory.reclaim") ? "" : " or 'max'") + ", got '" + value + "'");
        long bytes = n.longValue();
        if (bytes < 0) throw new IllegalArgumentException(file + " takes a size of at least 0 bytes, got " + bytes);
        if (file.equals("memory.reclaim") && bytes == 0) throw new IllegalArgumentException("memory.reclaim takes a size of more than 0 bytes, got 0");
        return bytes / k.m.geometry.pageSize();
    }

    static IllegalArgumentException unknown(String file, java.util.List<String> known) {
        return new IllegalArgumentException("no memory cgroup file '" + file + "'; known: " + String.join(", ", known));
    }
}
