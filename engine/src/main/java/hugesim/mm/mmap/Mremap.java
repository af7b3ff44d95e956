package hugesim.mm.mmap;

import hugesim.mm.model.MemoryModel;
import hugesim.uapi.Errno;

import static hugesim.mm.vma.VmFlags.*;
import static hugesim.uapi.Mman.*;
import hugesim.mm.vma.Vma;
import hugesim.mm.vma.Mm;

/**
 * mremap(2) (mm/mremap.c) with the RFC's rules for reserved VMAs (patch 6/8, rules 40-42) and HugeTLB's
 * limits (aligned addresses, lengths rounded to the huge page, no expansion).
 */
public final class Mremap {
    private final MemoryModel m;
    private final Mmap mmap;

    public Mremap(MemoryModel m, Mmap mmap) {
        this.m = m;
        this.mmap = mmap;
    }

    public long mremap(Mm mm, long addr, long oldLen, long newLen, int flags, long newAddr) {
        long page = m.geometry.pageSize(), pmd = m.geometry.pmdSize();
        if ((flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP)) != 0) return -Errno.EINVAL;
        if ((flags & MREMAP_FIXED) != 0 && (flags & MREMAP_MAYMOVE) == 0) return -Errno.EINVAL;
        if ((flags & MREMAP_DONTUNMAP) != 0 && ((flags & MREMAP_MAYMOVE) == 0 || oldLen != newLen)) return -Errno.EINVAL;
        if (addr % page != 0 || newLen <= 0 || oldLen <= 0) return -Errno.EINVAL;
        Vma v = mm.find(addr);
        if (v == null) return -Errno.EFAULT;
        long unit = v.has(VM_HUGETLB) ? v.hstate.size : page;
        oldLen = roundUp(oldLen, unit);
        newLen = roundUp(newLen, unit);
        boolean fixed = (flags & MREMAP_FIXED) != 0, dontunmap = (flags & MREMAP_DONTUNMAP) != 0;
        if (v.has(VM_HUGETLB)) {
            // hugetlb: aligned addresses, and no expansion (reservations cannot be split)
            if (addr % unit != 0 || (fixed && newAddr % unit != 0) || newLen > oldLen) return -Errno.EINVAL;
        }
        boolean reserved = v.has(VM_RESERVED_THP);
        if (reserved) {
            // rule 40: addr, old_len and new_len PMD-aligned; new_addr too when it is given
            if (addr % pmd != 0 || oldLen % pmd != 0 || newLen % pmd != 0) return -Errno.EINVAL;
            // check_reserved_thp_alignment(): new_addr too whenever it is implied (FIXED or DONTUNMAP)
            if ((fixed || dontunmap) && newAddr % pmd != 0) return -Errno.EINVAL;
        }
        if (addr + oldLen > v.end) return -Errno.EFAULT;   // the old range must lie in one VMA
        if (fixed) {
            if (newAddr % page != 0) return -Errno.EINVAL;
            if (newAddr < addr + oldLen && addr < newAddr + newLen) return -Errno.EINVAL;   // overlap
        }
        if (!fixed && !dontunmap) {
            if (newLen <= oldLen) {
                // shrinking: the tail goes through munmap, which uncharges it (rule 41)
                if (newLen < oldLen) {
                    int r = mmap.munmap(mm, addr + newLen, oldLen - newLen);
                    if (r != 0) return r;
                }
                return addr;
            }
            if (addr + oldLen == v.end && mm.isFree(v.end, addr + newLen) && v.end + (newLen - oldLen) <= Mm.MMAP_BASE) {
                // grow in place: charge the delta (rule 41)
                if (reserved && m.rthp.charge((newLen - oldLen) / pmd) != 0) return -Errno.ENOMEM;
                mmap.extend(mm, v, addr + newLen);
                return addr;
            }
            if ((flags & MREMAP_MAYMOVE) == 0) return -Errno.ENOMEM;
        }
        // move_vma(): "We'd prefer to avoid failure later on in do_munmap: which may split one or two vmas"
        if (mm.mapCount() >= mmap.maxMapCount - 3) return -Errno.ENOMEM;
        // a move: to new_addr, or where get_unmapped_area() puts it
        long align = reserved || v.has(VM_HUGETLB) ? Math.max(unit, reserved ? pmd : unit) : (newLen % pmd == 0 || v.shmem != null ? pmd : page);
        long target = fixed ? newAddr : mm.unmappedArea(newLen, align);
        if (target < 0) return -Errno.ENOMEM;
        if (reserved && target % pmd != 0) return -Errno.ENOMEM;   // rule 40: the kernel's pick must be PMD-aligned
        // Simplification: the model cannot move a ZONE_NOSPLIT folio's pages to windows that do not line up
        // without splitting it (the kernel moves the PTEs): such a move is refused (docs/model.md rule 68)
        if ((target - addr) % v.slotSize != 0 && holdsNosplit(v, addr, addr + oldLen)) return -Errno.EINVAL;
        // Simplification: a shmem mapping's windows are the file's PMD-sized indices; a move that does not keep
        // them lined up is refused
        if (v.shmem != null && Math.floorMod(target - addr, pmd) != 0) return -Errno.EINVAL;
        long charge = !reserved ? 0 : dontunmap ? newLen / pmd : Math.max(0, (newLen - oldLen) / pmd);
        if (m.rthp.charge(charge) != 0) return -Errno.ENOMEM;
        if (fixed) {
            int r = mmap.munmap(mm, target, newLen);
            if (r != 0) {
                m.rthp.uncharge(charge);
                return r;
            }
        }
        if (newLen < oldLen) {
            int r = mmap.munmap(mm, addr + newLen, oldLen - newLen);   // the tail goes first (rule 41)
            if (r != 0) {
                m.rthp.uncharge(charge);
                return r;
            }
            oldLen = newLen;
        }
        mmap.move(mm, mm.find(addr), addr, oldLen, target, newLen, dontunmap);
        return target;
    }

    private boolean holdsNosplit(Vma v, long from, long to) {
        for (int i = v.slotOf(from); i <= v.slotOf(to - 1); i++) {
            if (v.kind(i) == Vma.PMD_THP && m.nosplit.holds(v.page(i))) return true;
            if (v.kind(i) == Vma.PTE_THP && m.deferredSplit.neverSplit(v.page(i))) return true;
        }
        return false;
    }

    private static long roundUp(long x, long a) {
        return (x + a - 1) / a * a;
    }
}
