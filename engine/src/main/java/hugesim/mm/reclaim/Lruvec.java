package hugesim.mm.reclaim;

import hugesim.mm.filemap.FileFolio;
import hugesim.mm.vma.LruFolio;

/**
 * One node's LRU lists (struct lruvec: LRU_INACTIVE_ANON, LRU_ACTIVE_ANON, LRU_INACTIVE_FILE,
 * LRU_ACTIVE_FILE), each a doubly linked list with its head the most recently added. Sizes count entries:
 * a THP is one entry worth 512 pages, as in the kernel; a window of 4 KiB pages, or a PMD-sized stretch of
 * a file's page cache, is one entry too (simplification: the model ages them together). The file lists
 * also count their pages (Active(file), Inactive(file)).
 */
final class Lruvec {
    private final LruFolio[] head = new LruFolio[5], tail = new LruFolio[5];
    private final long[] size = new long[5];
    private final long[] filePages = new long[5];
    /** lruvec->nonresident_age: file pages evicted or activated so far (mm/workingset.c). */
    long nonresidentAge;
    final int node;

    Lruvec(int node) {
        this.node = node;
    }

    long size(byte list) { return size[list]; }

    /** Pages on a file list. */
    long filePages(byte list) { return filePages[list]; }

    LruFolio tail(byte list) { return tail[list]; }

    /** lruvec_add_folio(): onto the head of {@code list}. */
    void add(LruFolio f, byte list) {
        f.list = list;
        f.prev = null;
        f.next = head[list];
        if (head[list] != null) head[list].prev = f;
        head[list] = f;
        if (tail[list] == null) tail[list] = f;
        size[list]++;
        if (f instanceof FileFolio ff) filePages[list] += ff.pages();
        if (f.memcg != null) f.memcg.lru(node, list, 1, f instanceof FileFolio ff ? ff.pages() : 0);
    }

    /** folio_rotate_reclaimable(): onto the tail of {@code list}, the next to be scanned. */
    void addTail(LruFolio f, byte list) {
        f.list = list;
        f.next = null;
        f.prev = tail[list];
        if (tail[list] != null) tail[list].next = f;
        tail[list] = f;
        if (head[list] == null) head[list] = f;
        size[list]++;
        if (f instanceof FileFolio ff) filePages[list] += ff.pages();
        if (f.memcg != null) f.memcg.lru(node, list, 1, f instanceof FileFolio ff ? ff.pages() : 0);
    }

    /** lruvec_del_folio(): off its list (isolated). */
    void del(LruFolio f) {
        byte list = f.list;
        if (list == LruFolio.NONE) return;
        if (f.prev != null) f.prev.next = f.next; else head[list] = f.next;
        if (f.next != null) f.next.prev = f.prev; else tail[list] = f.prev;
        f.prev = f.next = null;
        f.list = LruFolio.NONE;
        size[list]--;
        if (f instanceof FileFolio ff) filePages[list] -= ff.pages();
        if (f.memcg != null) f.memcg.lru(node, list, -1, f instanceof FileFolio ff ? ff.pages() : 0);
    }

    /** Back onto the head of {@code list} (putback, rotation, activation, deactivation). */
    void move(LruFolio f, byte list) {
        del(f);
        add(f, list);
    }

    /**
     * inactive_is_low(): the inactive list is too short for the active one, so shrink_active_list()
     * deactivates some. The ratio grows with the lists' size, sqrt(10 × GiB), at least 1.
     */
    boolean inactiveIsLow(int pmdPages, int pageShift) {
        return inactiveIsLow(size[LruFolio.INACTIVE] * pmdPages, size[LruFolio.ACTIVE] * pmdPages, pageShift);
    }

    /** inactive_is_low() for the file lists, in pages. */
    boolean inactiveFileIsLow(int pageShift) {
        return inactiveIsLow(filePages[LruFolio.INACTIVE_FILE], filePages[LruFolio.ACTIVE_FILE], pageShift);
    }

    static boolean inactiveIsLow(long inactive, long active, int pageShift) {
        long gb = (inactive + active) >> (30 - pageShift);
        long ratio = gb > 0 ? (long) Math.sqrt(10.0 * gb) : 1;
        return inactive * ratio < active;
    }
}
