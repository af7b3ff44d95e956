package hugesim.mm;

/**
 * A file in memory (struct inode) that file descriptors and mappings hold: a hugetlbfs file or a shmem one.
 * It lives while anything holds it, and (a tmpfs file not unlinked yet) while its name does.
 */
public interface Inode {
    /** One more descriptor or mapping holds the file. */
    void get();

    /** A descriptor or mapping lets go; the last one frees what the file holds, unless its name keeps it. */
    void put();
}
