package hugesim.kernel;

import hugesim.mm.model.MemoryModel;
import hugesim.mm.hugetlb.Hstate;
import hugesim.mm.page.Zone;

/**
 * /sys/devices/system/node/nodeN/meminfo (drivers/base/node.c node_read_meminfo()): the lines the model
 * can say. Simplification: after MemTotal, MemFree and MemUsed (si_meminfo_node(): the node's managed
 * and free pages) the LRU, slab, page-table and other counters the model does not keep are left out;
 * the file ends with hugetlb_report_node_meminfo()'s lines for the default hstate.
 */
final class NodeMeminfo {
    private final MemoryModel m;

    NodeMeminfo(MemoryModel m) {
        this.m = m;
    }

    /** The file's text without its last newline, or null when the node does not exist. */
    String read(int nid) {
        if (nid < 0 || nid >= m.pages.zones().size()) return null;
        Zone z = m.pages.zone(nid);
        long total = m.geometry.kB(z.managedPages()), free = m.geometry.kB(z.freePages());
        Hstate h = m.defaultHstate;
        return String.format("Node %d MemTotal:       %8d kB%n", nid, total)
                + String.format("Node %d MemFree:        %8d kB%n", nid, free)
                + String.format("Node %d MemUsed:        %8d kB%n", nid, total - free)
                + String.format("Node %d HugePages_Total: %5d%n", nid, h.total(nid))
                + String.format("Node %d HugePages_Free:  %5d%n", nid, h.free(nid))
                + String.format("Node %d HugePages_Surp:  %5d", nid, h.surplus(nid));
    }
}
