package hugesim.kernel;

import hugesim.mm.model.MemoryModel;
import hugesim.mm.VmStat;
import hugesim.mm.hugetlb.Hstate;
import hugesim.mm.page.MigrateType;
import hugesim.mm.page.Zone;
import hugesim.mm.thp.ThpSettings;
import hugesim.mm.vma.Vma;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a user reads on a real machine: /proc/meminfo fields (kB, or pages for HugePages_*),
 * /proc/vmstat counters, and the sysfs and sysctl files the model knows, read and written as there.
 */
public final class Views {
    private final Kernel k;
    private final MemoryModel m;

    private final HugetlbSysfs hugetlbSysfs;
    private final NodeMeminfo nodeMeminfo;
    private static final java.util.regex.Pattern NODE_MEMINFO = java.util.regex.Pattern.compile("devices/system/node/node(\\d{1,9})/meminfo");

    Views(Kernel k) {
        this.k = k;
        this.m = k.m;
        this.hugetlbSysfs = new HugetlbSysfs(k.m);
        this.nodeMeminfo = new NodeMeminfo(k.m);
    }

    /** One /proc/meminfo field, in the unit the file prints it in. */
    public long meminfo(String field) {
        Hstate h = m.defaultHstate;
        return switch (field) {
            // totalram_pages(): RAM less what the kernel kept at boot (gigantic boot pages are added back)
            case "MemTotal" -> (k.config.memory() - k.config.kernelReservedBytes()) / 1024;
            case "MemFree" -> memFreeKb();
            case "Buffers" -> 0;
            case "Cached" -> cachedKb();
            case "Active(file)" -> kB(fileLru(hugesim.mm.vma.LruFolio.ACTIVE_FILE));
            case "Inactive(file)" -> kB(fileLru(hugesim.mm.vma.LruFolio.INACTIVE_FILE));
            case "Dirty" -> dirtyKb();
            case "Writeback" -> writebackKb();
            case "AnonPages" -> anonPagesKb();
            case "AnonHugePages" -> anonHugePages();
            case "Shmem" -> shmemKb();
            case "ShmemHugePages" -> shmemHugePagesKb();
            case "ShmemPmdMapped" -> shmemPmdMappedKb();
            case "HugePages_Total" -> h.total();
            case "HugePages_Free" -> h.free();
            case "HugePages_Rsvd" -> h.resv();
            case "HugePages_Surp" -> h.surplus();
            case "Hugepagesize" -> h.size / 1024;
            case "Hugetlb" -> hugetlbKb();
            case "SwapTotal" -> swapTotalKb();
            case "SwapFree" -> swapFreeKb();
            case "SwapCached" -> swapCachedKb();
            case "CmaTotal" -> cmaTotalKb();
            case "CmaFree" -> cmaFreeKb();
            case "KReclaimable", "SReclaimable" -> sReclaimableKb();
            case "Slab" -> sReclaimableKb() + sUnreclaimKb();
            case "SUnreclaim" -> sUnreclaimKb();
            case "PageTables" -> pageTablesKb();
            default -> throw new IllegalArgumentException("no /proc/meminfo field '" + field + "'; known: " + String.join(", ", MEMINFO));
        };
    }

    public static final String[] MEMINFO = {"MemTotal", "MemFree", "Buffers", "Cached", "SwapCached", "Active(file)", "Inactive(file)",
            "SwapTotal", "SwapFree", "Dirty", "Writeback", "AnonPages", "AnonHugePages", "ShmemHugePages", "ShmemPmdMapped",
            "Shmem", "KReclaimable", "Slab", "SReclaimable", "SUnreclaim", "PageTables", "CmaTotal", "CmaFree", "HugePages_Total", "HugePages_Free", "HugePages_Rsvd", "HugePages_Surp", "Hugepagesize", "Hugetlb"};

    /** /proc/meminfo as text, in the file's order and format. */
    public String meminfoText() {
        StringBuilder b = new StringBuilder();
        for (String f : MEMINFO) {
            boolean pages = f.startsWith("HugePages_");
            b.append(String.format("%-16s%8d%s%n", f + ":", meminfo(f), pages ? "" : " kB"));
        }
        return b.toString();
    }

