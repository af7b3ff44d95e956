package hugesim.mm.mmap;

import hugesim.mm.model.MemoryModel;
import hugesim.uapi.Errno;

import java.util.function.LongUnaryOperator;

import static hugesim.mm.vma.VmFlags.*;
import static hugesim.uapi.Mman.*;
import hugesim.mm.vma.Vma;
import hugesim.mm.vma.Mm;

/**
 * mprotect(2) and the flag half of mlock(2)/munlock(2) (mm/mprotect.c, mm/mlock.c): new flags over a
 * range, VMA by VMA, splitting where the range starts or ends inside one (split rules as for munmap:
 * HugeTLB at huge-page boundaries, reserved VMAs at PMD boundaries, rule 36).
 */
public final class Mprotect {
    private final MemoryModel m;
    private final Mmap mmap;

    public Mprotect(MemoryModel m, Mmap mmap) {
        this.m = m;
        this.mmap = mmap;
    }

    /** do_mprotect_pkey(): start page-aligned (EINVAL), the whole range mapped (ENOMEM at the hole). */
    public int mprotect(Mm mm, long start, long len, int prot) {
        if ((prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)) != 0) return -Errno.EINVAL;
        if (start % m.geometry.pageSize() != 0 || len < 0) return -Errno.EINVAL;
        long end = start + roundUp(len);
        if (end < start) return -Errno.ENOMEM;
        if (end == start) return 0;
        long set = ((prot & PROT_READ) != 0 ? VM_READ : 0) | ((prot & PROT_WRITE) != 0 ? VM_WRITE : 0)
                | ((prot & PROT_EXEC) != 0 ? VM_EXEC : 0);
        return apply(mm, start, end, f -> (f & ~(VM_READ | VM_WRITE | VM_EXEC)) | set);
    }

    /** mlock/munlock's VMA walk: the start is rounded down and the length up to pages (ENOMEM at a hole). */
    public int lock(Mm mm, long start, long len, boolean lock) {
        long page = m.geometry.pageSize();
        long s = Math.floorDiv(start, page) * page;
        long end = s + roundUp(len + (start - s));
        if (len < 0 || end < s) return -Errno.EINVAL;
        if (end == s) return 0;
        return apply(mm, s, end, f -> lock ? f | VM_LOCKED : f & ~VM_LOCKED);
    }

    private long roundUp(long len) {
        long page = m.geometry.pageSize();
        return (len + page - 1) / page * page;
    }

    /** Applies {@code change} to [start, end); the parts before a hole or a refused split keep their change. */
    private int apply(Mm mm, long start, long end, LongUnaryOperator change) {
        long at = start;
        while (at < end) {
            Vma v = mm.find(at);
            if (v == null) return -Errno.ENOMEM;
            int[] err = {0};
            Vma part = mmap.isolate(mm, v, at, Math.min(end, v.end), err);
            if (part == null) return err[0];
            part.flags = change.applyAsLong(part.flags);
            at = part.end;
            mmap.merge(mm, part);
        }
        return 0;
    }
}
