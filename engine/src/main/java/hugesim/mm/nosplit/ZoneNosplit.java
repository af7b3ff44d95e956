package hugesim.mm.nosplit;

import hugesim.mm.page.MigrateType;
import hugesim.mm.page.PageAllocator;
import hugesim.mm.page.Zone;
import hugesim.mm.vma.VmFlags;
import hugesim.mm.vma.Vma;

import java.util.List;

/**
 * The zoneNosplit design (docs/model.md 7.3, rules 64-71): Yu Zhao's ZONE_NOSPLIT from the "TAO: THP Allocator
 * Optimizations" RFC, a policy zone overlaid on each node's memory that only PMD-order THP allocations may use
 * and whose folios are never split. Simplification: the zone is kept as pageblocks of the RFC's
 * MIGRATE_RESERVED_THP type inside each node's one zone (the reserved-THP block machinery: free lists no other
 * allocation takes from, free pages every other watermark check leaves out), not as a zone of its own.
 */
public final class ZoneNosplit {
    /** Who may allocate from the zone: every THP-eligible PMD allocation, or only MADV_HUGEPAGE VMAs' (rule 66). */
    public static final List<String> USERS = List.of("any", "madvised");

    private final PageAllocator pages;
    private long[] setAside = new long[0];
    private String users = "any";

    public ZoneNosplit(PageAllocator pages) {
        this.pages = pages;
    }

    /** Whether the machine booted with a nosplit zone. */
    public boolean on() { return setAside.length > 0; }

    public void setUsers(String users) {
        if (!USERS.contains(users)) throw new IllegalArgumentException("zoneNosplit(users: '" + users + "') is not one of " + USERS);
        this.users = users;
    }

    public String users() { return users; }

    /**
     * nosplit= at boot (rule 64): {@code nrBlocks} PMD-sized blocks spread evenly over the nodes, as
     * movablecore= spreads ZONE_MOVABLE (find_zone_movable_pfns_for_nodes()), each node's share taken from the
     * top of its memory down, free blocks only (the kernel's own memory stays where memblock put it). A node
     * short of free blocks leaves the rest to the next. Returns the blocks set aside.
     */
    public long setAside(long nrBlocks, List<Zone> zones) {
        setAside = new long[zones.size()];
        long left = nrBlocks;
        for (int n = 0; n < zones.size() && left > 0; n++) {
            long share = (left + zones.size() - n - 1) / (zones.size() - n);
            Zone z = zones.get(n);
            for (int b = z.nrBlocks - 1; b >= 0 && share > 0; b--) {
                if (!z.isFreeBlock(b) || z.typeOf(b) == MigrateType.CMA || z.typeOf(b) == MigrateType.RESERVED_THP) continue;
                z.takeBlock(b);
                z.setType(b, MigrateType.RESERVED_THP);
                z.putBlock(b);
                setAside[n]++;
                share--;
                left--;
            }
        }
        return nrBlocks - left;
    }

    /** Blocks of the zone on node {@code nid}. */
    public long blocks(int nid) { return nid < setAside.length ? setAside[nid] : 0; }

    /** Blocks of the zone over all nodes. */
    public long blocks() {
        long n = 0;
        for (long b : setAside) n += b;
        return n;
    }

    /** Free blocks of the zone on node {@code nid}. */
    public long freeBlocks(int nid) { return on() ? pages.zone(nid).freeBlocks(MigrateType.RESERVED_THP) : 0; }

    /**
     * gfp_zone() of a THP allocation for VMA {@code v} (rule 66): whether it may come from the zone; with
     * {@code users: 'madvised'} only for a VMA with MADV_HUGEPAGE.
     */
    public boolean mayUse(Vma v) {
        return on() && (users.equals("any") || v.has(VmFlags.VM_HUGEPAGE));
    }

    /** Whether the folio at block {@code handle} is one of the zone's, which is never split (rule 67). */
    public boolean holds(long handle) {
        return on() && handle >= 0
                && pages.zone(PageAllocator.node(handle)).typeOf(PageAllocator.block(handle)) == MigrateType.RESERVED_THP;
    }
}
