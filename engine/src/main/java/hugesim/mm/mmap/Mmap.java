package hugesim.mm.mmap;

import hugesim.mm.memory.Cow;
import hugesim.mm.model.MemoryModel;
import hugesim.mm.VmStat;
import hugesim.mm.Inode;
import hugesim.mm.hugetlb.Hstate;
import hugesim.mm.hugetlb.HugetlbFile;
import hugesim.mm.shmem.ShmemFile;
import hugesim.mm.page.PageRuns;
import hugesim.mm.reclaim.Reclaim;
import hugesim.uapi.Errno;

import java.util.List;

import static hugesim.mm.vma.VmFlags.*;
import static hugesim.uapi.Mman.*;
import hugesim.mm.vma.Vma;
import hugesim.mm.vma.Mm;

/**
 * mmap, munmap and exit_mmap (mm/mmap.c, mm/vma.c, mm/hugetlb.c's reservation at mmap time), with the
 * RFC's rules for reserved VMAs (patch 6/8).
 */
public final class Mmap {
    private final MemoryModel m;
    private final Reclaim reclaim;
    private final Cow cow;

    public Mmap(MemoryModel m, Reclaim reclaim) {
        this.m = m;
        this.reclaim = reclaim;
        this.cow = new Cow(m);
    }

    /** DEFAULT_MAX_MAP_COUNT: USHRT_MAX - MAPCOUNT_ELF_CORE_MARGIN. */
    public static final long DEFAULT_MAX_MAP_COUNT = 65530;
    /** sysctl_max_map_count (vm.max_map_count). Simplification: the model's mm has only the VMAs a body maps. */
    public long maxMapCount = DEFAULT_MAX_MAP_COUNT;

    private long pmd() { return m.geometry.pmdSize(); }

    private long page() { return m.geometry.pageSize(); }

    /** do_mmap() for anonymous memory; returns the address or a negative errno. Populating is the caller's. */
    public long mmap(Mm mm, long addr, long len, int prot, int flags) {
        return mmap(mm, addr, len, prot, flags, null, 0);
    }

