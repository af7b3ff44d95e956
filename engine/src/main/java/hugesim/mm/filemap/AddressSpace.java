package hugesim.mm.filemap;

import java.util.HashMap;
import java.util.Map;

/**
 * One file's page cache (struct address_space): its cached stretches by index, and the shadow entries
 * that eviction leaves where a stretch was (mm/workingset.c), so that reading it again is a refault.
 */
public final class AddressSpace {
    public final String name;
    final Map<Integer, FileFolio> folios = new HashMap<>();
    /** Index → the node's non-resident age when the stretch was evicted (workingset_eviction()). */
    final Map<Integer, Long> shadows = new HashMap<>();
    /** The file's size in bytes (i_size): a write past it grows it. */
    long size;

    AddressSpace(String name) {
        this.name = name;
    }

    public long size() { return size; }

    /** The cached stretch at {@code index}, or null. */
    public FileFolio folio(int index) { return folios.get(index); }
}
