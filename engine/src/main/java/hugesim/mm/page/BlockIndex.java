package hugesim.mm.page;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Which holders of 4 KiB pages (page-cache stretches, shmem folios) have pages in each pageblock: the reverse
 * map migration walks for pages that no window maps by itself. Holders of a block are kept in the order they came.
 */
public final class BlockIndex<T> {
    private final Map<Long, LinkedHashSet<T>> byBlock = new HashMap<>();
    private final int blockPages;

    public BlockIndex(int blockPages) {
        this.blockPages = blockPages;
    }

    /** Records ({@code add}) or forgets the blocks {@code runs} lie in as holding pages of {@code holder}. */
    public void index(T holder, long[] runs, boolean add) {
        for (int k = 0; k < PageRuns.runs(runs); k++) {
            long first = PageRuns.pfn(runs, k) / blockPages, last = (PageRuns.pfn(runs, k) + PageRuns.len(runs, k) - 1) / blockPages;
            for (long b = first; b <= last; b++) {
                long key = (long) PageRuns.node(runs, k) << 32 | b;
                if (add) {
                    byBlock.computeIfAbsent(key, x -> new LinkedHashSet<>()).add(holder);
                } else {
                    LinkedHashSet<T> in = byBlock.get(key);
                    if (in != null && in.remove(holder) && in.isEmpty()) byBlock.remove(key);
                }
            }
        }
    }

    /** The holders with pages in {@code block} of {@code node}, in the order they came there. */
    public List<T> in(int node, int block) {
        LinkedHashSet<T> in = byBlock.get((long) node << 32 | block);
        return in == null ? List.of() : new ArrayList<>(in);
    }
}