    /**
     * do_mmap(), anonymous or of a hugetlbfs or shmem file ({@code inode}) at byte offset {@code off}. A shared
     * HugeTLB mapping reserves, in the file's reservation map, the pages it does not have yet; a private one
     * reserves all of them for itself (hugetlb_reserve_pages). MAP_SHARED|MAP_ANONYMOUS|MAP_HUGETLB maps a
     * hidden hugetlbfs file of its own, MAP_SHARED|MAP_ANONYMOUS a shmem object of its own.
     */
    public long mmap(Mm mm, long addr, long len, int prot, int flags, Inode inode, long off) {
        int type = flags & (MAP_SHARED | MAP_PRIVATE);
        if (type != MAP_SHARED && type != MAP_PRIVATE) return -Errno.EINVAL;
        if (len <= 0) return -Errno.EINVAL;
        if ((flags & MAP_ANONYMOUS) == 0 && inode == null) return -Errno.EBADF;
        if ((flags & MAP_ANONYMOUS) != 0) { inode = null; off = 0; }
        // do_mmap(): a shared anonymous mapping cannot grow
        if ((flags & MAP_GROWSDOWN) != 0 && inode == null && type == MAP_SHARED) return -Errno.EINVAL;
        boolean reserved = (flags & MAP_RESERVED_THP) != 0;
        // rule 54: private anonymous only, as MADV_RESERVED_THP (rule 25); a reservation cannot be waived
        if (reserved && (inode != null || type == MAP_SHARED || (flags & (MAP_HUGETLB | MAP_NORESERVE)) != 0)) {
            return -Errno.EINVAL;
        }
        if (inode instanceof ShmemFile s) return mmapShmem(mm, addr, len, prot, flags, s, off);
        if (inode == null && type == MAP_SHARED && (flags & MAP_HUGETLB) == 0) {
            // shmem_zero_setup(): a shared anonymous mapping is a shmem object of its own, as long as the mapping
            ShmemFile s = m.shmem.create("dev/zero");
            long size = roundUp(len, page());
            if (size < 0) return -Errno.ENOMEM;
            m.shmem.setSize(s, size);
            return mmapShmem(mm, addr, len, prot, flags, s, 0);
        }
        HugetlbFile file = (HugetlbFile) inode;
        Hstate h = null;
        long align = reserved ? pmd() : page();
        if (file != null) {
            h = file.hstate;
            align = h.size;
            if (off % h.size != 0) return -Errno.EINVAL;
            // rule 80: a pool file is shared memory; its size holds the reservation, which no private copy has
            if (file.pool() && type != MAP_SHARED) return -Errno.EINVAL;
        } else if ((flags & MAP_HUGETLB) != 0) {
            int shift = (flags >>> MAP_HUGE_SHIFT) & 0x3f;
            h = shift == 0 ? m.defaultHstate : m.hstate(1L << shift);
            if (h == null) return -Errno.EINVAL;
            align = h.size;
        }
        long size = roundUp(len, align);
        if (size < 0) return -Errno.ENOMEM;
        if (mm.mapCount() >= maxMapCount) return -Errno.ENOMEM;   // do_mmap(): too many mappings
        if ((flags & MAP_FIXED) != 0) {
            if (addr % align != 0) return -Errno.EINVAL;
        } else {
            long a = h != null ? h.size : (size % pmd() == 0 ? pmd() : page());
            addr = mm.unmappedArea(size, a);
            if (addr < 0) return -Errno.ENOMEM;
        }
        long vmFlags = (prot & PROT_READ) != 0 ? VM_READ : 0;
        if ((prot & PROT_WRITE) != 0) vmFlags |= VM_WRITE;
        if ((prot & PROT_EXEC) != 0) vmFlags |= VM_EXEC;
        if (type == MAP_SHARED) vmFlags |= VM_SHARED;
        if ((flags & MAP_GROWSDOWN) != 0) vmFlags |= VM_GROWSDOWN;
        if ((flags & MAP_NORESERVE) != 0) vmFlags |= VM_NORESERVE;
        if (h != null) vmFlags |= VM_HUGETLB;
        if (reserved) vmFlags |= VM_RESERVED_THP;
        Vma v = new Vma(addr, addr + size, vmFlags, h, h != null ? h.size : pmd());
        if (h != null && type == MAP_SHARED && file == null) file = new HugetlbFile(h, "anon_hugepage");
        if (file != null) {
            v.file = file;
            v.pgoff = off / h.size;
            file.get();
        }
        // rule 81: a pool file reserved its pages when its size was set; its mappings reserve nothing more
        if (h != null && (flags & MAP_NORESERVE) == 0 && (file == null || !file.pool())) {
            long n = size / h.size;
            // hugetlb_cgroup_charge_cgroup_rsvd(): the reservation is charged to the caller's cgroup
            if (mm.cgroup != null) {
                if (!mm.cgroup.tryChargeRsvd(h.size, size)) { if (file != null) file.put(); return -Errno.ENOMEM; }
                v.rsvdCgroup = mm.cgroup;
            }
            if (type == MAP_SHARED) {
                if (file.reserve(v.pgoff, v.pgoff + n, mm.node) != 0) { uncgRsvd(v); file.put(); return -Errno.ENOMEM; }
            } else {
                // a private mapping owns its reservation for the whole range (HPAGE_RESV_OWNER)
                if (h.reserve(n, mm.node) != 0) { uncgRsvd(v); if (file != null) file.put(); return -Errno.ENOMEM; }
                for (int i = 0; i < v.slots(); i++) v.set(i, Vma.RESV);
                v.resvOwner = true;
            }
        }
        // rule 55: the quota is charged when the mapping is made, all or nothing, as hugetlb_reserve_pages()
        if (reserved && m.rthp.charge(size / pmd()) != 0) return -Errno.ENOMEM;
        if (file != null && !file.pool() && (prot & PROT_WRITE) != 0 && type == MAP_SHARED && file.size() < off + size) {
            file.setSize(off + size);   // hugetlbfs_file_mmap() extends i_size for writable mappings
        }
        if ((flags & MAP_FIXED) != 0) {
            long r = munmap(mm, addr, size);
            if (r != 0) {
                if (h != null) h.unreserve(countResv(v, 0, v.slots()));
                if (reserved) m.rthp.uncharge(size / pmd());
                if (v.file != null) v.file.put();
                return r;
            }
        }
        mm.insert(v);
        merge(mm, v);
        return addr;
    }

