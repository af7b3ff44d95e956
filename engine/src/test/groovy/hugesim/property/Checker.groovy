package hugesim.property

import groovy.transform.CompileStatic
import hugesim.kernel.Kernel
import hugesim.kernel.Task
import hugesim.kernel.Views
import hugesim.mm.VmStat
import hugesim.mm.hugetlb.Hstate
import hugesim.mm.hugetlb.HugetlbFile
import hugesim.mm.page.BlockSet
import hugesim.mm.page.MigrateType
import hugesim.mm.page.PageAllocator
import hugesim.mm.page.PageRuns
import hugesim.mm.page.Zone
import hugesim.mm.shmem.ShmemFile
import hugesim.mm.shmem.ShmemFolio
import hugesim.mm.swap.SwapDevice
import hugesim.mm.vma.LruFolio
import hugesim.mm.vma.Mm
import hugesim.mm.vma.VmFlags
import hugesim.mm.vma.Vma
import hugesim.record.Event

import java.lang.reflect.Field

/**
 * The invariants, read from the model's state (public fields, and private ones by reflection) after every
 * op. "Quiescent" means no swap transfer is in flight (the device is idle and no window is marked
 * under I/O); some identities hold exactly only then and as inequalities while I/O is in flight.
 *
 * <ul>
 * <li>I1 pageblocks: per zone, every block sits on at most one free or broken list, that of its own
 *     migratetype; blocks per migratetype sum to the zone's blocks and equal their boot counts (nothing in
 *     the op set changes a block's type); the zone's free-page counter is the sum of its free lists and
 *     lies in [0, managed]; managed pages never change, but for boot HugeTLB pages (from memblock) that a
 *     node's nr_hugepages write freed: each gives its 512 pages back to its zone's managed pages.</li>
 * <li>I2 counters: every /proc/meminfo field and /proc/vmstat counter ≥ 0; used_hpages ≤ total_hpages
 *     unless overcommitting; HugePages_Free ≤ Total, Rsvd ≤ Free; SwapFree ≤ SwapTotal; the pool's free
 *     list holds Free pages; the swap device's cluster bookkeeping agrees with itself; per process:
 *     counters ≥ 0, VMAs page-aligned and disjoint, per window 0 ≤ pte, swp and pte + swp ≤ the window's
 *     pages in the VMA (nothing invented), EMPTY windows hold nothing, a PMD THP lies wholly inside its
 *     VMA, thps = PMD-mapped windows, swapEntries = swap entries of its windows, anonPages ≥ its PTE
 *     pages (= when quiescent: a swap-in in flight holds pages not yet in a PTE), and a window marked
 *     under I/O has I/O in flight.</li>
 * <li>I3 quota: used_hpages = Σ over live processes of (length of VM_RESERVED_THP VMAs / 2 MiB, floored:
 *     rule 20) − the growth debt. The RFC charges at madvise, mremap and fork and uncharges what a VMA spans
 *     at munmap, exit and MADV_(NO)HUGEPAGE, but a reserved MAP_GROWSDOWN VMA grows at fault time uncharged
 *     (rules 19, 44): each growth adds its hpages to the debt, which stays when the grown VMA is uncharged
 *     (the uncharge takes them from other charges). An uncharge larger than used clamps used to 0 (rule 19):
 *     that is what the rules say exactly when the sum less the debt falls below 0; the debt then becomes the
 *     sum, and the first clamp must have left a kernel_warning. Every reserved VMA ends on a PMD boundary
 *     and starts on one unless it is a stack grown below its charged part.</li>
 * <li>I4 HugeTLB: HugePages_Rsvd = RESV windows of live HugeTLB VMAs; HugePages_Total − HugePages_Free =
 *     distinct HugeTLB pages mapped; no mapped page is on the free list; in the sharedPool design
 *     (docs/model.md 7.2) the pool pages mapped as reserved THPs count as in use too, every one of them is
 *     marked lent, and HugePages_Rsvd adds the charges not faulted, min(used_hpages − pool THPs, Free − HugeTLB's
 *     reservations) (rules 59, 63); in the memPool design (docs/model.md 9) HugePages_Rsvd adds the
 *     reservations the live pool files hold and the pages in use add their pages, mapped or not; each node
 *     holds exactly its files' reservations, no more than its free pages, and memory.pool.current sums to what
 *     the files made in cgroups reserve and hold (rules 81-83); per node, nr − surplus = the
 *     node's persistent pages at boot or as its last nr_hugepages write left them (nr_overcommit_hugepages
 *     is 0: nothing else changes them), and the nodes' nr, free and surplus sum to HugePages_Total, Free and
 *     Surp. A node's write must leave the other nodes' persistent pages alone and give the node exactly the
 *     count when shrinking (pages in use become surplus), between what it had and the count when growing.</li>
 * <li>I5 conservation: managed − free pages = 512 × distinct THP blocks mapped + 4 KiB pages in PTE
 *     windows + 512 × HugeTLB pages taken from the buddy allocator (boot pages come from memblock, outside
 *     managed), when quiescent (≥ otherwise: a write in flight holds its folio until it completes); every
 *     mapped THP block is held (not free, not broken) and is a RESERVED_THP block exactly when its window
 *     is marked RESERVED_BLOCK; free reserved blocks + reserved blocks mapped = reserved blocks (≤ in
 *     flight); swap: free slots + entries held = total slots (≤ in flight; free slots + entries never
 *     exceed it), and a whole-THP swap cluster belongs to one window and is not free.
 *     Memory shared copy-on-write after fork counts once. In the zoneNosplit design (docs/model.md 7.3) the
 *     zone's blocks are those reserved blocks, and none of them holds 4 KiB pages (rules 65, 67; a split of one
 *     of its folios throws in the engine).</li>
 * <li>I6 boot state: after every process exited and all I/O completed, MemFree, pagetypeinfo, the
 *     HugePages_* counters, used_hpages, SwapFree and the free reserved blocks are back at their boot
 *     values, AnonPages and AnonHugePages are 0, and every exited process holds no VMA, page or swap
 *     entry. Nodes' nr_hugepages writes move the boot state of the pool: HugePages_Total and Free are the
 *     persistent pages as written, MemFree 2 MiB less per page gained; surplus pages a node's write could
 *     not free while reserved may stay behind, free, when a later write grew only another node's pool
 *     (the kernel does the same): they count as pool pages.</li>
 * <li>I7 presence (a feature of its own): what a process wrote and has not released (munmap,
 *     MADV_DONTNEED) is still present, resident or in swap: per window, present pages ≥ written pages.
 *     Windows part of which was released since their last write fault are left out: the model counts
 *     4 KiB pages per window without placing them (a documented simplification), so it cannot know
 *     which of their pages remain.</li>
 * <li>I8 LRU (docs/model.md 5.2): every window of a live process holding memory for the evictable lists
 *     (a THP, or 4 KiB pages; not HugeTLB, not mlocked) has an entry of its own: owned by that process,
 *     found again by its address, on the inactive or active list (a THP's on the node of its block), or
 *     off the lists only while the window is under swap I/O.</li>
 * <li>I9 memcg (docs/model.md 8, rule 72), when the processes run in memory cgroups: the cgroups' memory.current
 *     add up to the pages charged, the anonymous pages and THPs mapped, the swap cache's unmapped pages and the
 *     page cache (every process, fork children included, is in a cgroup, so all of them are charged); each
 *     cgroup's memory.current and memory.swap.current ≥ 0, and a folio on the LRU carries its process's cgroup.</li>
 * </ul>
 *
 * Findings about the RFC (not model bugs): rule19 when a kernel_warning event appears; rule19-eaten when
 * used_hpages is below what the live reserved VMAs were charged (their hpages less the stack growth in them,
 * uncharged): the uncharge of a grown stack took another VMA's charge; rule32 when, at a quiescent point,
 * the charges of live reserved VMAs are ≤ total_hpages but free reserved blocks, plus the reserved THPs
 * in uncharged stack growth, are fewer than total − charges: blocks are held beyond any charge.
 */
@CompileStatic
final class Checker {
    static final Map<String, String> NAMES = [
            I0: '(the engine threw)',
            I1: '(pageblocks conserved per migratetype)',
            I2: '(counters non-negative and consistent)',
            I3: '(used_hpages = reserved VMAs of live processes / 2 MiB)',
            I4: '(HugePages counters = HugeTLB pages mapped and reserved)',
            I5: '(physical memory and swap conserved)',
            I6: '(boot state restored after every process exited)',
            I7: '(written data stays present)',
            I9: '(the cgroups\' memory.current add up to the pages charged)',
    ]

    private static final long BOOT_PAGE = 1L << 62
    private static final int T = MigrateType.VALUES.length
    private static final byte UNMAPPED_BIT = unmappedBit()

