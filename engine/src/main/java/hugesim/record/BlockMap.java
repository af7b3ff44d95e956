package hugesim.record;

import java.util.Arrays;
import java.util.List;

/**
 * Physical memory over time, as a picture: rows of pageblocks from the lowest address up (consecutive
 * blocks grouped into one row when there are many), columns of time. Each cell holds the migratetype most
 * of the row's blocks have and how full they are (0 to 255: 4 KiB pages in use, a block held whole counting
 * as full).
 *
 * @param types       migratetype names, indexed by the type a cell holds
 * @param blockBytes  the bytes of one block
 * @param blocksPerRow blocks grouped into a row
 * @param rows        rows (the last may group fewer blocks)
 */
public record BlockMap(List<String> types, long blockBytes, int blocksPerRow, int rows, int maxColumns,
                       double[] times, byte[] type, byte[] fill, int[] columns) {
    /** An empty map of {@code rows} rows with room for {@code maxColumns} columns. */
    public static BlockMap empty(List<String> types, long blockBytes, int blocksPerRow, int rows, int maxColumns) {
        return new BlockMap(List.copyOf(types), blockBytes, blocksPerRow, rows, maxColumns,
                new double[maxColumns], new byte[rows * maxColumns], new byte[rows * maxColumns], new int[1]);
    }

    /** Columns taken so far. */
    public int columnCount() { return columns[0]; }

    /** Adds the column at {@code time}: a type and a fill per row. Ignored once the map is full. */
    public void addColumn(double time, byte[] rowType, byte[] rowFill) {
        int c = columns[0];
        if (c == maxColumns) return;
        times[c] = time;
        System.arraycopy(rowType, 0, type, c * rows, rows);
        System.arraycopy(rowFill, 0, fill, c * rows, rows);
        columns[0] = c + 1;
    }

    public int type(int column, int row) { return type[column * rows + row]; }

    public int fill(int column, int row) { return fill[column * rows + row] & 0xff; }

    public double time(int column) { return times[column]; }

    @Override
    public String toString() {
        return "BlockMap[" + rows + " rows of " + blocksPerRow + " blocks, " + columns[0] + " columns, types " + types + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlockMap b && b.rows == rows && b.columns[0] == columns[0] && Arrays.equals(b.type, type)
                && Arrays.equals(b.fill, fill) && Arrays.equals(b.times, times);
    }

    @Override
    public int hashCode() { return Arrays.hashCode(fill); }
}