    // the fields the sampler reads every interval, without going through the field name

    public long memFreeKb() { return kB(m.pages.freePages()); }

    /** Free pages on the per-CPU lists (/proc/zoneinfo {@code count}), which MemFree leaves out, in kB. */
    public long perCpuFreeKb() { return kB(m.pages.pcpPages()); }

    /** AnonPages: 4 KiB anonymous pages and PMD-mapped THPs, in kB. */
    public long anonPagesKb() { return kB(m.anon.anonPages()) + anonHugePages(); }

    public long swapTotalKb() { return kB(m.swap.totalSlots()); }

    /** Cached: the page cache (files' pages, shmem's included; the swap cache is SwapCached, and there are no Buffers). */
    public long cachedKb() { return kB(m.pageCache.cachedPages() + m.shmem.shmemPages()); }

    /** Shmem: pages of shmem files (NR_SHMEM), in kB. */
    public long shmemKb() { return kB(m.shmem.shmemPages()); }

    /** ShmemHugePages: shmem pages in THPs, in kB. */
    public long shmemHugePagesKb() { return kB(m.shmem.thpPages()); }

    /** ShmemPmdMapped: shmem THPs some PMD maps, in kB. */
    public long shmemPmdMappedKb() { return kB(m.shmem.pmdMappedPages()); }

    /** Dirty: page-cache pages written and not yet under writeback. */
    public long dirtyKb() { return kB(m.pageCache.dirtyPages()); }

    /** Writeback: page-cache pages being written to the disk. */
    public long writebackKb() { return kB(m.pageCache.writebackPages()); }

    /** Pages on every node's file list {@code list}. */
    private long fileLru(byte list) {
        long n = 0;
        for (var z : m.pages.zones()) n += k.reclaim.lru.filePages(z.node, list);
        return n;
    }

    public long swapFreeKb() { return kB(m.swap.freeSlots()); }

    /** SwapCached: folios in the swap cache (written, or being written, and not yet freed). */
    public long swapCachedKb() { return kB(k.reclaim.swapCache.pages()); }

    public long cmaTotalKb() { return k.cma() == null ? 0 : kB(k.cma().totalPages()); }

    public long cmaFreeKb() { return kB(m.pages.freePages(MigrateType.CMA)); }

    /**
     * SReclaimable (and KReclaimable, which adds only caches the model lacks): reclaimable slab in kB.
     * Simplification: the model's slab is what workloads allocate (kernelAlloc); the kernel's own at boot
     * is in kernelReserved, outside MemTotal.
     */
    public long sReclaimableKb() { return kB(m.slab.reclaimablePages()); }

    /** SUnreclaim: unmovable slab in kB. */
    public long sUnreclaimKb() { return kB(m.slab.unreclaimablePages()); }

    /** PageTables: every process's page-table pages (NR_PAGETABLE), in kB. */
    public long pageTablesKb() { return kB(m.pageTables.pages()); }

    /** AnonHugePages: PMD-mapped anonymous THPs, in kB. */
    public long anonHugePages() {
        return m.anon.thps() * (m.geometry.pmdSize() / 1024);
    }

    public long hugetlbKb() {
        long kb = 0;
        for (Hstate h : m.hstates) kb += h.total() * (h.size / 1024);
        return kb;
    }

    public long vmstat(String name) {
        try {
            return m.get(VmStat.valueOf(name));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("no /proc/vmstat counter '" + name + "' in the model");
        }
    }

    /** reserved_thp resident view: reserved blocks holding a THP (zoneinfo), or pool pages lent as THPs, in hpages. */
    public long reservedResidentHpages() {
        if (m.nosplit.on()) return m.rthp.poolResident();   // the reserved-type blocks are ZONE_NOSPLIT's
        long blocks = m.pages.blocks(MigrateType.RESERVED_THP) - m.pages.freePages(MigrateType.RESERVED_THP) / m.geometry.blockPages();
        return blocks * m.geometry.hpagesPerReservedBlock() + m.rthp.poolResident();
    }