    /**
     * do_mmap() of shmem file {@code f}: a shared mapping of its pages (shmem_mmap()), placed PMD-aligned as
     * shmem_get_unmapped_area() places one that may hold THPs. Nothing is reserved and i_size does not change.
     * Simplifications: a private mapping of a shmem file (its copy-on-write of file pages) is not modelled, nor
     * is a mapping whose file offset is not PMD-aligned or whose MAP_FIXED address is not: each is -EINVAL.
     */
    private long mmapShmem(Mm mm, long addr, long len, int prot, int flags, ShmemFile f, long off) {
        if ((flags & (MAP_SHARED | MAP_PRIVATE)) != MAP_SHARED || (flags & MAP_HUGETLB) != 0) return -Errno.EINVAL;
        if (off < 0 || off % pmd() != 0) return -Errno.EINVAL;
        long size = roundUp(len, page());
        if (size < 0) return -Errno.ENOMEM;
        if (mm.mapCount() >= maxMapCount) return -Errno.ENOMEM;
        if ((flags & MAP_FIXED) != 0) {
            if (addr % pmd() != 0) return -Errno.EINVAL;
        } else {
            addr = mm.unmappedArea(size, pmd());
            if (addr < 0) return -Errno.ENOMEM;
        }
        long vmFlags = VM_SHARED;
        if ((prot & PROT_READ) != 0) vmFlags |= VM_READ;
        if ((prot & PROT_WRITE) != 0) vmFlags |= VM_WRITE;
        if ((prot & PROT_EXEC) != 0) vmFlags |= VM_EXEC;
        if ((flags & MAP_NORESERVE) != 0) vmFlags |= VM_NORESERVE;
        Vma v = new Vma(addr, addr + size, vmFlags, null, pmd());
        v.shmem = f;
        v.pgoff = off / pmd();
        f.get();
        if ((flags & MAP_FIXED) != 0) {
            long r = munmap(mm, addr, size);
            if (r != 0) {
                f.put();
                return r;
            }
        }
        mm.insert(v);
        return addr;
    }

    /**
     * vma_merge(): a VMA and its neighbours that now have the same flags become one. Simplification: only
     * anonymous, non-HugeTLB VMAs that meet at a PMD boundary merge (no window is then shared between them).
     */
    public Vma merge(Mm mm, Vma v) {
        Vma prev = v.start > 0 ? mm.find(v.start - 1) : null;
        if (mergeable(prev, v)) v = join(mm, prev, v);
        Vma next = mm.find(v.end);
        if (mergeable(v, next)) v = join(mm, v, next);
        return v;
    }

    private boolean mergeable(Vma a, Vma b) {
        return a != null && b != null && a.end == b.start && a.flags == b.flags && a.end % pmd() == 0
                && a.hstate == null && b.hstate == null && a.file == null && b.file == null && a.shmem == null && b.shmem == null;
    }

    private static Vma join(Mm mm, Vma a, Vma b) {
        Vma j = new Vma(a.start, b.end, a.flags, null, a.slotSize);
        Vma.copySlots(a, 0, j, 0, a.slots());
        Vma.copySlots(b, 0, j, j.slotOf(b.start), b.slots());
        mm.remove(a);
        mm.remove(b);
        a.dead = true;
        b.dead = true;
        mm.insert(j);
        return j;
    }

    /** __vm_munmap(); a negative errno when a split is refused, in which case nothing is unmapped. */
    public int munmap(Mm mm, long addr, long len) {
        if (addr % page() != 0 || len <= 0) return -Errno.EINVAL;
        long end = addr + roundUp(len, page());
        List<Vma> hit = mm.intersecting(addr, end);
        if (m.rthp.munmapWhole() && hit.stream().anyMatch(v -> v.has(VM_RESERVED_THP))) {
            // the author's plan: "the entire huge page will be freed at munmap time"
            addr = Math.floorDiv(addr, pmd()) * pmd();
            end = roundUp(end, pmd());
            hit = mm.intersecting(addr, end);
        }
        // vms_gather_munmap_vmas(): a hole punched inside one VMA must not leave map_count above the limit
        if (!hit.isEmpty() && addr > hit.get(0).start && end < hit.get(0).end && mm.mapCount() >= maxMapCount) {
            return -Errno.ENOMEM;
        }
        for (Vma v : hit) {
            int err = splitAllowed(v, addr, end);
            if (err != 0) return err;
        }
        for (Vma v : hit) unmapPart(mm, v, Math.max(addr, v.start), Math.min(end, v.end));
        return 0;
    }

