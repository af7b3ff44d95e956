package hugesim.mm.shmem;

import hugesim.mm.Inode;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * A shmem (tmpfs) file (mm/shmem.c): a memfd, the object behind a MAP_SHARED|MAP_ANONYMOUS mapping, or a
 * file of /dev/shm. Its pages are its page cache, shared by every mapping of it and outliving them; they go
 * when the file is truncated, has a hole punched, or is freed (its last reference gone and its name unlinked).
 */
public final class ShmemFile implements Inode {
    public final String name;
    private final Shmem shmem;
    /** Whether it lives on /dev/shm (a tmpfs mount with a huge= option of its own) rather than the internal mount (shm_mnt). */
    final boolean onDevShm;
    final TreeMap<Long, ShmemFolio> folios = new TreeMap<>();
    long size;
    private int refs;
    /** A /dev/shm file whose name is not unlinked yet: it stays with no reference left. */
    boolean linked;

    ShmemFile(Shmem shmem, String name, boolean onDevShm) {
        this.shmem = shmem;
        this.name = name;
        this.onDevShm = onDevShm;
    }

    /** i_size, in bytes. */
    public long size() { return size; }

    /** What the file holds at PMD-sized index {@code index}, or null. */
    public ShmemFolio folio(long index) { return folios.get(index); }

    /** Everything the file holds, in index order. */
    public List<ShmemFolio> folios() { return new ArrayList<>(folios.values()); }

    @Override
    public void get() { refs++; }

    @Override
    public void put() {
        if (--refs > 0 || linked) return;
        shmem.evict(this);   // shmem_evict_inode(): the last reference of an unlinked file
    }

    /** Whether nothing holds the file any more (its pages are gone). */
    boolean unused() { return refs <= 0 && !linked; }
}
