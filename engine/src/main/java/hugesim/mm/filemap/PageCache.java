package hugesim.mm.filemap;

import hugesim.mm.page.BlockIndex;
import hugesim.mm.page.PageAllocator;
import hugesim.mm.page.PageRuns;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The page cache (mm/filemap.c): files' pages kept in memory after they were read or written, clean or
 * dirty, movable (GFP_HIGHUSER_MOVABLE, a mapping's default gfp), and outliving the processes that read
 * them. Files are named by the scenario and shared by every process. The pages of a file are kept in
 * stretches of one PMD's worth ({@link FileFolio}), each one LRU entry.
 *
 * <p>Simplification: no Buffers (block-device metadata) and no mapped files: processes read and write
 * files with read(2) and write(2), so no page-cache page is mapped and every one can be dropped once clean.
 */
public final class PageCache {
    private final PageAllocator pages;
    /** Pages in one stretch (HPAGE_PMD_NR). */
    public final int stretch;
    private final Map<String, AddressSpace> files = new LinkedHashMap<>();
    /** Dirty stretches not under writeback, oldest dirtied first (the flusher's b_dirty order). */
    private final LinkedHashSet<FileFolio> dirtyList = new LinkedHashSet<>();
    private long cached, dirty, writeback;
    /** Which stretches hold pages in a block: migration's reverse map for the page cache. */
    private final BlockIndex<FileFolio> byBlock;

    public PageCache(PageAllocator pages, int stretch) {
        this.pages = pages;
        this.stretch = stretch;
        this.byBlock = new BlockIndex<>(pages.zone(0).blockPages);
    }

    /** The file called {@code name}, made empty when there is none. */
    public AddressSpace file(String name) {
        return files.computeIfAbsent(name, AddressSpace::new);
    }

    /** The file called {@code name}, or null. */
    public AddressSpace lookup(String name) { return files.get(name); }

    /**
     * filemap_add_folio(): freshly allocated pages {@code runs} hold stretch {@code index} of {@code f}
     * (read from disk, or written: {@code dirty}). Returns the new folio; its shadow entry, if any, is gone.
     */
    public FileFolio add(AddressSpace f, int index, long[] runs, boolean dirty, long now) {
        return add(f, index, runs, dirty, now, null);
    }

    /** filemap_add_folio() by a task of {@code memcg} (null: the root), which the stretch is charged to. */
    public FileFolio add(AddressSpace f, int index, long[] runs, boolean dirty, long now, hugesim.mm.memcg.MemCgroup memcg) {
        if (f.folios.containsKey(index)) throw new IllegalStateException("stretch " + index + " of '" + f.name + "' is cached already");
        FileFolio folio = new FileFolio(f, index, PageRuns.runs(runs) > 0 ? PageRuns.node(runs, 0) : 0);
        folio.runs = runs;
        folio.pages = PageRuns.pages(runs);
        index(folio, runs, true);
        f.folios.put(index, folio);
        f.shadows.remove(index);
        cached += folio.pages;
        folio.memcg = memcg;
        if (memcg != null) memcg.filePages(folio.pages);
        if (dirty) setDirty(folio, now);
        return folio;
    }

    /**
     * The shadow entry eviction left at stretch {@code index} of {@code f} (the node's non-resident age
     * then), or -1 when there is none.
     */
    public long shadow(AddressSpace f, int index) {
        Long age = f.shadows.get(index);
        return age == null ? -1 : age;
    }

    /** i_size grows to {@code size} when it is below it (a write past the end, or a file read in full). */
    public void grow(AddressSpace f, long size) {
        if (size > f.size) f.size = size;
    }

    /**
     * The file grew into the rest of a cached stretch: {@code runs} (offsets past its pages) join it, in the
     * state the stretch is in. The caller takes it off its LRU list meanwhile, so that the list's pages add up.
     */
    public void extend(FileFolio f, long[] runs) {
        int n = PageRuns.pages(runs);
        index(f, runs, true);
        f.runs = PageRuns.merge(f.runs, runs);
        f.pages += n;
        cached += n;
        if (f.memcg != null) f.memcg.filePages(n);
        if (f.dirty) dirty += n;
        if (f.writeback) writeback += n;
    }

    /** folio_mark_dirty(): written to. */
    public void setDirty(FileFolio f, long now) {
        if (f.dirty) return;
        f.dirty = true;
        f.dirtiedAt = now;
        dirty += f.pages;
        if (!f.writeback) dirtyList.add(f);
    }

    /** The oldest dirty stretch not under writeback, or null. */
    public FileFolio oldestDirty() {
        for (FileFolio f : dirtyList) return f;
        return null;
    }

    /** folio_clear_dirty_for_io() and folio_start_writeback(): the stretch goes to disk as it is now. */
    public void startWriteback(FileFolio f) {
        if (!f.dirty || f.writeback) throw new IllegalStateException("writeback of a stretch that is not dirty, or already under writeback");
        f.dirty = false;
        dirty -= f.pages;
        dirtyList.remove(f);
        f.writeback = true;
        writeback += f.pages;
    }

    /** folio_end_writeback(): clean now, unless written to again meanwhile. */
    public void endWriteback(FileFolio f) {
        if (!f.writeback) return;   // truncated while written: counted out then
        f.writeback = false;
        writeback -= f.pages;
        if (f.dirty && !f.gone) dirtyList.add(f);
    }

    /**
     * __remove_mapping() of a clean stretch by reclaim: its pages are freed and a shadow entry dated
     * {@code age} (the node's non-resident age) stays in its place.
     */
    public void evict(FileFolio f, long age) {
        remove(f);
        f.file.shadows.put(f.index, age);
    }

    /**
     * invalidate_mapping_pages() (vm.drop_caches): a clean stretch not under writeback goes, leaving no
     * shadow; the caller leaves the others (the kernel skips them).
     */
    public void drop(FileFolio f) {
        if (f.dirty || f.writeback) throw new IllegalStateException("drop of a stretch that is dirty or under writeback");
        remove(f);
    }

    /** Every cached stretch, files in the order they were made, each in index order. */
    public List<FileFolio> folios() {
        List<FileFolio> out = new ArrayList<>();
        for (AddressSpace f : files.values()) forEach(f, out::add);
        return out;
    }

    /** The cached stretches of {@code f}, in index order. */
    public List<FileFolio> folios(AddressSpace f) {
        List<FileFolio> out = new ArrayList<>();
        forEach(f, out::add);
        return out;
    }

    /**
     * unlink() of the last reference (truncate_inode_pages_final()): every stretch goes, dirty ones with
     * their data (cancel_dirty_page()). The caller takes them off the LRU first.
     */
    public void truncate(AddressSpace f) {
        for (FileFolio folio : folios(f)) {
            if (folio.dirty) {
                folio.dirty = false;
                dirty -= folio.pages;
                dirtyList.remove(folio);
            }
            remove(folio);
        }
        f.shadows.clear();
        files.remove(f.name);
    }

    private void remove(FileFolio f) {
        if (f.writeback) {
            // simplification: truncation does not wait for the write in flight (truncate_inode_pages() would)
            writeback -= f.pages;
            f.writeback = false;
        }
        f.file.folios.remove(f.index);
        f.gone = true;
        cached -= f.pages;
        if (f.memcg != null) f.memcg.filePages(-f.pages);
        index(f, f.runs, false);
        pages.freeRuns(f.runs);
        f.runs = PageRuns.NONE;
        f.pages = 0;
    }

    /** Migration moved the stretch's pages: {@code runs} replace them (the same offsets). */
    public void replacePages(FileFolio f, long[] runs) {
        index(f, f.runs, false);
        f.runs = runs;
        index(f, runs, true);
    }

    /** The stretches with pages in {@code block} of {@code node}, in the order they came there. */
    public List<FileFolio> foliosIn(int node, int block) { return byBlock.in(node, block); }

    private void index(FileFolio f, long[] runs, boolean add) { byBlock.index(f, runs, add); }

    /** Every cached stretch of {@code f} in index order. */
    private static void forEach(AddressSpace f, Consumer<FileFolio> c) {
        f.folios.keySet().stream().sorted().forEach(i -> c.accept(f.folios.get(i)));
    }

    /** Pages in the page cache (Cached). */
    public long cachedPages() { return cached; }

    /** Dirty pages not yet under writeback (Dirty). */
    public long dirtyPages() { return dirty; }

    /** Pages being written back (Writeback). */
    public long writebackPages() { return writeback; }
}
