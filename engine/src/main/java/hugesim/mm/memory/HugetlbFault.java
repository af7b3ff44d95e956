package hugesim.mm.memory;

import hugesim.mm.Fault;
import hugesim.mm.hugetlb.Hstate;
import hugesim.mm.hugetlb.HugetlbFile;
import hugesim.mm.model.MemoryModel;
import hugesim.mm.vma.Mm;
import hugesim.mm.vma.Vma;
import hugesim.mm.vma.VmFlags;

import java.util.List;
import java.util.function.Supplier;

/**
 * The HugeTLB fault (mm/hugetlb.c hugetlb_fault(), hugetlb_no_page(), hugetlb_wp()). It sits with the
 * fault path rather than in mm.hugetlb because a Vma names its Hstate: mm.hugetlb is below mm.vma.
 */
final class HugetlbFault {
    private final MemoryModel m;
    private final Cow cow;
    private final Supplier<List<Mm>> processes;

    /** @param processes live processes, for HugeTLB COW to unmap a page from the owner's children */
    HugetlbFault(MemoryModel m, Cow cow, Supplier<List<Mm>> processes) {
        this.m = m;
        this.cow = cow;
        this.processes = processes;
    }

    /**
     * hugetlb_fault(): a private window takes a reserved page if it holds a reservation, else one from
     * free − resv or a surplus page; a shared window (or a read through a private mapping of a file page
     * already in the page cache) maps the file's page, allocating it into the file first. No page: SIGBUS.
     */
    int fault(Mm mm, Vma v, int i, boolean write) {
        HugetlbFile f = v.file;
        if (f != null && v.fileIndex(i) * v.hstate.size >= f.size() && v.has(VmFlags.VM_SHARED)) return Fault.SIGBUS;
        if (v.kind(i) == Vma.HUGETLB) {
            if (!write || !v.is(i, Vma.FILE_PAGE) || v.has(VmFlags.VM_SHARED)) return Fault.DONE;
            // hugetlb_wp() on a private mapping of a page-cache page: the writer gets its own copy
            long page = v.hstate.allocForFault(v.is(i, Vma.RESV), mm.cgroup, mm.node);
            if (page < 0) return Fault.SIGBUS;
            v.clear(i, (byte) (Vma.RESV | Vma.FILE_PAGE));
            v.replaceFolio(i, page);
            return Fault.DONE;
        }
        if (f != null && (v.has(VmFlags.VM_SHARED) || (!write && f.page(v.fileIndex(i)) >= 0))) {
            long page = v.has(VmFlags.VM_SHARED) ? f.allocate(v.fileIndex(i), mm.cgroup, mm.node) : f.page(v.fileIndex(i));
            if (page < 0) return Fault.SIGBUS;
            v.mapHugePage(i, page);
            v.set(i, Vma.FILE_PAGE);
            return Fault.DONE;
        }
        Hstate h = v.hstate;
        boolean reserved = v.is(i, Vma.RESV);
        long page = h.allocForFault(reserved, mm.cgroup, mm.node);
        if (page < 0) return Fault.SIGBUS;
        if (reserved) v.clear(i, Vma.RESV);
        v.mapHugePage(i, page);
        return Fault.DONE;
    }

    /**
     * hugetlb_wp() for a write to a window shared after fork: a new page from free − resv; when there is
     * none, the owner of the reservation takes the page and unmaps it from the children, who get SIGBUS
     * on their next access, and a child gets SIGBUS.
     */
    int wp(Mm mm, Vma v, int i) {
        long page = v.hstate.allocForFault(false, mm.cgroup, mm.node);
        if (page >= 0) {
            m.unshare(v.share(i));
            v.setShare(i, 0);
            v.replaceFolio(i, page);
            return Fault.DONE;
        }
        if (!v.resvOwner) return Fault.SIGBUS;
        long id = v.share(i);
        for (Mm other : processes.get()) {
            if (other == mm || other.exited) continue;
            // unmap_ref_private() finds the children's mappings through the rmap, wherever they moved
            for (Vma o : other.vmas()) {
                if (!o.has(VmFlags.VM_HUGETLB)) continue;
                for (int k = 0; k < o.slots(); k++) {
                    if (o.share(k) != id) continue;
                    cow.dropView(other, o, k);
                    o.set(k, Vma.UNMAPPED);
                }
            }
        }
        m.unshare(id);
        v.setShare(i, 0);
        return Fault.DONE;
    }
}