    /** A file under /sys, read as its text without the trailing newline. */
    public String sysfs(String path) {
        String p = path.startsWith("/sys/") ? path.substring(5) : path;
        switch (p) {
            case "kernel/mm/reserved_thp/total_hpages": return Long.toString(m.rthp.total());
            case "kernel/mm/reserved_thp/used_hpages": return Long.toString(m.rthp.used());
            case "kernel/mm/reserved_thp/free_hpages": return Long.toUnsignedString(m.rthp.total() - m.rthp.used());
            case "kernel/mm/transparent_hugepage/enabled": return ThpSettings.show(ThpSettings.ENABLED, m.thp.enabled);
            case "kernel/mm/transparent_hugepage/defrag": return ThpSettings.show(ThpSettings.DEFRAG, m.thp.defrag);
            case "kernel/mm/transparent_hugepage/use_zero_page": return m.thp.useZeroPage ? "1" : "0";
            case "kernel/mm/transparent_hugepage/hpage_pmd_size": return Long.toString(m.geometry.pmdSize());
            case "kernel/mm/transparent_hugepage/shmem_enabled": return ThpSettings.show(hugesim.mm.shmem.Shmem.ENABLED, m.shmem.enabled());
            case "block/zram0/mm_stat": return zramMmStat();
            default: break;
        }
        String khugepaged = KhugepagedSysfs.read(k.khugepaged, p);
        if (khugepaged != null) return khugepaged;
        HugetlbSysfs.Attr a = hugetlbSysfs.parse(p);
        if (a != null) return hugetlbSysfs.read(a);
        String text = nodeMeminfo(p);
        if (text != null) return text;
        throw new IllegalArgumentException("no such sysfs file in the model: /sys/" + p);
    }

    /**
     * zram's mm_stat: orig_data_size compr_data_size mem_used_total mem_limit mem_used_max same_pages
     * pages_compacted huge_pages huge_pages_since, in bytes and pages as the driver prints them; the model
     * keeps the first three (mem_used_max, same pages and huge pages are 0).
     */
    private String zramMmStat() {
        if (m.swap.kind != hugesim.mm.swap.SwapKind.ZRAM) throw new IllegalArgumentException("no such sysfs file in the model: /sys/block/zram0/mm_stat (the swap device is not zram)");
        long ps = m.geometry.pageSize();
        long orig = m.swap.usedSlots() * ps;
        return String.format("%8d %8d %8d %8d %8d %8d %8d %8d %8d", orig, (long) (orig / m.swap.ratio),
                k.reclaim.zramPages() * ps, 0, 0, 0, 0, 0, 0);
    }

    /** /sys/devices/system/node/nodeN/meminfo's text, or null for another path or a node the machine lacks. */
    private String nodeMeminfo(String p) {
        java.util.regex.Matcher n = NODE_MEMINFO.matcher(p);
        return n.matches() ? nodeMeminfo.read(Integer.parseInt(n.group(1))) : null;
    }

    /** Writes a sysfs file; returns 0 or a negative errno as write(2) would. */
    public int sysfsWrite(String path, String value) {
        String p = path.startsWith("/sys/") ? path.substring(5) : path;
        String v = value.trim();
        switch (p) {
            case "kernel/mm/transparent_hugepage/enabled":
                if (!ThpSettings.ENABLED.contains(v)) return -hugesim.uapi.Errno.EINVAL;
                m.thp.enabled = v;
                k.khugepaged.startStop();   // enabled_store() → start_stop_khugepaged()
                return 0;
            case "kernel/mm/transparent_hugepage/defrag":
                if (!ThpSettings.DEFRAG.contains(v)) return -hugesim.uapi.Errno.EINVAL;
                m.thp.defrag = v;
                return 0;
            case "kernel/mm/transparent_hugepage/use_zero_page":
                m.thp.useZeroPage = !v.equals("0");
                return 0;
            case "kernel/mm/transparent_hugepage/shmem_enabled":
                return m.shmem.setEnabled(v) ? 0 : -hugesim.uapi.Errno.EINVAL;
            default:
                break;
        }
        if (p.startsWith("kernel/mm/reserved_thp/")) return -hugesim.uapi.Errno.EACCES;   // read-only (rule 9)
        Integer khugepaged = KhugepagedSysfs.write(k.khugepaged, p, v);
        if (khugepaged != null) return khugepaged;
        HugetlbSysfs.Attr a = hugetlbSysfs.parse(p);
        if (a != null) return hugetlbSysfs.write(a, v);
        if (nodeMeminfo(p) != null) return -hugesim.uapi.Errno.EACCES;   // DEVICE_ATTR(meminfo, 0444)
        return -hugesim.uapi.Errno.ENOENT;
    }

