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
    private long sampled;

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
    }

    BlockMap map() { return map; }

    void sample(double time) {
        if (sampled++ % stride != 0) return;
        int row = 0, inRow = 0;
        long taken = 0, pages = 0;
        int[] typeCount = new int[MigrateType.VALUES.length];
        for (Zone z : zones) {
            for (int b = 0; b < z.nrBlocks; ) {
                // the rest of this row, or of this zone: a row may span two zones
                int n = Math.min(blocksPerRow - inRow, z.nrBlocks - b);
                taken += z.countBlocks(b, b + n, typeCount);
                pages += (long) n * z.blockPages;
                b += n;
                inRow += n;
                if (inRow == blocksPerRow) {
                    close(row++, typeCount, taken, pages);
                    inRow = 0;
                    taken = pages = 0;
                }
            }
        }
        if (inRow > 0) close(row, typeCount, taken, pages);
        map.addColumn(time, rowType, rowFill);
    }

    private void close(int row, int[] typeCount, long taken, long pages) {
        int best = 0;
        for (int t = 1; t < typeCount.length; t++) if (typeCount[t] > typeCount[best]) best = t;
        java.util.Arrays.fill(typeCount, 0);
        rowType[row] = (byte) best;
        rowFill[row] = (byte) Math.round(255.0 * taken / pages);
    }
}