    final Run run
    final Kernel k
    /** The first I7 violation, if any: recorded rather than thrown. */
    Violation presenceViolation
    private final Map<String, Object> boot = [:]
    private int[][] bootBlocks
    private long[] bootManaged
    /**
     * The default pool's persistent pages per node (nr − surplus): their boot values, then what the last
     * write of the node's nr_hugepages left (NODE_HUGEPAGES). Nothing else changes them: nr_overcommit_hugepages
     * is 0, so pages above these are surplus and leave the pool when freed.
     */
    private long[] pool
    private long bootPool
    /** Per zone: pool pages taken from memblock at boot (outside managed; freeing one gives it back to the buddy allocator). */
    private long[] bootPoolPages
    /** Writes of a node's nr_hugepages so far. */
    private int poolWrites
    private int eventsSeen
    private boolean warned
    /**
     * Hpages that stack growth added to reserved VMAs without a charge (rule 19), less what clamping at 0
     * forgave: used_hpages = the reserved VMAs' hpages − this.
     */
    private long growthDebt
    /** Per process slot: where its reserved stacks grew uncharged; kept to the live reserved VMAs of the slot. */
    private final Map<Integer, Intervals> uncharged = new TreeMap<>()
    /** Stack growths (any, and of reserved VMAs) seen: for the campaign's coverage line. */
    long stackGrowths, reservedStackGrowths
    /** Checks that found memPool's files holding pages, and holding reservations on a node (docs/model.md 9). */
    long poolFilePages, poolFileResv

    /** Checks that found a THP of the zoneNosplit design's zone mapped by its PMD, and one mapped by PTEs. */
    long nosplitThps, nosplitPteMapped
    /** Coverage: windows seen mapping shmem pages, and by a PMD. */
    long shmemMapped, shmemPmdMapped
    final Map<String, Finding> findings = new LinkedHashMap<>()

    Checker(Run run, Kernel k) {
        this.run = run
        this.k = k
        snapshotBoot()
    }

    private static byte unmappedBit() {
        Field f = Vma.declaredFields.find { Field x -> x.name == 'UNMAPPED' }
        f == null ? (byte) 0 : (byte) f.get(null)
    }

    private static final Map<String, Field> FIELDS = new java.util.concurrent.ConcurrentHashMap<>()

    /** A field of the model, private or not. */
    static Object get(Object o, String name) {
        String key = o.getClass().name + '.' + name
        Field f = FIELDS.get(key)
        if (f == null) {
            f = o.getClass().getDeclaredField(name)
            f.accessible = true
            FIELDS.put(key, f)
        }
        f.get(o)
    }

    /** The pool's free pages, every node's hugepage_freelists[] together. */
    static List<Long> freeList(Hstate h) {
        List<Long> out = []
        for (Object list : (Object[]) get(h, 'freeLists')) out.addAll((Collection<Long>) list)
        out
    }

    private static String win(String proc, Vma v, int i) {
        "${proc}: window ${String.format('0x%x', v.slotStart(i))} of ${v}"
    }

    private static void fail(String invariant, String detail) {
        throw new Violation(invariant, detail)
    }

    private void snapshotBoot() {
        Views v = k.views
        for (String f : ['MemFree', 'HugePages_Total', 'HugePages_Free', 'HugePages_Rsvd', 'HugePages_Surp', 'SwapFree',
                         'AnonPages', 'AnonHugePages', 'PageTables']) {
            boot[f] = v.meminfo(f)
        }
        boot.pagetypeinfo = new LinkedHashMap<String, Long>(v.pagetypeinfo())
        boot.used = k.m.rthp.used()
        boot.total = k.m.rthp.total()
        boot.freeReserved = k.m.pages.freePages(MigrateType.RESERVED_THP)
        List<Zone> zones = k.m.pages.zones()
        Hstate h = k.m.defaultHstate
        pool = new long[h.nodes()]
        for (int n = 0; n < h.nodes(); n++) {
            pool[n] = h.total(n) - h.surplus(n)
            bootPool += pool[n]
        }
        bootPoolPages = bootPagesPerZone(zones.size(), false)
        bootBlocks = new int[zones.size()][]
        bootManaged = new long[zones.size()]
        for (int z = 0; z < zones.size(); z++) {
            bootBlocks[z] = new int[T]
            for (int t = 0; t < T; t++) bootBlocks[z][t] = zones[z].blocks(MigrateType.VALUES[t])
            bootManaged[z] = zones[z].managedPages()
        }
    }

    private long now() { k.env().now() }

    /**
     * Per zone, the pool pages of the default hstate that came from memblock at boot: on its free lists and
     * (with {@code mapped}) mapped by live processes (HugeTLB pages are freed at once when their last user goes).
     */
    private long[] bootPagesPerZone(int zones, boolean mapped) {
        long[] out = new long[zones]
        Hstate h = k.m.defaultHstate
        Set<Long> pages = new HashSet<>()
        for (Object x : freeList(h)) pages << (Long) x
        if (mapped) {
            for (Task t : live()) for (Vma v : t.mm.vmas()) {
                if (!v.has(VmFlags.VM_HUGETLB) || v.hstate != h) continue
                for (int i = 0; i < v.slots(); i++) if (v.kind(i) == Vma.HUGETLB) pages << v.page(i)
            }
        }
        for (Long x : pages) if ((x & BOOT_PAGE) != 0) out[PageAllocator.node(x & ~BOOT_PAGE)]++
        out
    }

