package hugesim.mm.memcg;

/**
 * One cgroup v2 memory controller (struct mem_cgroup, mm/memcontrol.c): its page counters (memory and
 * swap, with max, high and low), the memory.events and memory.swap.events counts, the memory.stat items
 * the model keeps, and how many of its folios sit on each node's LRU lists (the sizes its lruvecs would
 * have). The counters move only through the charge and uncharge methods, which the fault path, the page
 * cache, the swap cache and reclaim call where the kernel charges and uncharges.
 *
 * <p>Simplification: cgroups are one level below the root (no hierarchy, no memory.min, no memory.swap.high).
 */
public final class MemCgroup {
    /** PAGE_COUNTER_MAX: "max", no limit. */
    public static final long MAX = Long.MAX_VALUE;

    public final String name;
    private final int pmdPages;

    /** Limits in pages (memory.max, memory.high, memory.low, memory.swap.max, memory.pool.max). */
    long max = MAX, high = MAX, low, swapMax = MAX, poolMax = MAX;
    /** The memPool design's charge (docs/model.md rule 82): pool pages reserved or held by the cgroup's files, in pages. */
    private long pool;

    /** Pages charged: 4 KiB anonymous pages mapped, THPs mapped (in pages), page cache, swap cache. */
    private long anon, anonThp, file, swapCached;
    /** Of the page cache, shmem pages, and of those the ones in THPs. */
    private long shmem, shmemThp;
    /** Swap slots held by the cgroup's processes' page tables (their swap entries), and kept by mapped folios. */
    private java.util.function.LongSupplier swapEntries = () -> 0;
    private long keptSlots;

    /** memory.events: low, high, max, oom, oom_kill; memory.swap.events: max, fail. */
    long eventLow, eventHigh, eventMax, eventOom, eventOomKill, swapEventMax, swapEventFail, poolEventMax;
    /** memory.stat's event counts: thp_fault_alloc, thp_collapse_alloc, thp_swpout, thp_swpout_fallback, pgscan, pgsteal. */
    long thpFaultAlloc, thpCollapseAlloc, thpSwpout, thpSwpoutFallback, pgscan, pgsteal;

    /** Folios on each node's lists ([node][list], list as LruFolio numbers them) and the file lists' pages. */
    private long[][] lruSize = new long[1][5], lruFilePages = new long[1][5];

    /** Whether a memory file of the cgroup was read or written (its series are then recorded). */
    private boolean filesUsed;

    public boolean filesUsed() { return filesUsed; }

    public void useFiles() { filesUsed = true; }

    public MemCgroup(String name, int pmdPages) {
        this.name = name;
        this.pmdPages = pmdPages;
    }

    /** Where memory.swap.current finds the swap entries of the cgroup's processes. */
    public void swapEntriesFrom(java.util.function.LongSupplier s) { swapEntries = s; }

    /** memory.current in pages (page_counter_read(&memcg->memory)). */
    public long current() { return anon + anonThp + file + swapCached; }

    /** memory.swap.current in pages. */
    public long swapCurrent() { return swapEntries.getAsLong() + keptSlots; }

    public long max() { return max; }

    public long high() { return high; }

    public long low() { return low; }

    public long swapMax() { return swapMax; }

    /** memory.pool.current in pages (the memPool design, docs/model.md rule 82). */
    public long poolCurrent() { return pool; }

    public long poolMax() { return poolMax; }

    /** memory.pool.max, in pages; a write below the usage takes nothing back (a reservation is not reclaimable). */
    public void setPoolMax(long pages) { poolMax = pages; }

    /**
     * A pool file reserves or takes {@code hpages} PMD-size pages: charged within memory.pool.max, else refused
     * with memory.pool.events max +1 and nothing charged.
     */
    public boolean tryChargePool(long hpages) {
        long pages = hpages * pmdPages;
        if (poolMax != MAX && pool + pages > poolMax) {
            poolEventMax++;
            return false;
        }
        pool += pages;
        return true;
    }

    public void unchargePool(long hpages) {
        pool -= hpages * pmdPages;
        if (pool < 0) throw new IllegalStateException("cgroup " + name + ": memory.pool.current went negative");
    }

    /** mem_cgroup_margin(): pages that may still be charged under memory.max. */
    public long margin() { return max == MAX ? MAX : Math.max(0, max - current()); }

    /** Swap slots that may still be charged under memory.swap.max (mem_cgroup_get_nr_swap_pages()). */
    public long swapRoom() { return swapMax == MAX ? MAX : Math.max(0, swapMax - swapCurrent()); }

    /**
     * mem_cgroup_below_low(): usage within memory.low, so global reclaim passes it over while other
     * cgroups have memory to give (the effective protection of a cgroup directly under the root is its low).
     */
    public boolean belowLow() { return low > 0 && current() <= low; }

    /** mem_cgroup_swap_full(): the cgroup's swap half used, so a swapped-in folio frees its slot. */
    public boolean swapFull() { return swapMax != MAX && swapCurrent() * 2 >= swapMax; }

    // Charges and uncharges, each where the kernel makes it (the limit was checked by MemcgCharge before).

    /** 4 KiB anonymous pages mapped (+) or unmapped (−): mem_cgroup_charge() at the fault, uncharge at the free. */
    public void anonPages(long n) { anon += n; }

