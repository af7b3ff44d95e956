package hugesim.mm.reclaim;

import hugesim.mm.vma.LruFolio;

/**
 * One node's anonymous LRU lists (struct lruvec: LRU_INACTIVE_ANON, LRU_ACTIVE_ANON), each a doubly linked
 * list with its head the most recently added. Sizes count entries: a THP is one entry worth 512 pages, as
 * in the kernel; a window of 4 KiB pages is one entry too (simplification: the model ages them together).
 */
final class Lruvec {
    private final LruFolio[] head = new LruFolio[3], tail = new LruFolio[3];
    private final long[] size = new long[3];

    long size(byte list) { return size[list]; }

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
        long inactive = size[LruFolio.INACTIVE], active = size[LruFolio.ACTIVE];
        long gb = ((inactive + active) * pmdPages) >> (30 - pageShift);
        long ratio = gb > 0 ? (long) Math.sqrt(10.0 * gb) : 1;
        return inactive * ratio < active;
    }
}