    /**
     * A write of node {@code node}'s nr_hugepages to {@code count} returned 0 (-1: it failed, nothing may
     * change). set_max_huge_pages() restricted to the node: other nodes keep their persistent pages; the
     * node gets exactly {@code count} when shrinking (free pages go, pages in use become surplus), and when
     * growing at least what it had and at most {@code count} (allocation may fall short silently).
     */
    void poolWritten(int node, long count, long[] before) {
        Hstate h = k.m.defaultHstate
        for (int n = 0; n < h.nodes(); n++) {
            long now = h.total(n) - h.surplus(n)
            if (n != node && now != before[n]) {
                fail('I4', "writing ${node < 0 ? 'a missing node\'s' : "node ${node}'s"} nr_hugepages (${count}) changed node ${n}'s persistent pages from ${before[n]} to ${now}")
            }
            if (n == node && (count <= before[n] ? now != count : now < before[n] || now > count)) {
                fail('I4', "node ${n}'s nr_hugepages written ${count}: its persistent pages went from ${before[n]} to ${now}")
            }
            pool[n] = now
        }
        poolWrites++
    }

    private long swapBusyUntil() { (long) get(k.m.swap, 'busyUntil') }

    private List<Task> live() {
        List<Task> out = []
        for (Task t : k.tasks()) if (!t.exited() && t.started()) out << t
        out
    }

    /** True when no swap transfer is in flight. */
    boolean quiescent() {
        if (now() <= swapBusyUntil()) return false
        for (Task t : live()) for (Vma v : t.mm.vmas()) for (int i = 0; i < v.slots(); i++) if (v.is(i, Vma.WRITEBACK)) return false
        true
    }

    /** Every invariant but I6; throws {@link Violation}. Records findings. Returns whether no I/O is in flight. */
    boolean check() {
        scanEvents()
        boolean q = quiescent()
        zones()
        counters(q)
        long charges = quota()
        hugetlb(q)
        conservation(q)
        if (presenceViolation == null) presence()
        if (q) rule32(charges)
        if (run.seq.memcg != null) memcg()
        q
    }

    /** I9: every page charged is charged to one cgroup, and the cgroups' counters hold no less than 0. */
    private void memcg() {
        long sum = 0
        for (def e : k.memcgs().entrySet()) {
            def cg = e.value
            if (cg.current() < 0 || cg.swapCurrent() < 0) fail('I9', "cgroup ${e.key}: memory.current ${cg.current()}, memory.swap.current ${cg.swapCurrent()} pages")
            sum += cg.current()
        }
        long charged = k.m.anon.anonPages() + k.m.anon.thps() * Model.PMD_PAGES + k.reclaim.swapCache.unmappedPages() + k.m.pageCache.cachedPages() +
                k.m.shmem.shmemPages()
        if (sum != charged) {
            fail('I9', "the cgroups' memory.current add up to ${sum} pages, charged are ${charged}: ${k.m.anon.anonPages()} 4 KiB anonymous, " +
                    "${k.m.anon.thps()} THPs, ${k.reclaim.swapCache.unmappedPages()} in the swap cache, ${k.m.pageCache.cachedPages()} of page cache")
        }
        for (Task t : live()) {
            for (Vma v : t.mm.vmas()) {
                for (int i = 0; i < v.slots(); i++) {
                    LruFolio f = v.lru(i)
                    if (f != null && f.mm == t.mm && f.memcg != t.mm.memcg) fail('I9', "${win(t.mm.name, v, i)}: its LRU entry is charged to another cgroup")
                }
            }
        }
    }

    /**
     * A fault below a VM_GROWSDOWN VMA of process slot {@code slot} is about to grow it (expand_stack()):
     * grows it now, the same way, and notes the hpages a reserved VMA gains uncharged. False when it may not grow.
     */
    boolean growStack(int slot, Task t, long addr) {
        Vma v = t.mm.findVma(addr)
        if (v == null || v.start <= addr) return false
        long oldStart = v.start
        boolean reserved = v.has(VmFlags.VM_RESERVED_THP)
        Vma g = k.stack.expandStack(t.mm, addr)
        if (g == null) return false
        stackGrowths++
        if (!reserved) return true
        reservedStackGrowths++
        growthDebt += (g.end - g.start).intdiv(Model.PMD) as long
        growthDebt -= (g.end - oldStart).intdiv(Model.PMD) as long
        uncharged.computeIfAbsent(slot) { new Intervals() }.add(g.start, oldStart)
        true
    }

    private void scanEvents() {
        List<Event> events = k.m.events()
        while (eventsSeen < events.size()) {
            Event e = events[eventsSeen++]
            if (e.kind() == 'kernel_warning') {
                warned = true
                finding('rule19', "kernel_warning at ${e.time()} s: ${e.detail()}")
            }
        }
    }

    private void finding(String kind, String detail) {
        if (!findings.containsKey(kind)) findings[kind] = new Finding(kind, detail, run.current)
    }

    // ---- I1 --------------------------------------------------------------------------------------

    private void zones() {
        List<Zone> zs = k.m.pages.zones()
        Hstate h = k.m.defaultHstate
        long[] bootNow = poolWrites == 0 ? null : bootPagesPerZone(zs.size(), true)
        for (int zi = 0; zi < zs.size(); zi++) {
            Zone z = zs[zi]
            byte[] type = (byte[]) get(z, 'type')
            BlockSet[] free = (BlockSet[]) get(z, 'free')
            BlockSet[] broken = (BlockSet[]) get(z, 'broken')
            long[] brokenFree = (long[]) get(z, 'brokenFree')
            int[] freeCount = (int[]) get(z, 'freeCount')
            int[] brokenCount = (int[]) get(z, 'brokenCount')
            int[] cnt = new int[T], fc = new int[T], bc = new int[T]
            for (int b = 0; b < z.nrBlocks; b++) cnt[type[b]] += 1
            for (int u = 0; u < T; u++) {
                // every block on type u's free and broken lists is of type u, and on one of them only
                for (int b = free[u].nextSetBit(0); b >= 0; b = free[u].nextSetBit(b + 1)) {
                    if (type[b] != u) fail('I1', "zone ${zi} block ${b} of type ${MigrateType.VALUES[type[b]]} is on the ${MigrateType.VALUES[u]} free list")
                    if (broken[u].get(b)) fail('I1', "zone ${zi} block ${b} (${MigrateType.VALUES[u]}) is both free and broken up")
                    fc[u] += 1
                }
                for (int b = broken[u].nextSetBit(0); b >= 0; b = broken[u].nextSetBit(b + 1)) {
                    if (type[b] != u) fail('I1', "zone ${zi} block ${b} of type ${MigrateType.VALUES[type[b]]} is on the ${MigrateType.VALUES[u]} broken list")
                    bc[u] += 1
                }
            }
            long sum = 0, blocks = 0
            for (int t = 0; t < T; t++) {
                MigrateType mt = MigrateType.VALUES[t]
                if (cnt[t] != z.blocks(mt)) fail('I1', "zone ${zi}: ${cnt[t]} blocks are of type ${mt}, the zone counts ${z.blocks(mt)}")
                if (cnt[t] != bootBlocks[zi][t]) fail('I1', "zone ${zi}: ${cnt[t]} ${mt} pageblocks, ${bootBlocks[zi][t]} at boot")
                if (fc[t] != freeCount[t]) fail('I1', "zone ${zi}: ${fc[t]} free ${mt} blocks on the list, counter says ${freeCount[t]}")
                if (bc[t] != brokenCount[t]) fail('I1', "zone ${zi}: ${bc[t]} broken ${mt} blocks on the list, counter says ${brokenCount[t]}")
                if (brokenFree[t] < 0 || brokenFree[t] > (long) bc[t] * z.blockPages) {
                    fail('I1', "zone ${zi}: ${brokenFree[t]} free ${mt} pages inside ${bc[t]} broken blocks")
                }
                // the buddy chunks below the block order hold exactly the free pages of broken blocks
                long inChunks = 0
                int blockOrder = Integer.numberOfTrailingZeros(z.blockPages)
                for (int o = 0; o < blockOrder; o++) inChunks += z.nrFree(mt, o) << o
                if (inChunks != brokenFree[t]) fail('I1', "zone ${zi}: free ${mt} chunks below order ${blockOrder} hold ${inChunks} pages, broken blocks ${brokenFree[t]} free")
                sum += z.freePages(mt)
                blocks += cnt[t]
            }
            if (blocks != z.nrBlocks) fail('I1', "zone ${zi}: blocks per migratetype sum to ${blocks}, the zone has ${z.nrBlocks}")
            if (sum != z.freePages()) fail('I1', "zone ${zi}: free lists hold ${sum} pages, nr_free_pages says ${z.freePages()}")
            if (z.freePages() < 0 || z.freePages() > z.managedPages()) {
                fail('I1', "zone ${zi}: ${z.freePages()} free pages of ${z.managedPages()} managed")
            }
            // boot pool pages a node's nr_hugepages write freed went back to the buddy allocator
            long returned = poolWrites == 0 ? 0 : (bootPoolPages[zi] - bootNow[zi]) * (h.size.intdiv(Model.PAGE) as long)
            if (z.managedPages() != bootManaged[zi] + returned) {
                fail('I1', "zone ${zi}: ${z.managedPages()} managed pages, ${bootManaged[zi]} at boot" + (returned != 0 ? " and ${returned} from boot HugeTLB pages freed" : ''))
            }
        }
    }

    // ---- I2 --------------------------------------------------------------------------------------

    private void counters(boolean q) {
        Views v = k.views
        for (String f : Views.MEMINFO) {
            long x = v.meminfo(f)
            if (x < 0) fail('I2', "/proc/meminfo ${f} = ${x}")
        }
        for (VmStat s : VmStat.VALUES) if (k.m.get(s) < 0) fail('I2', "/proc/vmstat ${s} = ${k.m.get(s)}")
        long total = k.m.rthp.total(), used = k.m.rthp.used()
        if (total < 0 || used < 0) fail('I2', "reserved_thp total_hpages ${total}, used_hpages ${used}")
        if (!k.m.rthp.overcommit() && used > total) fail('I2', "used_hpages ${used} > total_hpages ${total} without overcommit")
        long hT = v.meminfo('HugePages_Total'), hF = v.meminfo('HugePages_Free'), hR = v.meminfo('HugePages_Rsvd'), hS = v.meminfo('HugePages_Surp')
        if (hF > hT || hR > hF || hS > hT) fail('I2', "HugePages_Total ${hT}, Free ${hF}, Rsvd ${hR}, Surp ${hS}")
        if (v.meminfo('SwapFree') > v.meminfo('SwapTotal')) fail('I2', "SwapFree ${v.meminfo('SwapFree')} kB > SwapTotal ${v.meminfo('SwapTotal')} kB")
        if (v.meminfo('MemFree') > v.meminfo('MemTotal')) fail('I2', "MemFree ${v.meminfo('MemFree')} kB > MemTotal")
        for (Hstate h : k.m.hstates) {
            int listed = freeList(h).size()
            if (listed != h.free()) fail('I2', "HugeTLB ${h.size >> 10} kB: ${listed} pages on the free list, HugePages_Free ${h.free()}")
            Object[] lists = (Object[]) get(h, 'freeLists')
            for (int n = 0; n < h.nodes(); n++) {
                int onNode = ((Collection) lists[n]).size()
                if (onNode != h.free(n)) fail('I2', "HugeTLB ${h.size >> 10} kB node ${n}: ${onNode} pages on its free list, free_hugepages ${h.free(n)}")
                if (h.free(n) > h.total(n) || h.surplus(n) > h.total(n)) fail('I2', "HugeTLB ${h.size >> 10} kB node ${n}: nr ${h.total(n)}, free ${h.free(n)}, surplus ${h.surplus(n)}")
            }
        }
        swapDevice()
        long allAnon = k.tasks().sum(0L) { Task t -> t.mm.anonPages() } as long
        long allThps = k.tasks().sum(0L) { Task t -> t.mm.thps() } as long
        if (k.m.anon.anonPages() != allAnon || k.m.anon.thps() != allThps) {
            fail('I2', "NR_ANON_MAPPED ${k.m.anon.anonPages()} and NR_ANON_THPS ${k.m.anon.thps()}, processes hold ${allAnon} and ${allThps}")
        }
        long busyUntil = swapBusyUntil()
        onePlaceEach()
        for (Task t : live()) {
            Mm mm = t.mm
            if (mm.anonPages() < 0 || mm.thps() < 0 || mm.swapEntries < 0) {
                fail('I2', "${mm.name}: anonPages ${mm.anonPages()}, thps ${mm.thps()}, swapEntries ${mm.swapEntries}")
            }
            long prevEnd = Long.MIN_VALUE, thps = 0, pte = 0, swp = 0, shmem = 0
            for (Vma vma : mm.vmas()) {
                if (vma.dead) fail('I2', "${mm.name}: VMA ${vma} is marked dead but still mapped")
                if (vma.start >= vma.end || vma.start % Model.PAGE != 0 || vma.end % Model.PAGE != 0) fail('I2', "${mm.name}: VMA ${vma} is not page-aligned")
                if (vma.start < prevEnd) fail('I2', "${mm.name}: VMA ${vma} overlaps the one before")
                prevEnd = vma.end
                boolean huge = vma.has(VmFlags.VM_HUGETLB)
                for (int i = 0; i < vma.slots(); i++) {
                    byte kind = vma.kind(i)
                    int p = vma.pte(i), s = vma.swp(i), in = vma.pagesIn(i, (int) Model.PAGE)
                    if (p < 0 || s < 0 || p + s > in) fail('I2', "${win(mm.name, vma, i)}: ${p} resident + ${s} swapped pages in a window of ${in}")
                    if (vma.shmem != null) {
                        shmem += shmemWindow(mm, vma, i)
                        continue
                    }
                    if (kind == Vma.FILE_PMD || kind == Vma.FILE_PTE) fail('I2', "${win(mm.name, vma, i)}: kind ${kind} in a VMA that maps no shmem file")
                    placed(mm, vma, i)
                    onLru(mm, vma, i)
                    if (kind == Vma.EMPTY || kind == Vma.ZERO_THP) {
                        if (p != 0 || s != 0) fail('I2', "${win(mm.name, vma, i)}: kind ${kind} with ${p} resident and ${s} swapped pages")
                    } else if (kind == Vma.PMD_THP) {
                        thps++
                        if (p != 0 || s != 0 || !vma.windowInside(i) || vma.page(i) < 0 || huge) {
                            fail('I2', "${win(mm.name, vma, i)}: PMD THP with ${p} PTE pages, ${s} swap entries, block ${vma.page(i)}")
                        }
                    } else if (kind == Vma.HUGETLB) {
                        if (!huge || vma.page(i) < 0) fail('I2', "${win(mm.name, vma, i)}: HugeTLB page ${vma.page(i)} in a VMA that is not HugeTLB")
                    } else if (kind == Vma.PTE_THP) {
                        if (s != 0 || p == 0 || vma.page(i) < 0 || huge) {
                            fail('I2', "${win(mm.name, vma, i)}: PTE-mapped THP with ${p} PTE pages, ${s} swap entries, block ${vma.page(i)}")
                        }
                    } else if (kind != Vma.PTE) {
                        fail('I2', "${win(mm.name, vma, i)}: unknown kind ${kind}")
                    }
                    if (vma.is(i, Vma.RESERVED_BLOCK) && kind != Vma.PMD_THP && kind != Vma.PTE_THP) fail('I2', "${win(mm.name, vma, i)}: marked RESERVED_BLOCK but kind ${kind}")
                    if (vma.is(i, Vma.RESV) && !huge) fail('I2', "${win(mm.name, vma, i)}: marked RESV in a VMA that is not HugeTLB")
                    if (vma.is(i, Vma.WRITEBACK) && now() > busyUntil) {
                        fail('I2', "${win(mm.name, vma, i)}: marked under swap I/O at ${now()} ns, but the device finished its last transfer at ${busyUntil} ns")
                    }
                    pte += p
                    swp += s
                }
            }
            if (mm.shmemPages() != shmem) fail('I2', "${mm.name}: RssShmem ${mm.shmemPages()} pages, its windows map ${shmem} shmem pages")
            if (mm.thps() != thps) fail('I2', "${mm.name}: thps ${mm.thps()}, PMD-mapped windows ${thps}")
            if (mm.swapEntries != swp) fail('I2', "${mm.name}: swapEntries ${mm.swapEntries}, swap entries in its windows ${swp}")
            if (mm.anonPages() < pte || (q && mm.anonPages() != pte)) {
                fail('I2', "${mm.name}: anonPages ${mm.anonPages()}, 4 KiB pages in its windows ${pte}${q ? '' : ' (I/O in flight)'}")
            }
        }
    }

    /**
     * I2 for a window of a shmem mapping (docs/model.md 3.7): a PMD maps a THP the file holds at the window's index,
     * wholly inside the VMA; PTEs map no more pages than the file holds there; no swap entry, no share, no LRU entry.
     * Returns the shmem pages it maps.
     */
    private long shmemWindow(Mm mm, Vma vma, int i) {
        byte kind = vma.kind(i)
        ShmemFolio f = vma.shmem.folio(vma.fileIndex(i))
        if (vma.swp(i) != 0 || vma.share(i) != 0 || vma.lru(i) != null || vma.runs(i).length != 0) {
            fail('I2', "${win(mm.name, vma, i)}: shmem window with ${vma.swp(i)} swap entries, share ${vma.share(i)}, LRU entry ${vma.lru(i)}")
        }
        if (kind == Vma.FILE_PMD) {
            if (f == null || !f.huge() || !vma.windowInside(i) || vma.pte(i) != 0) fail('I2', "${win(mm.name, vma, i)}: a file PMD over ${f == null ? 'nothing' : f.huge() ? 'a THP' : '4 KiB folios'}")
            shmemMapped++
            shmemPmdMapped++
            return Model.PMD_PAGES
        }
        if (kind == Vma.FILE_PTE) {
            int held = f == null ? 0 : f.huge() ? Model.PMD_PAGES : f.pages()
            if (vma.pte(i) > held) fail('I2', "${win(mm.name, vma, i)}: ${vma.pte(i)} shmem pages mapped by PTEs, the file holds ${held} at index ${vma.fileIndex(i)}")
            if (vma.pte(i) > 0) shmemMapped++
            return vma.pte(i)
        }
        if (kind != Vma.EMPTY) fail('I2', "${win(mm.name, vma, i)}: kind ${kind} in a shmem mapping")
        0
    }

    /** Pages of window {@code i}'s part of the VMA that its shmem file holds, mapped or not: what was written there stays in the file. */
    private static int shmemHeld(Vma v, int i) {
        ShmemFolio f = v.shmem.folio(v.fileIndex(i))
        if (f == null) return 0
        if (f.huge()) return v.pagesIn(i, (int) Model.PAGE)
        return Math.max(0, Math.min(v.endPage(i, (int) Model.PAGE), f.pages()) - v.firstPage(i, (int) Model.PAGE))
    }

    /** The shmem files live processes hold, by a descriptor or a mapping. */
    private Set<ShmemFile> shmemFiles() {
        Set<ShmemFile> files = new LinkedHashSet<>()
        for (Task t : live()) {
            for (def f : t.mm.files.values()) if (f instanceof ShmemFile) files << (ShmemFile) f
            for (Vma v : t.mm.vmas()) if (v.shmem != null) files << v.shmem
        }
        files
    }

    /** I1: no physical page is mapped by two windows, unless they share it (one run array, after fork). */
    private void onePlaceEach() {
        Map<Integer, BitSet> seen = [:].withDefault { new BitSet() }
        Set<long[]> arrays = Collections.newSetFromMap(new IdentityHashMap<long[], Boolean>())
        for (Task t : k.tasks()) {
            if (t.mm.exited) continue
            for (Vma vma : t.mm.vmas()) {
                for (int i = 0; i < vma.slots(); i++) {
                    long[] r = vma.runs(i)
                    if (r.length == 0 || !arrays.add(r)) continue
                    for (int j = 0; j < PageRuns.runs(r); j++) {
                        BitSet b = seen[PageRuns.node(r, j)]
                        int from = (int) PageRuns.pfn(r, j), to = from + PageRuns.len(r, j)
                        if (b.get(from, to).cardinality() > 0) fail('I1', "${win(t.mm.name, vma, i)}: page ${b.get(from, to).nextSetBit(0) + from} of node ${PageRuns.node(r, j)} is mapped by another window too")
                        b.set(from, to)
                    }
                }
            }
        }
        // and no page is both mapped by a window and held by a shmem file
        for (ShmemFile f : shmemFiles()) {
            for (ShmemFolio folio : f.folios()) {
                long[] r = folio.runs()
                for (int j = 0; j < PageRuns.runs(r); j++) {
                    BitSet b = seen[PageRuns.node(r, j)]
                    int from = (int) PageRuns.pfn(r, j), to = from + PageRuns.len(r, j)
                    if (b.get(from, to).cardinality() > 0) fail('I1', "shmem file ${f.name} index ${folio.index}: page ${b.get(from, to).nextSetBit(0) + from} of node ${PageRuns.node(r, j)} is held elsewhere too")
                    b.set(from, to)
                }
            }
        }
    }

    /** I2: a window's pages are where its runs say: inside the window's part of the VMA, once each, in use in their zone. */
    private void onLru(Mm mm, Vma vma, int i) {
        byte kind = vma.kind(i)
        boolean cached = vma.lru(i) != null && vma.lru(i).cached()
        boolean evictable = !vma.has(VmFlags.VM_HUGETLB) && !vma.has(VmFlags.VM_LOCKED)
                && (kind == Vma.PMD_THP || ((kind == Vma.PTE || kind == Vma.PTE_THP) && (vma.pte(i) > 0 || cached)))
        if (!evictable) return
        LruFolio f = vma.lru(i)
        if (f == null) { fail('I8', "${win(mm.name, vma, i)}: kind ${kind} with ${vma.pte(i)} pages is on no LRU list"); return }
        if (f.mm != mm) fail('I8', "${win(mm.name, vma, i)}: its LRU entry belongs to ${f.mm.name}")
        Vma found = mm.find(f.addr)
        if (found != vma || vma.slotOf(f.addr) != i) fail('I8', "${win(mm.name, vma, i)}: its LRU entry's address 0x${Long.toHexString(f.addr)} finds another window")
        if (f.list == LruFolio.NONE && !vma.underIo(i)) fail('I8', "${win(mm.name, vma, i)}: off the LRU lists with no swap I/O in flight")
        if (kind == Vma.PMD_THP && f.node != PageAllocator.node(vma.page(i))) {
            fail('I8', "${win(mm.name, vma, i)}: THP on node ${PageAllocator.node(vma.page(i))}, its LRU entry on node ${f.node}'s lists")
        }
    }

    private void placed(Mm mm, Vma vma, int i) {
        long[] r = vma.runs(i)
        if (PageRuns.pages(r) != vma.pte(i)) fail('I2', "${win(mm.name, vma, i)}: ${vma.pte(i)} PTE pages, runs place ${PageRuns.pages(r)}")
        int prevEnd = vma.firstPage(i, (int) Model.PAGE)
        for (int j = 0; j < PageRuns.runs(r); j++) {
            int off = PageRuns.voff(r, j), len = PageRuns.len(r, j)
            if (off < prevEnd || off + len > vma.endPage(i, (int) Model.PAGE) || len <= 0) {
                fail('I2', "${win(mm.name, vma, i)}: run ${j} maps offsets ${off}..${off + len}, outside the window or over the one before")
            }
            prevEnd = off + len
            Zone z = k.m.pages.zone(PageRuns.node(r, j))
            for (long p = PageRuns.pfn(r, j); p < PageRuns.pfn(r, j) + len; p++) {
                if (!z.pageInUse(p) && vma.kind(i) != Vma.PTE_THP) fail('I1', "${win(mm.name, vma, i)}: maps page ${p} of node ${z.node}, which is free")
            }
        }
    }

    private void swapDevice() {
        SwapDevice sd = k.m.swap
        int clusters = (int) get(sd, 'clusters')
        BlockSet free = (BlockSet) get(sd, 'freeClusters'), broken = (BlockSet) get(sd, 'broken')
        int nf = 0, nb = 0
        for (int c = 0; c < clusters; c++) {
            if (free.get(c) && broken.get(c)) fail('I2', "swap cluster ${c} is both free and broken up")
            if (free.get(c)) nf++
            if (broken.get(c)) nb++
        }
        long brokenFree = (long) get(sd, 'brokenFree')
        if (nf != (int) get(sd, 'nrFree') || nb != (int) get(sd, 'nrBroken') || brokenFree < 0 || brokenFree > (long) nb * sd.clusterSlots()) {
            fail('I2', "swap: ${nf} free clusters (counter ${get(sd, 'nrFree')}), ${nb} broken (counter ${get(sd, 'nrBroken')}) with ${brokenFree} free slots")
        }
    }

    // ---- I3 --------------------------------------------------------------------------------------

    /** I3; returns what the live reserved VMAs were charged (their hpages less their uncharged growth). */
    private long quota() {
        Map<Task, Integer> slotOf = new IdentityHashMap<>()
        for (Map.Entry<Integer, Task> e : run.tasks.entrySet()) slotOf.put(e.value, e.key)
        for (Iterator<Map.Entry<Integer, Intervals>> it = uncharged.entrySet().iterator(); it.hasNext();) {
            Map.Entry<Integer, Intervals> e = it.next()
            Task t = run.tasks[e.key]
            if (t == null || t.exited()) { it.remove(); continue }
            List<long[]> keep = []
            for (Vma v : t.mm.vmas()) if (v.has(VmFlags.VM_RESERVED_THP)) keep << ([v.start, v.end] as long[])
            e.value.retain(keep)
        }
        long sum = 0, grown = 0
        List<String> parts = []
        for (Task t : live()) {
            Integer slot = slotOf.get(t)
            Intervals u = slot == null ? null : uncharged.get(slot)
            for (Vma v : t.mm.vmas()) {
                if (!v.has(VmFlags.VM_RESERVED_THP)) continue
                long g = u == null ? 0 : u.overlap(v.start, v.end)
                boolean startOk = v.start % Model.PMD == 0 ||
                        (v.has(VmFlags.VM_GROWSDOWN) && g > 0 && u.overlap(v.start, Model.roundUp(v.start, Model.PMD)) == Model.roundUp(v.start, Model.PMD) - v.start)
                if (!startOk || v.end % Model.PMD != 0) fail('I3', "${t.name()}: reserved VMA ${v} is not PMD-aligned")
                long hp = v.length().intdiv(Model.PMD) as long
                sum += hp
                grown += g.intdiv(Model.PMD) as long
                parts << "${t.name()} ${String.format('0x%x', v.start)}+${hp}${g > 0 ? " (${g.intdiv(Model.PMD)} grown uncharged)" : ''}".toString()
            }
        }
        long used = k.m.rthp.used()
        long expected = sum - growthDebt
        if (used != expected && used == 0 && expected < 0) {
            // rule 19: an uncharge of more than is used clamps used_hpages to 0, with a WARN the first time
            if (!warned) fail('I3', "used_hpages clamped to 0 (the reserved VMAs' ${sum} hpages less ${growthDebt} grown uncharged), but no kernel_warning fired")
            growthDebt = sum
            expected = 0
        }
        if (used != expected) {
            fail('I3', "used_hpages ${used}, but reserved VMAs of live processes hold ${sum} hpages" +
                    (growthDebt != 0 ? ", ${growthDebt} of them owed to uncharged stack growth" : '') +
                    (parts ? ' (' + parts.join(', ') + ')' : ''))
        }
        long charges = sum - grown
        if (used < charges) {
            finding('rule19-eaten', "used_hpages ${used}, but live reserved VMAs were charged ${charges} hpages " +
                    "(${sum} spanned, ${grown} grown uncharged): a grown stack's uncharge took another VMA's charge")
        }
        charges
    }

    // ---- I4 --------------------------------------------------------------------------------------

    /** The memPool design's files live processes hold, by a descriptor or a mapping. */
    private Set<HugetlbFile> poolFiles() {
        Set<HugetlbFile> files = new LinkedHashSet<>()
        for (Task t : live()) {
            for (def f : t.mm.files.values()) if (f instanceof HugetlbFile && ((HugetlbFile) f).pool()) files << (HugetlbFile) f
            for (Vma v : t.mm.vmas()) if (v.file != null && v.file.pool()) files << v.file
        }
        files
    }

    private void hugetlb(boolean q) {
        Hstate h = k.m.defaultHstate
        long resv = 0
        Set<Long> mapped = new HashSet<>()
        for (Task t : live()) {
            for (Vma v : t.mm.vmas()) {
                if (!v.has(VmFlags.VM_HUGETLB) || v.hstate != h) continue
                for (int i = 0; i < v.slots(); i++) {
                    if (v.is(i, Vma.RESV)) resv++
                    if (v.kind(i) == Vma.HUGETLB) mapped << v.page(i)
                }
            }
        }
        // the memPool design (docs/model.md rules 81-83): a pool file holds its reservations and pages whether
        // mapped or not; each reservation on a node whose free pages cover it; memory.pool.current charged for both
        Set<HugetlbFile> files = poolFiles()
        long[] fileResvOn = new long[h.nodes()]
        long charged = 0
        for (HugetlbFile f : files) {
            resv += f.reservations()
            mapped.addAll(f.pages())
            for (int n = 0; n < h.nodes(); n++) fileResvOn[n] += f.reservationsOn(n)
            if (f.chargedToCgroup()) charged += f.reservations() + f.pages().size()
        }
        if (files.any { !it.pages().isEmpty() }) poolFilePages++
        if (files.any { it.reservations() > 0 }) poolFileResv++
        for (int n = 0; n < h.nodes(); n++) {
            if (h.resv(n) != fileResvOn[n]) fail('I4', "node ${n} holds ${h.resv(n)} reservations, its pool files ${fileResvOn[n]}")
            if (h.resv(n) > h.free(n)) fail('I4', "node ${n} holds ${h.resv(n)} reservations for ${h.free(n)} free pages")
        }
        long poolCharge = (long) k.memcgs().values().sum(0L) { it.poolCurrent() }
        if (poolCharge != charged * Model.PMD_PAGES) {
            fail('I4', "memory.pool.current sums to ${poolCharge} pages, pool files in cgroups hold ${charged} huge pages")
        }
        // the sharedPool design (docs/model.md 7.2): pool pages mapped as reserved THPs are in use, and the charges
        // not yet faulted (used_hpages less those pages, rule 59) are reservations, up to what is free (rule 63)
        Set<Long> lent = poolThps()
        long sharedResv = k.m.rthp.pooled() ? Math.max(0L, Math.min(k.m.rthp.used() - h.lent(), h.free() - resv)) : 0L
        if (h.hugetlbResv() != resv) fail('I4', "HugeTLB's reservations ${h.hugetlbResv()}, reserved windows of HugeTLB VMAs and pool files ${resv}")
        if (h.resv() != resv + sharedResv) {
            fail('I4', "HugePages_Rsvd ${h.resv()}, reserved windows of HugeTLB VMAs ${resv} + reserved THP charges not faulted ${sharedResv}")
        }
        // a pool THP whose window went while its swap-out write was in flight stays lent until the write completes
        if (h.lent() < lent.size() || (q && h.lent() != lent.size())) {
            fail('I4', "${h.lent()} pool pages lent as reserved THPs, ${lent.size()} mapped as such${q ? '' : ' (I/O in flight)'}")
        }
        if (h.total() - h.free() != mapped.size() + h.lent()) {
            fail('I4', "HugePages_Total ${h.total()} − HugePages_Free ${h.free()} = ${h.total() - h.free()}, HugeTLB pages mapped ${mapped.size()} + pool THPs ${h.lent()}")
        }
        for (Long x : lent) if (!k.m.rthp.isPoolPage(x)) fail('I4', "THP block ${Long.toHexString(x)} in a reserved window is not a pool page")
        for (Object x : freeList(h)) {
            if (mapped.contains((Long) x)) fail('I4', "HugeTLB page ${Long.toHexString((Long) x)} is mapped and on the free list")
        }
        long nr = 0, free = 0, surplus = 0, persistent = 0
        for (int n = 0; n < h.nodes(); n++) {
            nr += h.total(n)
            free += h.free(n)
            surplus += h.surplus(n)
            persistent += pool[n]
            if (h.total(n) - h.surplus(n) != pool[n]) {
                fail('I4', "node ${n}: nr_hugepages ${h.total(n)} with ${h.surplus(n)} surplus, but ${pool[n]} persistent " +
                        (poolWrites == 0 ? 'at boot' : 'at boot or since its last nr_hugepages write'))
            }
        }
        if (nr != h.total() || free != h.free() || surplus != h.surplus()) {
            fail('I4', "nodes' nr/free/surplus_hugepages sum to ${nr}/${free}/${surplus}, HugePages_Total/Free/Surp are ${h.total()}/${h.free()}/${h.surplus()}")
        }
        if (h.total() != persistent + h.surplus()) {
            fail('I4', "HugePages_Total ${h.total()}, ${persistent} persistent (${boot.HugePages_Total} at boot) and ${h.surplus()} surplus")
        }
    }

    /** The distinct blocks of PMD-mapped THPs that are the shared pool's pages (sharedPool). */
    private Set<Long> poolThps() {
        Set<Long> out = new HashSet<>()
        if (!k.m.rthp.pooled()) return out
        for (Task t : live()) {
            for (Vma v : t.mm.vmas()) {
                for (int i = 0; i < v.slots(); i++) {
                    if (v.kind(i) == Vma.PMD_THP && k.m.rthp.isPoolPage(v.page(i))) out << v.page(i)
                }
            }
        }
        out
    }

    // ---- I5 --------------------------------------------------------------------------------------

    private static long shareOf(Vma v, int i) {
        v.share(i)
    }

    /**
     * A THP's block (PMD-mapped, or PTE-mapped and not split) must be held whole, and the window marked
     * RESERVED_BLOCK exactly when the block is a reserved one. Returns whether it is.
     */
    private boolean heldWhole(Task t, Vma v, int i, long h, String what) {
        Zone z = k.m.pages.zone(PageAllocator.node(h))
        int b = PageAllocator.block(h)
        if (z.isFreeBlock(b) || z.isBroken(b)) fail('I5', "${win(t.name(), v, i)}: ${what} ${b} is mapped but ${z.isFreeBlock(b) ? 'free' : 'broken up'}")
        boolean rt = z.typeOf(b) == MigrateType.RESERVED_THP
        // a shared pool's page is a reserved THP in a block the pool took from the buddy allocator (rule 60)
        boolean pool = k.m.rthp.isPoolPage(h)
        if (pool && !v.is(i, Vma.RESERVED_BLOCK)) fail('I5', "${win(t.name(), v, i)}: ${what} ${b} is a pool page but the window is not marked RESERVED_BLOCK")
        if (!pool && rt != v.is(i, Vma.RESERVED_BLOCK)) {
            fail('I5', "${win(t.name(), v, i)}: ${what} ${b} is ${z.typeOf(b)} but the window is ${rt ? 'not ' : ''}marked RESERVED_BLOCK")
        }
        rt
    }

    /**
     * The page-table pages every live process holds, each checked against the tables its windows need, counted
     * here on their own: a PTE table per PMD range holding something (a THP's deposited table included; a shmem
     * THP's PMD has none), a PMD table per PUD range holding one of those, a shmem PMD or a PMD-sized HugeTLB page.
     */
    private long pageTables() {
        long total = 0
        long pmd = Model.PMD_PAGES * (long) Model.PAGE, pud = pmd * (Model.PAGE.intdiv(8))
        for (Task t : live()) {
            Set<Long> ptes = new HashSet<>(), pmds = new HashSet<>()
            for (Vma v : t.mm.vmas()) {
                for (int i = 0; i < v.slots(); i++) {
                    if (v.kind(i) == Vma.EMPTY) continue
                    long s = v.slotStart(i)
                    if (v.hstate != null) {
                        if (v.slotSize == pmd) pmds << Math.floorDiv(s, pud)
                        continue
                    }
                    // a shmem THP's PMD has no table deposited under it (docs/model.md 3.7)
                    if (v.kind(i) != Vma.FILE_PMD) ptes << Math.floorDiv(s, pmd)
                    pmds << Math.floorDiv(s, pud)
                }
            }
            long need = ptes.size() + pmds.size()
            if (t.mm.tables.pages() + t.mm.tables.owed() != need) {
                fail('I5', "${t.name()}: page tables ${t.mm.tables.pages()} held + ${t.mm.tables.owed()} owed, its windows need ${need}")
            }
            total += t.mm.tables.pages()
        }
        total
    }

    private void conservation(boolean q) {
        PageAllocator pages = k.m.pages
        long held = 0
        for (Zone z : pages.zones()) held += z.managedPages() - z.freePages()
        Set<Long> thpBlocks = new HashSet<>(), clusters = new HashSet<>(), groups = new HashSet<>()
        Set<Long> hugetlbPages = new HashSet<>(), pteMappedFolios = new HashSet<>()
        long ptePages = 0, swapEntries = 0, reservedMapped = 0
        BlockSet freeClusters = (BlockSet) get(k.m.swap, 'freeClusters')
        for (Task t : live()) {
            for (Vma v : t.mm.vmas()) {
                for (int i = 0; i < v.slots(); i++) {
                    long share = shareOf(v, i)
                    // shared after fork (more than one holder): the memory counts once, with its first holder
                    if (share != 0 && k.m.sharers(share) > 1 && !groups.add(share)) continue
                    byte kind = v.kind(i)
                    if (kind == Vma.PMD_THP) {
                            long h = v.page(i)
                            if (!thpBlocks.add(h)) fail('I5', "${win(t.name(), v, i)}: THP block ${Long.toHexString(h)} is mapped twice")
                            if (heldWhole(t, v, i, h, 'THP block')) {
                                reservedMapped++
                                if (k.m.nosplit.on()) nosplitThps++
                            }
                    } else if (kind == Vma.HUGETLB) {
                            hugetlbPages << v.page(i)
                    } else if (kind == Vma.PTE_THP) {
                            ptePages += v.pte(i)
                            long id = v.page(i)
                            // a split folio's pages sit in broken blocks of its type, not in the block it had
                            if (!pteMappedFolios.add(id) || k.m.deferredSplit.isSplit(id)) continue
                            long h = k.m.deferredSplit.block(id)
                            if (thpBlocks.contains(h)) fail('I5', "${win(t.name(), v, i)}: block ${Long.toHexString(h)} is PMD-mapped elsewhere")
                            if (heldWhole(t, v, i, h, "PTE-mapped THP's block")) {
                                reservedMapped++
                                if (k.m.nosplit.on()) nosplitPteMapped++
                            }
                    } else if (kind == Vma.PTE) {
                            ptePages += v.pte(i)
                            swapEntries += v.swp(i)
                            if (v.swp(i) > 0 && v.page(i) >= 0) {
                                long c = v.page(i)
                                if (!clusters.add(c)) fail('I5', "${win(t.name(), v, i)}: swap cluster ${c} holds two windows")
                                if (freeClusters.get((int) c)) fail('I5', "${win(t.name(), v, i)}: swap cluster ${c} holds the window but is free")
                            }
                    }
                }
            }
        }
        long hugeFromBuddy = 0
        for (Hstate h : k.m.hstates) {
            Set<Long> pool = new HashSet<>()
            for (Object x : freeList(h)) pool << (Long) x
            if (h == k.m.defaultHstate) {
                pool.addAll(hugetlbPages)
                for (HugetlbFile f : poolFiles()) pool.addAll(f.pages())   // memPool's files hold pages mapped or not
            }
            for (Long x : pool) if ((x & BOOT_PAGE) == 0) hugeFromBuddy += h.size.intdiv(Model.PAGE) as long
        }
        // shmem files' pages (docs/model.md 3.7): their THPs' blocks are nobody else's; the counters add up
        long shmemPages = 0, shmemThp = 0, shmemPmd = 0
        Set<ShmemFolio> pmdMapped = Collections.newSetFromMap(new IdentityHashMap<ShmemFolio, Boolean>())
        for (Task t : live()) for (Vma v : t.mm.vmas()) if (v.shmem != null) {
            for (int i = 0; i < v.slots(); i++) if (v.kind(i) == Vma.FILE_PMD) pmdMapped << v.shmem.folio(v.fileIndex(i))
        }
        for (ShmemFile f : shmemFiles()) {
            for (ShmemFolio folio : f.folios()) {
                shmemPages += folio.pages()
                if (folio.huge()) {
                    shmemThp += folio.pages()
                    if (!thpBlocks.add(folio.block())) fail('I5', "shmem file ${f.name} index ${folio.index}: its THP's block ${Long.toHexString(folio.block())} is mapped elsewhere too")
                } else {
                    ptePages += PageRuns.pages(folio.runs())
                    if (PageRuns.pages(folio.runs()) != folio.pages()) fail('I5', "shmem file ${f.name} index ${folio.index}: ${folio.pages()} pages, runs place ${PageRuns.pages(folio.runs())}")
                }
            }
        }
        for (ShmemFolio folio : pmdMapped) shmemPmd += folio.pages()
        if (shmemPages != k.m.shmem.shmemPages() || shmemThp != k.m.shmem.thpPages() || shmemPmd != k.m.shmem.pmdMappedPages()) {
            fail('I5', "shmem: files hold ${shmemPages} pages (${shmemThp} in THPs, ${shmemPmd} PMD-mapped), Shmem counts ${k.m.shmem.shmemPages()} " +
                    "(ShmemHugePages ${k.m.shmem.thpPages()}, ShmemPmdMapped ${k.m.shmem.pmdMappedPages()})")
        }
        long unmappedInFolios = k.m.deferredSplit.unmappedPages()
        long swapCached = k.reclaim.swapCache.unmappedPages(), zram = k.reclaim.zramPages()
        long pageCache = k.m.pageCache.cachedPages()
        long tables = pageTables(), pcp = pages.pcpPages()
        long accounted = thpBlocks.size() * (long) Model.PMD_PAGES + ptePages + unmappedInFolios + hugeFromBuddy + swapCached + zram + pageCache +
                tables + pcp
        if (held < accounted || (q && held != accounted)) {
            fail('I5', "pages in use (managed − free) ${held}, but mappings account for ${accounted}: " +
                    "${thpBlocks.size()} THP blocks, ${ptePages} 4 KiB pages, ${unmappedInFolios} unmapped pages of PTE-mapped THPs, " +
                    "${hugeFromBuddy} HugeTLB pages from the buddy allocator, ${swapCached} in the swap cache, ${zram} of zram, " +
                    "${pageCache} of page cache, ${tables} of page tables, ${pcp} on the per-CPU lists" + (q ? '' : ' (I/O in flight)'))
        }
        // every page-cache page is on a file LRU list, once (nothing is isolated between two ops)
        long onFileLru = 0
        for (Zone z : pages.zones()) onFileLru += k.reclaim.lru.filePages(z.node, LruFolio.INACTIVE_FILE) + k.reclaim.lru.filePages(z.node, LruFolio.ACTIVE_FILE)
        if (onFileLru != pageCache) fail('I5', "page cache: ${pageCache} pages cached, ${onFileLru} on the file LRU lists")
        long cachedRuns = 0
        for (def f : k.m.pageCache.folios()) cachedRuns += PageRuns.pages(f.runs())
        if (cachedRuns != pageCache) fail('I5', "page cache: ${pageCache} pages counted, ${cachedRuns} held by its stretches")
        // a stretch written to again while under writeback is both (as Dirty and Writeback count a page)
        if (k.m.pageCache.dirtyPages() > pageCache || k.m.pageCache.writebackPages() > pageCache) {
            fail('I5', "page cache: ${k.m.pageCache.dirtyPages()} dirty and ${k.m.pageCache.writebackPages()} under writeback of ${pageCache} cached")
        }
        long rtBlocks = pages.blocks(MigrateType.RESERVED_THP), rtFree = 0, rtBroken = 0
        for (Zone z : pages.zones()) {
            rtFree += z.freeBlocks(MigrateType.RESERVED_THP)
            for (int b = 0; b < z.nrBlocks; b++) if (z.typeOf(b) == MigrateType.RESERVED_THP && z.isBroken(b)) rtBroken++
        }
        // the zoneNosplit design (docs/model.md rules 65, 67): no 4 KiB page in the zone, no folio of it split
        if (k.m.nosplit.on() && rtBroken > 0) fail('I5', "${rtBroken} NoSplit blocks hold 4 KiB pages")
        if (!k.m.rthp.pooled()) reservedMapped += k.reclaim.swapCache.reservedBlocks()
        if (rtFree + reservedMapped + rtBroken > rtBlocks || (q && rtFree + reservedMapped + rtBroken != rtBlocks)) {
            fail('I5', "${rtBlocks} reserved pageblocks, ${rtFree} free + ${reservedMapped} mapped as reserved THPs (or in the swap cache) + " +
                    "${rtBroken} holding 4 KiB pages of split reserved THPs${q ? '' : ' (I/O in flight)'}")
        }
        SwapDevice sd = k.m.swap
        long kept = k.reclaim.swapCache.pages() - k.reclaim.swapCache.unmappedPages()
        if (sd.freeSlots() + swapEntries + kept > sd.totalSlots() || (q && sd.freeSlots() + swapEntries + kept != sd.totalSlots())) {
            fail('I5', "swap: ${sd.freeSlots()} free slots + ${swapEntries} entries held by processes + ${kept} kept by mapped folios in the swap cache, ${sd.totalSlots()} slots${q ? '' : ' (I/O in flight)'}")
        }
    }

    /** pagetypeinfo with Unmovable, Movable and Reclaimable blocks as one count. */
    private static Map<String, Long> ordinary(Map<String, Long> pti) {
        Map<String, Long> out = new LinkedHashMap<>(pti)
        long n = 0
        for (String t : ['Unmovable', 'Movable', 'Reclaimable']) n += out.remove(t) ?: 0L
        out.ordinary = n
        out
    }

    // ---- I7 --------------------------------------------------------------------------------------

    private void presence() {
        for (Map.Entry<Integer, Task> e : run.tasks.entrySet()) {
            Task t = e.value
            if (t.exited()) continue
            Written w = run.written[e.key]
            if (w == null || w.isEmpty()) continue
            for (Vma v : t.mm.vmas()) {
                for (int i = 0; i < v.slots(); i++) {
                    if (UNMAPPED_BIT != 0 && v.is(i, UNMAPPED_BIT)) continue
                    long s = Math.max(v.slotStart(i), v.start), en = Math.min(v.slotStart(i) + v.slotSize, v.end)
                    if (w.unknown.overlap(s, en) > 0) continue
                    long need = w.written.overlap(s, en).intdiv(Model.PAGE) as long
                    if (need == 0) continue
                    byte kind = v.kind(i)
                    int present = v.shmem != null ? shmemHeld(v, i)
                            : kind == Vma.PMD_THP || kind == Vma.HUGETLB ? v.pagesIn(i, (int) Model.PAGE)
                            : kind == Vma.PTE || kind == Vma.PTE_THP ? v.pte(i) + v.swp(i) : 0
                    if (present < need) {
                        presenceViolation = new Violation('I7', "${t.name()}: window ${String.format('0x%x', v.slotStart(i))} of ${v}: ${need} pages written and not released, " +
                                "${present} present (kind ${v.kind(i)}, ${v.pte(i)} resident, ${v.swp(i)} swapped)")
                        presenceViolation.opIndex = run.current
                        presenceViolation.where = run.current >= 0 ? "at op ${run.current}: ${run.ops[run.current]}" : 'after the last op'
                        return
                    }
                }
            }
        }
    }

    // ---- findings -------------------------------------------------------------------------------

    /**
     * @param charges what the live reserved VMAs were charged: used_hpages unless a grown stack's uncharge
     *                took some (rule19-eaten), which is a finding of its own
     */
    private void rule32(long charges) {
        if (k.m.rthp.pooled()) return   // no reserved pageblocks: the quota is the pool's (docs/model.md rule 61)
        long total = k.m.rthp.total(), used = k.m.rthp.used()
        long free = 0
        for (Zone z : k.m.pages.zones()) free += z.freeBlocks(MigrateType.RESERVED_THP)
        // reserved THPs in stack growth hold blocks that no charge covers (rule 19's, not rule 32's)
        long grown = 0
        for (Map.Entry<Integer, Intervals> e : uncharged.entrySet()) {
            Task t = run.tasks[e.key]
            for (Vma v : t.mm.vmas()) {
                if (!v.has(VmFlags.VM_RESERVED_THP) || e.value.overlap(v.start, v.end) == 0) continue
                for (int i = 0; i < v.slots(); i++) {
                    if ((v.kind(i) == Vma.PMD_THP || v.kind(i) == Vma.PTE_THP) && v.is(i, Vma.RESERVED_BLOCK)
                            && e.value.overlap(v.slotStart(i), v.slotStart(i) + v.slotSize) > 0) grown++
                }
            }
        }
        if (charges <= total && free + grown < total - charges) {
            finding('rule32', charges == used && grown == 0
                    ? "used_hpages ${used} of total ${total} promises ${total - used} blocks, but only ${free} reserved blocks are free"
                    : "live reserved VMAs were charged ${charges} hpages of total ${total} (used_hpages ${used}; ${grown} reserved THPs " +
                      "sit in uncharged stack growth), so ${total - charges - grown} blocks should be free, but only ${free} are")
        }
    }

    // ---- diagnosis ------------------------------------------------------------------------------

    /**
     * The model's state in a few lines, for {@code -Dhugesim.property.debug=true}: counters, then per process
     * its VMAs with one mark per window (. empty, z huge zero page, T THP, t reserved-block THP, H HugeTLB page,
     * R HugeTLB reservation, pN+sM 4 KiB pages and swap entries, W under I/O, ^ shared after fork).
     */
    String dump() {
        StringBuilder b = new StringBuilder()
        Hstate h = k.m.defaultHstate
        b << "  t=${now() / 1e6} ms free=${k.m.pages.freePages()} used_hpages=${k.m.rthp.used()}/${k.m.rthp.total()} " +
                "HugePages ${h.total()}/${h.free()}/${h.resv()}/${h.surplus()} swapfree=${k.m.swap.freeSlots()} busyUntil=${swapBusyUntil() / 1e6} ms\n"
        for (Task t : k.tasks()) {
            if (t.exited() || t.mm.mapCount() == 0) continue
            Mm mm = t.mm
            b << "  ${mm.name}: anon=${mm.anonPages()} thps=${mm.thps()} swap=${mm.swapEntries}"
            for (Vma v : mm.vmas()) {
                b << ' ' << Long.toHexString(v.start) << '-' << Long.toHexString(v.end) << '[' << VmFlags.smaps(v.flags).replace('rd wr mr mw me', '').trim() << ']'
                List<String> w = []
                for (int i = 0; i < v.slots(); i++) {
                    byte kd = v.kind(i)
                    String x = kd == Vma.EMPTY ? (v.is(i, Vma.RESV) ? 'R' : '.') : kd == Vma.ZERO_THP ? 'z'
                            : kd == Vma.PMD_THP ? (v.is(i, Vma.RESERVED_BLOCK) ? 't' : 'T') : kd == Vma.HUGETLB ? "H${v.page(i) & 0xffffff}"
                            : kd == Vma.PTE_THP ? "f${v.pte(i)}"
                            : "p${v.pte(i)}+s${v.swp(i)}"
                    if (v.is(i, Vma.WRITEBACK)) x += 'W'
                    long sh = shareOf(v, i)
                    if (sh != 0) x += "^${sh}:${k.m.sharers(sh)}"
                    w << x
                }
                b << '{' << w.join(',') << '}'
            }
            b << '\n'
        }
        b.toString()
    }

    // ---- I6 --------------------------------------------------------------------------------------

    /** After every process exited and all I/O completed: the boot state again. */
    void checkFinal() {
        scanEvents()
        for (Map.Entry<Integer, Task> e : run.tasks.entrySet()) {
            if (!e.value.exited()) fail('I6', "p${e.key} has not exited at the end of the run")
        }
        if (!quiescent()) fail('I6', 'swap I/O still in flight at the end of the run')
        check()
        Views v = k.views
        List<String> diffs = []
        // a node's nr_hugepages write moves the boot state: pages the pool gained came out of MemFree, pages it lost went back
        // surplus pages a node's write could not free (reserved then) stay when the node's own pool grows
        // again: set_max_huge_pages() converts surplus on the written node only, free_huge_folio() drops a page
        // only while its own node has surplus, and the reservation that pinned it was consumed on another node
        long stranded = poolWrites > 0 ? k.m.defaultHstate.surplus() : 0
        long grown = stranded - bootPool
        for (long p : pool) grown += p
        // the page cache outlives the processes that read and wrote it (docs/model.md 5.6)
        Map<String, Long> moved = [MemFree: -grown * k.m.defaultHstate.size.intdiv(1024) - v.meminfo('Cached'), HugePages_Total: grown, HugePages_Free: grown,
                                   HugePages_Surp: stranded] as Map<String, Long>
        for (String f : ['HugePages_Total', 'HugePages_Free', 'HugePages_Rsvd', 'HugePages_Surp', 'SwapFree',
                         'AnonPages', 'AnonHugePages', 'PageTables']) {
            long now = v.meminfo(f)
            long want = (long) boot[f] + (moved[f] ?: 0L)
            if (now != want) diffs << "${f} ${now}, ${boot[f]} at boot${moved[f] ? " ${moved[f] > 0 ? '+' : '−'} ${Math.abs(moved[f])} for the pool's pages and the page cache since" : ''}${stranded ? " (${stranded} stranded surplus)" : ''}".toString()
        }
        // the per-CPU lists keep freed page tables; drain_all_pages() gives them back
        k.m.alloc.drainAllPages()
        for (String f : ['MemFree']) {
            long now = v.meminfo(f), want = (long) boot[f] + (moved[f] ?: 0L)
            if (now != want) diffs << "${f} ${now} after draining the per-CPU lists, ${want} expected".toString()
        }
        // blocks page tables claimed stay Unmovable once free again (as in the kernel): the ordinary types together
        Map<String, Long> pti = ordinary(v.pagetypeinfo()), bootPti = ordinary((Map<String, Long>) boot.pagetypeinfo)
        if (pti != bootPti) diffs << "pagetypeinfo ${pti}, ${bootPti} at boot".toString()
        if (k.m.rthp.used() != (long) boot.used) diffs << "used_hpages ${k.m.rthp.used()}, ${boot.used} at boot".toString()
        // in the shared pool total_hpages is HugePages_Total, which node writes move (checked above)
        long wantTotal = k.m.rthp.pooled() ? (long) boot.total + (moved.HugePages_Total ?: 0L) : (long) boot.total
        if (k.m.rthp.total() != wantTotal) diffs << "total_hpages ${k.m.rthp.total()}, ${boot.total} at boot".toString()
        long freeReserved = k.m.pages.freePages(MigrateType.RESERVED_THP)
        if (freeReserved != (long) boot.freeReserved) diffs << "free reserved pages ${freeReserved}, ${boot.freeReserved} at boot".toString()
        for (Task t : k.tasks()) {
            Mm mm = t.mm
            if (!mm.exited) continue
            if (mm.mapCount() != 0 || mm.anonPages() != 0 || mm.thps() != 0 || mm.swapEntries != 0 || mm.tables.pages() != 0) {
                diffs << "${mm.name} exited holding ${mm.mapCount()} VMAs, anonPages ${mm.anonPages()}, thps ${mm.thps()}, swapEntries ${mm.swapEntries}, page tables ${mm.tables.pages()}".toString()
            }
        }
        if (k.m.deferredSplit.size() != 0) diffs << "${k.m.deferredSplit.size()} PTE-mapped THP folios still held".toString()
        if (diffs) fail('I6', diffs.join('; '))
    }
}