    /**
     * Whether {@code v} may be split at {@code addr} and {@code end} (where they fall inside it):
     * HugeTLB VMAs only at huge-page boundaries (hugetlb_vm_op_split), reserved VMAs only at PMD
     * boundaries (RFC patch 6/8, rule 36).
     */
    public int splitAllowed(Vma v, long addr, long end) {
        long unit = v.has(VM_HUGETLB) ? v.hstate.size : v.has(VM_RESERVED_THP) ? pmd() : page();
        if (addr > v.start && addr < v.end && addr % unit != 0) return -Errno.EINVAL;
        if (end > v.start && end < v.end && end % unit != 0) return -Errno.EINVAL;
        return 0;
    }

    /** Removes [from, to) of {@code v}, keeping the pieces on either side as VMAs of their own. */
    private void unmapPart(Mm mm, Vma v, long from, long to) {
        Vma mid = isolate(mm, v, from, to, new int[1], false);
        releaseRange(mm, mid, mid.start, mid.end, true);
        uncgRsvd(mid);
        mm.remove(mid);
        mid.dead = true;
        mm.tables.settle();   // free_pgtables(): the range's tables go
        if (mid.has(VM_RESERVED_THP)) m.rthp.uncharge(mid.length() / pmd());
    }

    /**
     * Frees what [from, to) of {@code v} maps: THPs, 4 KiB pages, HugeTLB pages and swap entries. With
     * {@code dropReservations}, HugeTLB reservations of the range go too (munmap); without, a private
     * mapping's reservation is restored for every page freed (MADV_DONTNEED since 2024).
     */
    public void releaseRange(Mm mm, Vma v, long from, long to, boolean dropReservations) {
        releaseRange(mm, v, from, to, dropReservations, false);
    }

    /**
     * {@link #releaseRange(Mm, Vma, long, long, boolean)}, for a zap that keeps the VMA: with {@code keepPageTables},
     * a window mapped by PTEs keeps its page table empty (zap_pte_range() frees no table; only a huge PMD's
     * deposited table goes, zap_huge_pmd()).
     */
    public void releaseRange(Mm mm, Vma v, long from, long to, boolean dropReservations, boolean keepPageTables) {
        int first = v.slotOf(from), last = v.slotOf(to - 1);
        for (int i = first; i <= last; i++) {
            long s = Math.max(v.slotStart(i), v.start), e = Math.min(v.slotStart(i) + v.slotSize, v.end);
            long cs = Math.max(s, from), ce = Math.min(e, to);
            boolean whole = cs == s && ce == e;
            byte kind = v.kind(i);
            if (whole) freeSlot(mm, v, i, dropReservations);
            else partial(mm, v, i, (int) ((cs - v.slotStart(i)) / page()), (int) ((ce - v.slotStart(i)) / page()));
            if (keepPageTables && (kind == Vma.PTE || kind == Vma.PTE_THP || kind == Vma.FILE_PTE)) v.installPageTable(i);
        }
    }

    private void freeSlot(Mm mm, Vma v, int i, boolean dropReservations) {
        if (m.sharers(v.share(i)) > 1) {
            cow.dropView(mm, v, i);
        } else {
            m.unshare(v.share(i));
            v.setShare(i, 0);
            freeMemory(mm, v, i, dropReservations);
        }
        if (dropReservations && v.is(i, Vma.RESV)) {
            v.hstate.unreserve(1);
            v.clear(i, Vma.RESV);
        }
        // I/O still in flight finds the window gone: a write frees what it wrote, a read the pages it read
        v.clear(i, (byte) (Vma.RESERVED_BLOCK | Vma.UNMAPPED | Vma.WRITEBACK | Vma.READING));
    }

