package hugesim.mm.reclaim;

import hugesim.mm.vma.Mm;
import hugesim.mm.vma.Vma;

/**
 * One PMD window that went cold, by address, in the order it went cold: the tail of the inactive anon
 * LRU. By address rather than by VMA, so that a VMA split or merged meanwhile does not lose it.
 */
record ColdRef(Mm mm, long addr, long seq) {
    /** The VMA now mapping the window, or null when it is gone. */
    Vma vma() {
        return mm.exited ? null : mm.find(addr);
    }
}