    public long sysctl(String name) {
        return switch (name) {
            case "vm.nr_hugepages" -> m.defaultHstate.persistent();
            case "vm.nr_overcommit_hugepages" -> m.defaultHstate.overcommit();
            case "vm.min_free_kbytes" -> k.minFreeKbytes();
            case "vm.watermark_scale_factor" -> k.watermarkScaleFactor();
            case "vm.max_map_count" -> k.mmap.maxMapCount;
            case "vm.extfrag_threshold" -> k.compaction.extfragThreshold();
            case "vm.swappiness" -> k.reclaim.swappiness();
            case "vm.dirty_ratio" -> m.flusher.getDirtyRatio();
            case "vm.dirty_background_ratio" -> m.flusher.getDirtyBackgroundRatio();
            case "vm.dirty_expire_centisecs" -> m.flusher.getDirtyExpireCentisecs();
            case "vm.dirty_writeback_centisecs" -> m.flusher.getDirtyWritebackCentisecs();
            case "vm.compaction_proactiveness" -> k.compaction.proactiveness();
            case "vm.watermark_boost_factor" -> k.watermarkBoostFactor();
            case "vm.page-cluster" -> m.swap.readahead.pageCluster();
            default -> throw new IllegalArgumentException("no sysctl '" + name + "' in the model");
        };
    }

    public int sysctl(String name, long value) {
        switch (name) {
            case "vm.nr_hugepages" -> m.defaultHstate.setPersistent(value);
            case "vm.nr_overcommit_hugepages" -> m.defaultHstate.setOvercommit(value);
            case "vm.min_free_kbytes" -> { if (value < 0) return -hugesim.uapi.Errno.EINVAL; k.setMinFreeKbytes(value); }
            case "vm.watermark_scale_factor" -> { if (value < 1 || value > 3000) return -hugesim.uapi.Errno.EINVAL; k.setWatermarkScaleFactor(value); }
            // proc_dointvec_minmax() with extra1 = SYSCTL_ZERO
            case "vm.max_map_count" -> { if (value < 0 || value > Integer.MAX_VALUE) return -hugesim.uapi.Errno.EINVAL; k.mmap.maxMapCount = value; }
            case "vm.extfrag_threshold" -> { if (value < 0 || value > 1000) return -hugesim.uapi.Errno.EINVAL; k.compaction.setExtfragThreshold((int) value); }
            // writing 1 compacts every zone (sysctl_compaction_handler()); the writing task waits for the migrations
            case "vm.compact_memory" -> { if (value != 1) return -hugesim.uapi.Errno.EINVAL; k.compaction.compactMemory(); }
            // proc_dointvec_minmax() with 0 and 200 (SYSCTL_TWO_HUNDRED)
            case "vm.swappiness" -> { if (!k.reclaim.setSwappiness(value)) return -hugesim.uapi.Errno.EINVAL; }
            // proc_dointvec_minmax() with 1 and 4: 1 page cache, 2 slab, 3 both, 4 quiet
            case "vm.drop_caches" -> { if (value < 1 || value > 4) return -hugesim.uapi.Errno.EINVAL; k.reclaim.dropCaches((int) value); }
            case "vm.dirty_ratio" -> { if (value < 0 || value > 100) return -hugesim.uapi.Errno.EINVAL; m.flusher.setDirtyRatio((int) value); }
            case "vm.dirty_background_ratio" -> { if (value < 0 || value > 100) return -hugesim.uapi.Errno.EINVAL; m.flusher.setDirtyBackgroundRatio((int) value); }
            case "vm.dirty_expire_centisecs" -> { if (value < 0 || value > Integer.MAX_VALUE) return -hugesim.uapi.Errno.EINVAL; m.flusher.setDirtyExpireCentisecs(value); }
            case "vm.dirty_writeback_centisecs" -> { if (value < 0 || value > Integer.MAX_VALUE) return -hugesim.uapi.Errno.EINVAL; m.flusher.setDirtyWritebackCentisecs(value); }
            // proc_dointvec_minmax() with SYSCTL_ZERO .. SYSCTL_ONE_HUNDRED
            case "vm.compaction_proactiveness" -> { if (value < 0 || value > 100) return -hugesim.uapi.Errno.EINVAL; k.compaction.setProactiveness((int) value); }
            // proc_dointvec_minmax() with SYSCTL_ZERO
            case "vm.watermark_boost_factor" -> { if (value < 0 || value > Integer.MAX_VALUE) return -hugesim.uapi.Errno.EINVAL; k.setWatermarkBoostFactor((int) value); }
            // proc_dointvec_minmax() with SYSCTL_ZERO and page_cluster_max (31)
            case "vm.page-cluster" -> { if (!m.swap.readahead.setPageCluster(value)) return -hugesim.uapi.Errno.EINVAL; }
            default -> throw new IllegalArgumentException("no sysctl '" + name + "' in the model");
        }
        return 0;
    }