    /**
     * Before one side changes part of a window shared after fork (a split, a partial unmap), it takes a
     * private copy. Simplification: when no memory is left for the copy, that side's view is dropped.
     */
    private void privatize(Mm mm, Vma v, int i) {
        if (m.sharers(v.share(i)) <= 1) return;
        if (v.kind(i) == Vma.HUGETLB || !cow.copy(mm, v, i)) cow.dropView(mm, v, i);
        reclaim.lru.remapped(mm, v, i);   // a private copy is a new folio on the LRU
    }

    private void freeMemory(Mm mm, Vma v, int i, boolean dropReservations) {
        byte k = v.kind(i);
        if (k == Vma.FILE_PMD || k == Vma.FILE_PTE) {
            unmapShmem(mm, v, i);   // the pages stay the file's
            return;
        }
        boolean underIo = v.is(i, Vma.WRITEBACK);
        if (k == Vma.HUGETLB && v.is(i, Vma.FILE_PAGE)) {
            v.clear(i, Vma.FILE_PAGE);   // a page-cache page: it stays with the file
        } else if (k == Vma.HUGETLB) {
            // MADV_DONTNEED restores the owner's reservation ("mm/hugetlb: restore the reservation if
            // needed"), unless surplus pages exist (__unmap_hugepage_range)
            boolean restore = !dropReservations && v.resvOwner && v.hstate.surplus() == 0;
            v.hstate.freePage(v.page(i));
            if (restore && v.hstate.reserve(1, mm.node) == 0) v.set(i, Vma.RESV);
        } else if (k == Vma.PMD_THP) {
            m.freeThpBlock(v.page(i));
            mm.addThps(-1);
            if (v.is(i, Vma.RESERVED_BLOCK)) m.reservedBlockFreed();
        } else if (k == Vma.PTE || k == Vma.PTE_THP) {
            // pages being written are the swap cache's, not the window's: the write's completion frees them
            if (v.pte(i) > 0) reclaim.freePtes(mm, v, i);
            if (v.swp(i) > 0) {
                if (v.page(i) >= 0) m.swap.freeCluster((int) v.page(i));
                else m.swap.freeSlots(v.swp(i));
                mm.swapEntries -= v.swp(i);
            }
        }
        // free_swap_and_cache(): what the swap cache holds goes too, unless its write is still in flight
        if (k != Vma.HUGETLB && !underIo) reclaim.swapCache.drop(v.lru(i));
        if (k != Vma.EMPTY) m.memoryFreed();
        v.clearWindow(i);
    }

    /**
     * Pages [from, to) of a window go: a PMD-mapped THP is split (thp_split_pmd); the PTEs there go, and
     * as many swap entries as the rest of the range holds (swap entries are counted, not placed).
     */
    private void partial(Mm mm, Vma v, int i, int from, int to) {
        int pages = to - from;
        if (v.shmem != null) {
            splitWindow(mm, v, i);   // a shmem THP's PMD goes whole
            if (v.kind(i) == Vma.FILE_PTE) {
                // its PTEs in the range go (counted, not placed: as many as the range can hold)
                int n = Math.min(v.pte(i), pages);
                mm.addShmemPages(-n);
                v.mapFilePtes(i, v.pte(i) - n);
            }
            return;
        }
        privatize(mm, v, i);
        splitWindow(mm, v, i);
        if (v.kind(i) != Vma.PTE && v.kind(i) != Vma.PTE_THP) return;
        int fromPte = reclaim.freePtes(mm, v, i, from, to);
        int fromSwap = Math.min(v.swp(i), pages - fromPte);
        // simplification: the window's swap cache goes whole (its entries are counted, not placed)
        if (fromSwap > 0 && !v.underIo(i)) reclaim.swapCache.drop(v.lru(i));
        if (fromSwap > 0) {
            m.swap.freeSlots(fromSwap);
            v.dropSwapEntries(i, fromSwap);
            mm.swapEntries -= fromSwap;
        }
        if (v.kind(i) == Vma.PTE_THP && v.pte(i) == 0) {
            v.dropFolio(i);
            v.clear(i, Vma.RESERVED_BLOCK);
        }
    }

