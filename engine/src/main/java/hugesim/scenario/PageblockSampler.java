package hugesim.scenario;

import hugesim.mm.page.MigrateType;
import hugesim.mm.page.Zone;
import hugesim.record.BlockMap;

import java.util.ArrayList;
import java.util.List;

/**
 * Takes a column of the {@link BlockMap} every few samples: for each row of blocks (the zones one after the
 * other, node 0 first), the migratetype most of them have and how full they are. At most {@link #ROWS} rows
 * and {@link #COLUMNS} columns, and fewer columns on a large machine, so that a run's columns visit at most
 * {@link #VISITS} blocks in all: a 64 GiB machine gets 240 columns, a 1 TiB one 32.
 */
final class PageblockSampler {
    static final int ROWS = 512, COLUMNS = 240;
    static final long VISITS = 1L << 24;

    private final List<Zone> zones;
    private final int blocksPerRow, rows;
    private final long stride;
    private final BlockMap map;
    private final byte[] rowType, rowFill;
    private final int types = MigrateType.VALUES.length;
    // per row, refilled each column: blocks of each type, free blocks, pages, free pages
    private final int[] typeCount, freeBlocks;
    private final long[] pages, free;
    private long sampled;
    /** Each zone's {@link Zone#changes()} at the last column taken: a column over unchanged zones repeats the last. */
    private final long[] seen;

    PageblockSampler(List<Zone> zones, long blockBytes, long samples) {
        this.zones = zones;
        long blocks = 0;
        for (Zone z : zones) blocks += z.nrBlocks;
        this.blocksPerRow = (int) Math.max(1, (blocks + ROWS - 1) / ROWS);
        this.rows = (int) ((blocks + blocksPerRow - 1) / blocksPerRow);
        int columns = (int) Math.max(16, Math.min(COLUMNS, VISITS / Math.max(1, blocks)));
        this.stride = Math.max(1, (samples + columns - 1) / columns);
        List<String> types = new ArrayList<>();
        for (MigrateType t : MigrateType.VALUES) types.add(t.procName);
        this.map = BlockMap.empty(types, blockBytes, blocksPerRow, rows, (int) Math.min(columns, samples));
        this.rowType = new byte[rows];
        this.rowFill = new byte[rows];
        this.typeCount = new int[rows * MigrateType.VALUES.length];
        this.freeBlocks = new int[rows];
        this.pages = new long[rows];
        this.free = new long[rows];
        this.seen = new long[zones.size()];
        java.util.Arrays.fill(seen, -1);
    }

    BlockMap map() { return map; }

    void sample(double time) {
        if (sampled++ % stride != 0) return;
        if (unchanged()) {
            map.addColumn(time, rowType, rowFill);
            return;
        }
        java.util.Arrays.fill(typeCount, 0);
        java.util.Arrays.fill(freeBlocks, 0);
        java.util.Arrays.fill(pages, 0);
        java.util.Arrays.fill(free, 0);
        int offset = 0;
        for (Zone z : zones) {
            z.countByRow(offset, blocksPerRow, typeCount, freeBlocks, free);
            // a row may span two zones: each adds its own blocks' pages
            for (int b = 0; b < z.nrBlocks; ) {
                int row = (offset + b) / blocksPerRow, end = Math.min(z.nrBlocks, (row + 1) * blocksPerRow - offset);
                pages[row] += (long) (end - b) * z.blockPages;
                free[row] += (long) freeBlocks[row] * z.blockPages;
                freeBlocks[row] = 0;
                b = end;
            }
            offset += z.nrBlocks;
        }
        for (int row = 0; row < rows; row++) {
            int best = 0;
            for (int t = 1; t < types; t++) if (typeCount[row * types + t] > typeCount[row * types + best]) best = t;
            rowType[row] = (byte) best;
            rowFill[row] = (byte) Math.round(255.0 * (pages[row] - free[row]) / pages[row]);
        }
        map.addColumn(time, rowType, rowFill);
    }

    private boolean unchanged() {
        boolean same = true;
        for (int z = 0; z < seen.length; z++) {
            long c = zones.get(z).changes();
            if (c != seen[z]) { seen[z] = c; same = false; }
        }
        return same;
    }
}
