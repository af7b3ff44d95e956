package hugesim.mm.mmap;

import hugesim.mm.Geometry;
import hugesim.uapi.Errno;

import static hugesim.mm.vma.VmFlags.*;
import hugesim.mm.vma.Vma;
import hugesim.mm.vma.Mm;

/**
 * Stack growth at fault time (mm/mmap.c expand_stack(), expand_downwards(), acct_stack_growth()): a fault
 * below a VM_GROWSDOWN VMA moves its vm_start down to the faulting page. The RFC charges the quota at
 * madvise, mremap and fork only, so a reserved VMA grows without being charged (rules 19, 44).
 *
 * <p>Simplification: RLIMIT_STACK is fixed at its default (8 MiB; no setrlimit) and RLIMIT_AS, the mlock
 * limit and overcommit accounting of the growth are not checked.
 */
public final class Stack {
    /** _STK_LIM: the default RLIMIT_STACK. */
    public static final long RLIMIT_STACK = 8L << 20;

    private final Mmap mmap;
    private final Geometry geometry;

    public Stack(Mmap mmap, Geometry geometry) {
        this.mmap = mmap;
        this.geometry = geometry;
    }

    /**
     * expand_stack(): the VMA now containing {@code addr} after growing the VM_GROWSDOWN VMA above it, or
     * null when there is none or it may not grow (the fault is then a SIGSEGV).
     */
    public Vma expandStack(Mm mm, long addr) {
        Vma v = mm.findVma(addr);
        if (v == null || v.start <= addr) return v;
        if (!v.has(VM_GROWSDOWN) || v.has(VM_HUGETLB) || v.file != null) return null;
        return expandDownwards(mm, v, addr) == 0 ? mm.find(addr) : null;
    }

    /** expand_downwards(): vm_start moves down to the page of {@code addr}; 0 or a negative errno. */
    int expandDownwards(Mm mm, Vma v, long addr) {
        long page = geometry.pageSize();
        addr = Math.floorDiv(addr, page) * page;
        if (addr < Mm.MMAP_MIN) return -Errno.EPERM;   // mmap_min_addr
        Vma prev = mm.prev(v);
        // enforce stack_guard_gap to an accessible VMA below that is not itself a stack
        if (prev != null && !prev.has(VM_GROWSDOWN) && (prev.flags & (VM_READ | VM_WRITE | VM_EXEC)) != 0
                && addr - prev.end < mm.stackGuardGap) return -Errno.ENOMEM;
        // acct_stack_growth(): the whole VMA must fit RLIMIT_STACK
        if (v.end - addr > RLIMIT_STACK) return -Errno.ENOMEM;
        mmap.resize(mm, v, addr, v.end);
        return 0;
    }
}