    /** /proc/PID/smaps fields of the mapping containing {@code addr}, in kB (VmFlags as text). */
    public Map<String, Object> smaps(Task t, long addr) {
        Vma v = t.mm.find(addr);
        if (v == null) return null;
        long rss = 0, thp = 0, swap = 0, hugetlb = 0, shmemPmd = 0;
        for (int i = 0; i < v.slots(); i++) {
            switch (v.kind(i)) {
                case Vma.PMD_THP -> { thp += m.geometry.pmdPages(); rss += m.geometry.pmdPages(); }
                case Vma.FILE_PMD -> { shmemPmd += m.geometry.pmdPages(); rss += m.geometry.pmdPages(); }
                case Vma.HUGETLB -> hugetlb += v.hstate.size / m.geometry.pageSize();
                default -> { }
            }
            rss += v.pte(i);
            swap += v.swp(i);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Size", v.length() / 1024);
        out.put("Rss", kB(rss));
        out.put("AnonHugePages", kB(thp));
        if (v.shmem != null) out.put("ShmemPmdMapped", kB(shmemPmd));
        out.put("Private_Hugetlb", kB(hugetlb));
        out.put("Swap", kB(swap));
        out.put("VmFlags", hugesim.mm.vma.VmFlags.smaps(v.flags));
        return out;
    }

    /**
     * A hugetlb controller file under /sys/fs/cgroup, e.g. {@code a/hugetlb.2MB.rsvd.current} (bytes, or
     * the count of max events for {@code events}).
     */
    public long cgroup(String path) {
        String[] p = cgroupPath(path);
        return k.cgroup(p[0]).read(hugeSize(p[1]), p[2]);
    }

    /**
     * A cgroup file: a memory controller file ({@code svc/memory.current}: bytes, "max", or a map for
     * memory.stat, memory.events and memory.swap.events) or a hugetlb one (see {@link #cgroup(String)}).
     */
    public Object cgroupFile(String path) {
        if (MemcgFiles.isMemcg(path)) return new MemcgFiles(k).read(path);
        return cgroup(path);
    }

    public void cgroup(String path, long value) {
        String[] p = cgroupPath(path);
        k.cgroup(p[0]).write(hugeSize(p[1]), p[2], value);
    }

    /** "a/hugetlb.2MB.rsvd.max" → {"a", "2MB", "rsvd.max"}. */
    private static String[] cgroupPath(String path) {
        int slash = path.indexOf('/');
        String file = slash < 0 ? "" : path.substring(slash + 1);
        if (slash <= 0 || !file.startsWith("hugetlb.") || file.indexOf('.', 8) < 0) {
            throw new IllegalArgumentException("a hugetlb cgroup file looks like 'NAME/hugetlb.2MB.max', got '" + path + "'");
        }
        int dot = file.indexOf('.', 8);
        return new String[] {path.substring(0, slash), file.substring(8, dot), file.substring(dot + 1)};
    }

    /** "2MB" → 2 MiB, as the controller names sizes (hugetlb_cgroup's mem_fmt). */
    private long hugeSize(String s) {
        long unit = s.endsWith("GB") ? 1L << 30 : s.endsWith("MB") ? 1L << 20 : s.endsWith("KB") ? 1L << 10 : 0;
        long size;
        try {
            size = unit == 0 ? -1 : Long.parseLong(s.substring(0, s.length() - 2)) * unit;
        } catch (NumberFormatException e) {
            size = -1;
        }
        if (size < 0 || m.hstate(size) == null) throw new IllegalArgumentException("no huge page size '" + s + "' on this machine");
        return size;
    }

    /**
     * /proc/zoneinfo, per zone (one Normal zone per node in the model): watermarks, managed and free pages, the
     * per-CPU list's count, high and batch, and the RFC's nr_reserved_thp / nr_free_reserved_thp (pages).
     */
    public java.util.List<Map<String, Object>> zoneinfo() {
        java.util.List<Map<String, Object>> out = new java.util.ArrayList<>();
        for (var z : m.pages.zones()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("node", z.node);
            row.put("zone", z.name);
            row.put("boost", z.watermarkBoost());
            row.put("min", z.min());
            row.put("low", z.low());
            row.put("high", z.high());
            row.put("managed", z.managedPages());
            row.put("nr_free_pages", z.freePages());
            // the pagesets: the model's one list per node stands for every CPU's
            row.put("pcp_count", (long) m.pages.pcpCount(z.node));
            row.put("pcp_high", m.pages.pcpHigh(z.node));
            row.put("pcp_batch", (long) m.pages.pcpBatch(z.node));
            if (m.nosplit.on()) {
                nosplitZoneinfo(out, row, z);
                continue;
            }
            row.put("nr_reserved_thp", (long) z.blocks(MigrateType.RESERVED_THP) * z.blockPages);
            row.put("nr_free_reserved_thp", z.freePages(MigrateType.RESERVED_THP));
            out.add(row);
        }
        return out;
    }

    /**
     * The zoneNosplit design (docs/model.md rule 64): the node's ZONE_NOSPLIT is a zone of its own here, its
     * pages taken out of the Normal zone's managed and free counts. Its watermarks are the Normal zone's (the
     * model keeps one zone per node).
     */
    private void nosplitZoneinfo(java.util.List<Map<String, Object>> out, Map<String, Object> normal, hugesim.mm.page.Zone z) {
        long pages = (long) z.blocks(MigrateType.RESERVED_THP) * z.blockPages, free = z.freePages(MigrateType.RESERVED_THP);
        normal.put("managed", z.managedPages() - pages);
        normal.put("nr_free_pages", z.freePages() - free);
        normal.put("nr_reserved_thp", 0L);
        normal.put("nr_free_reserved_thp", 0L);
        out.add(normal);
        Map<String, Object> row = new LinkedHashMap<>(normal);
        row.put("zone", "NoSplit");
        row.put("managed", pages);
        row.put("nr_free_pages", free);
        row.put("pcp_count", 0L);   // page tables never come from the nosplit zone
        out.add(row);
    }

    /**
     * show_free_areas()'s line per zone, as the OOM killer's dump and sysrq-m print it, with the RFC's
     * reserved_thp and free_reserved_thp (rule 15: the only place the RFC shows its zone counters).
     * Fields the model does not keep (LRU sizes, per-CPU lists, boost, mlocked, bounce) are left out.
     */
    public java.util.List<String> showMem() {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (var z : m.pages.zones()) {
            out.add(String.format("Node %d %s free:%dkB min:%dkB low:%dkB high:%dkB reserved_highatomic:0KB free_highatomic:0KB"
                            + " reserved_thp:%dKB free_reserved_thp:%dKB present:%dkB managed:%dkB free_cma:%dkB",
                    z.node, z.name, kB(z.freePages()), kB(z.min()), kB(z.low()), kB(z.high()),
                    kB((long) z.blocks(MigrateType.RESERVED_THP) * z.blockPages), kB(z.freePages(MigrateType.RESERVED_THP)),
                    kB(z.managedPages()), kB(z.managedPages()), kB(z.freePages(MigrateType.CMA))));
        }
        return out;
    }

    private long kB(long pages) { return m.geometry.kB(pages); }

    /** /proc/pagetypeinfo's block counts: pageblocks per migratetype over all zones. */
    public Map<String, Long> pagetypeinfo() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (MigrateType t : MigrateType.VALUES) out.put(t.procName, m.pages.pageblocks(t));
        return out;
    }

