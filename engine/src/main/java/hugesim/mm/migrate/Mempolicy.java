package hugesim.mm.migrate;

import hugesim.mm.model.MemoryModel;
import hugesim.mm.page.PageAllocator;
import hugesim.mm.vma.Mm;
import hugesim.mm.vma.Vma;
import hugesim.uapi.Errno;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * migrate_pages(2) once its task is found (mm/mempolicy.c kernel_migrate_pages(), do_migrate_pages(),
 * migrate_to_node()). The caller is taken to lack CAP_SYS_NICE: target nodes must be the task's
 * (cpuset_mems_allowed(): every node, no cpusets in the model), and MPOL_MF_MOVE leaves folios mapped by
 * more than one process where they are, uncounted.
 *
 * <p>Simplification: only PMD-mapped THPs are moved; 4 KiB pages stay, as do PTE-mapped THPs and HugeTLB
 * pages.
 */
public final class Mempolicy {
    private final MemoryModel m;
    private final Migrate migrate;

    public Mempolicy(MemoryModel m, Migrate migrate) {
        this.m = m;
        this.migrate = migrate;
    }

    /**
     * kernel_migrate_pages() for {@code mm}: -EPERM when a new node is not one of the machine's, -EINVAL
     * when none is left, else do_migrate_pages(). Returns the folios not migrated, or -errno.
     */
    public long kernelMigratePages(Mm mm, List<Integer> oldNodes, List<Integer> newNodes) {
        int nodes = m.pages.zones().size();
        TreeSet<Integer> from = new TreeSet<>(oldNodes), to = new TreeSet<>(newNodes);
        // nodes_subset(*new, task_nodes) without CAP_SYS_NICE
        if (!to.isEmpty() && (to.first() < 0 || to.last() >= nodes)) return -Errno.EPERM;
        if (to.isEmpty()) return -Errno.EINVAL;
        return doMigratePages(mm, from, to);
    }

    /**
     * do_migrate_pages(): picks (source, dest) pairs by node_remap(), preferring a dest that is not a
     * source still to be emptied, and migrates node by node; with masks of different weights, sources
     * that are also destinations stay. Returns the folios not migrated, or the first -errno.
     */
    long doMigratePages(Mm mm, TreeSet<Integer> from, TreeSet<Integer> to) {
        long nrFailed = 0;
        TreeSet<Integer> tmp = new TreeSet<>(from);
        while (!tmp.isEmpty()) {
            int source = -1, dest = 0;
            for (int s : tmp) {
                if (from.size() != to.size() && to.contains(s)) continue;
                int d = nodeRemap(s, from, to);
                if (s == d) continue;
                source = s;
                dest = d;
                if (!tmp.contains(dest)) break;
            }
            if (source < 0) break;
            tmp.remove(source);
            long err = migrateToNode(mm, source, dest);
            if (err < 0) return err;
            nrFailed += err;
        }
        return Math.min(nrFailed, Integer.MAX_VALUE);
    }

    /** node_remap(): the n-th node of {@code from} maps to the (n mod |to|)-th node of {@code to}. */
    static int nodeRemap(int s, TreeSet<Integer> from, TreeSet<Integer> to) {
        int n = from.headSet(s).size();
        return new ArrayList<>(to).get(n % to.size());
    }

    /**
     * migrate_to_node(): queue_pages_range() over the whole address space isolates the THPs on
     * {@code source} (not the huge zero page, not a THP another process maps too), then migrate_pages().
     */
    long migrateToNode(Mm mm, int source, int dest) {
        List<Migrate.Folio> pagelist = new ArrayList<>();
        for (Vma v : mm.vmas()) {
            for (int i = 0; i < v.slots(); i++) {
                if (v.kind(i) != Vma.PMD_THP || PageAllocator.node(v.page(i)) != source) continue;
                if (m.sharers(v.share(i)) > 1) continue;   // folio_maybe_mapped_shared() under MPOL_MF_MOVE
                if (m.rthp.isPoolPage(v.page(i))) continue;   // a shared pool's page stays, as HugeTLB pages do (rule 62)
                pagelist.add(new Migrate.Folio(mm, v, i));
            }
        }
        if (pagelist.isEmpty()) return 0;
        return migrate.migratePages(pagelist, dest);
    }
}