    /**
     * A window that is about to be cut: a PMD-mapped THP's PMD is split (thp_split_pmd) and its folio
     * stays whole, mapped by PTEs, until the deferred split; the huge zero page is dropped, and a whole
     * swapped THP's cluster becomes single slots.
     */
    private void splitWindow(Mm mm, Vma v, int i) {
        if (v.kind(i) == Vma.FILE_PMD) {
            // __split_huge_pmd() of a file PMD: it is zapped, and the pages fault back in by PTEs
            m.count(VmStat.thp_split_pmd);
            unmapShmem(mm, v, i);
            return;
        }
        if (v.underIo(i)) return;
        // the swap cache's copy would not fit the cut window (entries are counted, not placed): it goes
        reclaim.swapCache.drop(v.lru(i));
        if (v.kind(i) == Vma.PMD_THP) {
            m.deferredSplit.splitHugePmd(mm, v, i);
        } else if (v.kind(i) == Vma.ZERO_THP) {
            m.count(VmStat.thp_split_pmd);
            v.unmapZeroPage(i);
        } else if (v.kind(i) == Vma.PTE && v.swp(i) > 0 && v.page(i) >= 0) {
            m.swap.freeCluster((int) v.page(i));
            m.swap.allocSlots(v.swp(i));
            v.clusterToSlots(i);
        }
    }

    /**
     * __split_vma() at {@code at}: two VMAs; a window cut in two is split first, each of its base pages
     * goes to the side its offset is on, and its swap entries (counted, not placed) fill the left side first.
     */
    private Vma[] split(Mm mm, Vma v, long at) {
        int i = v.slotOf(at);
        boolean cut = (at - v.slotBase) % v.slotSize != 0;
        if (cut) {
            privatize(mm, v, i);
            splitWindow(mm, v, i);
        }
        Vma left = v.slice(v.start, at), right = v.slice(at, v.end);
        if (cut && v.share(i) != 0) {
            // privatize() left the cut window private: neither half keeps its old share id
            m.unshare(v.share(i));
            left.setShare(left.slots() - 1, 0);
            right.setShare(0, 0);
        }
        if (cut && v.shmem != null) {
            // a shmem window's mapped pages are counted, not placed: the left side's first
            int l = left.slots() - 1, ps = m.geometry.pageSize();
            int onLeft = Math.min(v.pte(i), left.pagesIn(l, ps));
            if (v.kind(i) == Vma.FILE_PTE) {
                left.mapFilePtes(l, onLeft);
                right.mapFilePtes(0, v.pte(i) - onLeft);
            }
        } else if (cut) {
            // the cut window's pages go to the side their offsets are on; swap entries, counted, left first
            int l = left.slots() - 1;
            int ps = m.geometry.pageSize();
            int at2 = left.endPage(l, ps);
            int leftPages = left.pagesIn(l, ps);
            long[] lp = PageRuns.select(v.runs(i), 0, at2, true), rp = PageRuns.select(v.runs(i), 0, at2, false);
            int sw = v.swp(i);
            int ls = Math.min(sw, leftPages - PageRuns.pages(lp));
            left.setPages(l, lp, ls);
            right.setPages(0, rp, sw - ls);
            // a side with none of the window's pages keeps the page table both share, and no folio
            if (left.pte(l) + left.swp(l) == 0 && left.kind(l) != Vma.EMPTY) left.keepTableOnly(l);
            if (right.pte(0) + right.swp(0) == 0 && right.kind(0) != Vma.EMPTY) right.keepTableOnly(0);
        }
        mm.remove(v);
        v.dead = true;
        mm.insert(left);
        mm.insert(right);
        if (cut) {
            // each side of the cut window ages on its own from now on
            reclaim.lru.remapped(mm, left, left.slots() - 1);
            reclaim.lru.remapped(mm, right, 0);
        }
        return new Vma[] {left, right};
    }

    /** exit_mmap(): everything goes, and reserved VMAs are uncharged (RFC patch 6/8, rule 38). */
    public void teardown(Mm mm) {
        for (Vma v : mm.vmas()) {
            releaseRange(mm, v, v.start, v.end, true);
            uncgRsvd(v);
            mm.remove(v);
            v.dead = true;
            if (v.has(VM_RESERVED_THP)) m.rthp.uncharge(v.length() / pmd());
        }
        // settles the tables, and frees the table a fault had taken in advance when the OOM kill of its own task cut it short
        mm.tables.faultDone();
        for (Inode f : mm.files.values()) f.put();   // files are closed after the mappings go
        mm.files.clear();
        mm.exited = true;
    }

