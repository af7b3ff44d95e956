package hugesim.mm.reclaim;

import hugesim.mm.vma.Mm;
import hugesim.mm.vma.Vma;

/** One PMD window that went cold, in the order it went cold: the tail of the inactive anon LRU. */
record ColdRef(Mm mm, Vma vma, int slot) {
}