    /** PMD-mapped THPs mapped (+) or unmapped (−). */
    public void thps(long n) { anonThp += n * pmdPages; }

    /** Page-cache pages added (filemap_add_folio()) or freed. */
    public void filePages(long n) { file += n; }

    /** Shmem pages added to a file (+) or freed (−), {@code huge} as THPs: page cache, and shmem in memory.stat. */
    public void shmemPages(long n, boolean huge) {
        file += n;
        shmem += n;
        if (huge) shmemThp += n;
    }

    /** Pages entering (+) or leaving (−) the swap cache, charged as the folio was. */
    public void swapCachePages(long n) { swapCached += n; }

    /** Swap slots a mapped folio keeps in the swap cache (+) or frees (−). */
    public void keptSlots(long n) { keptSlots += n; }

    /** A folio of the cgroup joined (+1) or left (−1) list {@code list} of node {@code node}; {@code filePages} for a file folio. */
    public void lru(int node, byte list, int delta, long filePages) {
        if (node >= lruSize.length) {
            lruSize = java.util.Arrays.copyOf(lruSize, node + 1);
            lruFilePages = java.util.Arrays.copyOf(lruFilePages, node + 1);
            for (int n = 0; n <= node; n++) {
                if (lruSize[n] == null) lruSize[n] = new long[5];
                if (lruFilePages[n] == null) lruFilePages[n] = new long[5];
            }
        }
        lruSize[node][list] += delta;
        lruFilePages[node][list] += delta * filePages;
    }

    /** The cgroup's folios on list {@code list} of node {@code node} (lruvec_lru_size() of its lruvec). */
    public long lruSize(int node, byte list) { return node < lruSize.length ? lruSize[node][list] : 0; }

    /** The cgroup's page-cache pages on file list {@code list} of node {@code node}. */
    public long lruFilePages(int node, byte list) { return node < lruFilePages.length ? lruFilePages[node][list] : 0; }

    // memory.events and memory.stat counts

    /** memcg_memory_event(MEMCG_LOW): reclaimed below memory.low because nothing else could be. */
    public void eventLow() { eventLow++; }

    /** MEMCG_HIGH: reclaim_high() ran for usage over memory.high. */
    public void eventHigh() { eventHigh++; }

    /** MEMCG_MAX: a charge went over memory.max and reclaimed. */
    public void eventMax() { eventMax++; }

    /** MEMCG_OOM: the cgroup's OOM killer was invoked (mem_cgroup_oom(), memory_max_write()). */
    public void eventOom() { eventOom++; }

    /** MEMCG_OOM_KILL: a process of the cgroup was killed by an OOM killer. */
    public void eventOomKill() { eventOomKill++; }

    /** MEMCG_SWAP_MAX and MEMCG_SWAP_FAIL: a swap charge failed at memory.swap.max (__mem_cgroup_try_charge_swap()). */
    public void eventSwapMax() {
        swapEventMax++;
        swapEventFail++;
    }

    public void thpFaultAlloc() { thpFaultAlloc++; }

    public void thpCollapseAlloc() { thpCollapseAlloc++; }

    public void thpSwpout() { thpSwpout++; }

    public void thpSwpoutFallback() { thpSwpoutFallback++; }

    public void scanned(long pages) { pgscan += pages; }

    public void stolen(long pages) { pgsteal += pages; }

    /** memory.stat in bytes for sizes, as the kernel prints it (memory_stat_format()), the items the model keeps. */
    public java.util.Map<String, Long> stat(long pageSize) {
        java.util.Map<String, Long> s = new java.util.LinkedHashMap<>();
        s.put("anon", (anon + anonThp) * pageSize);
        // add_to_swap_cache() moves NR_FILE_PAGES on the node alone, NR_SWAPCACHE on the cgroup too: file leaves it out
        s.put("file", file * pageSize);
        s.put("shmem", shmem * pageSize);
        s.put("anon_thp", anonThp * pageSize);
        s.put("shmem_thp", shmemThp * pageSize);
        s.put("swapcached", swapCached * pageSize);
        s.put("pgscan", pgscan);
        s.put("pgsteal", pgsteal);
        s.put("thp_fault_alloc", thpFaultAlloc);
        s.put("thp_collapse_alloc", thpCollapseAlloc);
        s.put("thp_swpout", thpSwpout);
        s.put("thp_swpout_fallback", thpSwpoutFallback);
        return s;
    }

    /** memory.events (memory_events_show()). */
    public java.util.Map<String, Long> events() {
        java.util.Map<String, Long> e = new java.util.LinkedHashMap<>();
        e.put("low", eventLow);
        e.put("high", eventHigh);
        e.put("max", eventMax);
        e.put("oom", eventOom);
        e.put("oom_kill", eventOomKill);
        return e;
    }

    /** memory.pool.events: max, the pool charges refused at memory.pool.max. */
    public java.util.Map<String, Long> poolEvents() {
        return java.util.Map.of("max", poolEventMax);
    }

    /** memory.swap.events (swap_events_show()); high stays 0: memory.swap.high is not modelled. */
    public java.util.Map<String, Long> swapEvents() {
        java.util.Map<String, Long> e = new java.util.LinkedHashMap<>();
        e.put("high", 0L);
        e.put("max", swapEventMax);
        e.put("fail", swapEventFail);
        return e;
    }
}