    /**
     * Splits {@code v} so that [from, to) is a VMA of its own and returns it (split_vma()); null with the
     * refusal in {@code err[0]} when a split point is not allowed.
     */
    public Vma isolate(Mm mm, Vma v, long from, long to, int[] err) {
        return isolate(mm, v, from, to, err, true);
    }

    /**
     * With {@code limited}, each split is split_vma(): -ENOMEM once map_count has reached vm.max_map_count, a
     * split already made staying made (vma_modify()); without, __split_vma() for munmap and mremap, whose
     * callers check the limit themselves. Simplification: the alignment refusals are checked before any split.
     */
    private Vma isolate(Mm mm, Vma v, long from, long to, int[] err, boolean limited) {
        from = Math.max(from, v.start);
        to = Math.min(to, v.end);
        int e = splitAllowed(v, from, to);
        if (e != 0) { err[0] = e; return null; }
        Vma mid = v;
        if (from > mid.start) {
            if (limited && mm.mapCount() >= maxMapCount) { err[0] = -Errno.ENOMEM; return null; }
            mid = split(mm, mid, from)[1];
        }
        if (to < mid.end) {
            if (limited && mm.mapCount() >= maxMapCount) { err[0] = -Errno.ENOMEM; return null; }
            mid = split(mm, mid, to)[0];
        }
        return mid;
    }

    /**
     * dup_mmap() for one VMA: the child's copy maps the same memory, shared copy-on-write; HugeTLB
     * reservations stay with the parent (the child is not HPAGE_RESV_OWNER).
     */
    public Vma copyForFork(Mm parent, Vma v, Mm child) {
        Vma c = v.slice(v.start, v.end);
        if (c.shmem != null) {
            // dup_mmap() copies no page table of a shared file mapping: the child faults the file's pages in
            for (int i = 0; i < c.slots(); i++) c.reset(i);
            return c;
        }
        c.resvOwner = false;
        c.rsvdCgroup = null;   // the reservation and its charge stay with the parent
        for (int i = 0; i < c.slots(); i++) {
            c.clear(i, Vma.RESV);
            c.setLru(i, null);
            if (v.kind(i) == Vma.EMPTY || v.kind(i) == Vma.ZERO_THP || v.is(i, Vma.FILE_PAGE)) continue;
            // simplification: what the swap cache holds of a window shared from now on is freed (read from swap)
            if (!v.underIo(i)) reclaim.swapCache.drop(v.lru(i));
            long id = m.share(v.share(i));
            v.setShare(i, id);
            c.setShare(i, id);
            if (c.kind(i) == Vma.PMD_THP) child.addThps(1);
            child.addAnonPages(c.pte(i));
            child.swapEntries += c.swp(i);
            // the child's view of the shared memory ages on its own: reclaimable once it is private again
            reclaim.lru.remapped(child, c, i);
        }
        return c;
    }

    /** vma_expand() for mremap growing in place: the VMA now ends at {@code newEnd}, the new part empty. */
    public void extend(Mm mm, Vma v, long newEnd) {
        resize(mm, v, v.start, newEnd);
    }

    /** {@code v} now spans [newStart, newEnd) around its old range, the new parts empty (vma_expand, expand_downwards). */
    void resize(Mm mm, Vma v, long newStart, long newEnd) {
        Vma grown = new Vma(newStart, newEnd, v.flags, v.hstate, v.slotSize);
        grown.resvOwner = v.resvOwner;
        adoptFile(grown, v, 0);
        Vma.copySlots(v, 0, grown, grown.slotOf(v.slotBase), v.slots());
        mm.remove(v);
        v.dead = true;
        mm.insert(grown);
    }