    /** Free chunks per order of zone {@code z} and type {@code t}, orders 0 to MAX_PAGE_ORDER. */
    private static long[] freeArea(Zone z, MigrateType t) {
        long[] n = new long[z.maxOrder() + 1];
        for (int o = 0; o <= z.maxOrder(); o++) n[o] = z.nrFree(t, o);
        return n;
    }

    private static long[] freeArea(Zone z) {
        long[] n = new long[z.maxOrder() + 1];
        for (MigrateType t : MigrateType.VALUES) {
            long[] f = freeArea(z, t);
            for (int o = 0; o < n.length; o++) n[o] += f[o];
        }
        return n;
    }

    /** /proc/buddyinfo: per zone, free chunks of each order, 0 to MAX_PAGE_ORDER. */
    public java.util.List<String> buddyinfo() {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (Zone z : m.pages.zones()) {
            StringBuilder b = new StringBuilder(String.format("Node %d, zone %8s", z.node, z.name));
            for (long n : freeArea(z)) b.append(String.format(" %6d", n));
            out.add(b.toString());
        }
        return out;
    }

    /**
     * /proc/pagetypeinfo's first table: free chunks per order for each zone and migratetype (rows
     * {node, zone, type, free: [order 0 … MAX_PAGE_ORDER]}).
     */
    public java.util.List<Map<String, Object>> pagetypeinfoFree() {
        java.util.List<Map<String, Object>> out = new java.util.ArrayList<>();
        for (Zone z : m.pages.zones()) {
            for (MigrateType t : MigrateType.VALUES) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("node", z.node);
                row.put("zone", z.name);
                row.put("type", t.procName);
                row.put("free", java.util.Arrays.stream(freeArea(z, t)).boxed().toList());
                out.add(row);
            }
        }
        return out;
    }

    /**
     * /sys/kernel/debug/extfrag/unusable_index for one zone (mm/vmstat.c unusable_free_index()): per
     * order, the share of free memory in chunks too small for it, in thousandths (1000 when nothing is free).
     */
    public static int[] unusableIndex(Zone z) {
        long[] f = freeArea(z);
        long free = 0;
        for (int o = 0; o < f.length; o++) free += f[o] << o;
        int[] idx = new int[f.length];
        for (int order = 0; order < f.length; order++) {
            long suitable = 0;
            for (int o = order; o < f.length; o++) suitable += f[o] << (o - order);
            idx[order] = free == 0 ? 1000 : (int) ((free - (suitable << order)) * 1000 / free);
        }
        return idx;
    }

    /** unusable_index as the file prints it: "Node 0, zone   Normal 0.000 0.012 …". */
    public java.util.List<String> unusableIndex() {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (Zone z : m.pages.zones()) {
            StringBuilder b = new StringBuilder(String.format("Node %d, zone %8s", z.node, z.name));
            for (int i : unusableIndex(z)) b.append(String.format(" %d.%03d", i / 1000, i % 1000));
            out.add(b.toString());
        }
        return out;
    }
}