    /**
     * move_vma(): [addr, addr + len) of {@code v} moves to {@code target} with what it maps; the new VMA is
     * {@code newLen} long. The old range goes without being uncharged, its quota moving with it (rule 42),
     * or, with MREMAP_DONTUNMAP, stays mapped and empty with its own charge (rule 41).
     */
    public void move(Mm mm, Vma v, long addr, long len, long target, long newLen, boolean dontunmap) {
        Vma old = isolate(mm, v, addr, addr + len, new int[1], false);
        Vma moved = new Vma(target, target + newLen, old.flags, old.hstate, old.slotSize);
        moved.resvOwner = old.resvOwner;
        moved.rsvdCgroup = dontunmap ? null : old.rsvdCgroup;
        adoptFile(moved, old, 0);
        if ((target - addr) % old.slotSize == 0) {
            int to = moved.slotOf(old.slotStart(0) - addr + target);
            Vma.copySlots(old, 0, moved, to, old.slots());
        } else {
            // windows do not line up: THPs are split and the base pages fill the new windows in order
            for (int i = 0; i < old.slots(); i++) {
                privatize(mm, old, i);
                splitWindow(mm, old, i);
                if (old.kind(i) == Vma.PTE_THP) m.deferredSplit.toBasePages(mm, old, i);
            }
            // each page keeps its address relative to the range: it lands in the new window that covers it
            int ps = m.geometry.pageSize();
            long swp = 0;
            PageRuns.Builder[] to = new PageRuns.Builder[moved.slots()];
            for (int i = 0; i < old.slots(); i++) {
                swp += old.swp(i);
                long[] r = old.runs(i);
                for (int k = 0; k < PageRuns.runs(r); k++) {
                    for (int p = 0; p < PageRuns.len(r, k); p++) {
                        long a = old.slotStart(i) + (long) (PageRuns.voff(r, k) + p) * ps - addr + target;
                        int j = moved.slotOf(a);
                        if (to[j] == null) to[j] = new PageRuns.Builder();
                        to[j].add(PageRuns.node(r, k), PageRuns.pfn(r, k) + p, (int) ((a - moved.slotStart(j)) / ps), 1);
                    }
                }
            }
            for (int j = 0; j < moved.slots(); j++) {
                long[] p = to[j] == null ? PageRuns.NONE : to[j].build();
                int q = (int) Math.min(moved.pagesIn(j, ps) - PageRuns.pages(p), swp);
                moved.setPages(j, p, q);
                if (p.length > 0 || q > 0) moved.mapPtes(j);
                swp -= q;
            }
        }
        for (int i = 0; i < old.slots(); i++) {
            old.reset(i);
        }
        if (!dontunmap) {
            mm.remove(old);
            old.dead = true;
        }
        mm.insert(moved);
        for (int j = 0; j < moved.slots(); j++) reclaim.lru.remapped(mm, moved, j);
    }

    /** The mapping's reservation charge goes back to its cgroup, for the part this VMA covers. */
    private static void uncgRsvd(Vma v) {
        if (v.rsvdCgroup == null) return;
        v.rsvdCgroup.unchargeRsvd(v.hstate.size, v.length());
        v.rsvdCgroup = null;
    }

    private static void adoptFile(Vma to, Vma from, long pgoffDelta) {
        if (from.file == null && from.shmem == null) return;
        to.file = from.file;
        to.shmem = from.shmem;
        to.pgoff = from.pgoff + pgoffDelta;
        if (to.file != null) to.file.get();
        if (to.shmem != null) to.shmem.get();
    }

    /** zap_pte_range() / zap_huge_pmd() of what window {@code i} maps of its shmem file: the pages stay the file's. */
    private void unmapShmem(Mm mm, Vma v, int i) {
        if (v.kind(i) == Vma.FILE_PMD) {
            var folio = v.shmem.folio(v.fileIndex(i));
            if (folio != null) m.shmem.pmdMapped(folio, -1);
            mm.addShmemPages(-m.geometry.pmdPages());
        } else if (v.kind(i) == Vma.FILE_PTE) {
            mm.addShmemPages(-v.pte(i));
        }
        v.clearWindow(i);
    }


    static long countResv(Vma v, int from, int to) {
        long n = 0;
        for (int i = from; i < to; i++) if (v.is(i, Vma.RESV)) n++;
        return n;
    }

    private static long roundUp(long x, long a) {
        long r = Math.floorDiv(x + a - 1, a) * a;
        return r < x ? -1 : r;
    }
}
