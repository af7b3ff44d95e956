package hugesim.record;

import java.util.Arrays;
import java.util.List;

/**
 * Metrics sampled on one shared time axis: one primitive column per metric, grown by doubling,
 * so a day sampled every second (86,400 rows) costs 8 bytes per metric per row and nothing more.
 */
public final class Series {
    private List<String> names;
    private double[] time;
    private double[][] columns;
    private int rows;

    public Series(List<String> names) {
        this(names, 256);
    }

    /** A series that will hold about {@code rows} rows: sized once, so a long run never holds a column twice while it grows. */
    public Series(List<String> names, int rows) {
        int n = Math.max(1, rows);
        this.names = List.copyOf(names);
        this.time = new double[n];
        this.columns = new double[names.size()][n];
    }

    public void add(double seconds, double[] row) {
        if (row.length != columns.length) throw new IllegalArgumentException("row has " + row.length + " values, want " + columns.length);
        if (rows == time.length) {
            int n = (int) Math.max(256, Math.min(Integer.MAX_VALUE - 8L, rows * 2L));
            time = Arrays.copyOf(time, n);
            for (int i = 0; i < columns.length; i++) columns[i] = Arrays.copyOf(columns[i], n);
        }
        time[rows] = seconds;
        for (int i = 0; i < row.length; i++) columns[i][rows] = row[i];
        rows++;
    }

    public List<String> names() { return names; }

    /** A metric known only by the end of the run, with a value for every row taken so far. */
    public void addColumn(String name, double[] values) {
        if (names.contains(name)) throw new IllegalArgumentException("metric '" + name + "' is there already");
        if (values.length < rows) throw new IllegalArgumentException("column '" + name + "' has " + values.length + " values, want " + rows);
        java.util.List<String> more = new java.util.ArrayList<>(names);
        more.add(name);
        names = List.copyOf(more);
        columns = Arrays.copyOf(columns, columns.length + 1);
        columns[columns.length - 1] = Arrays.copyOf(values, time.length);
    }

    public int size() { return rows; }

    public double[] time() { return Arrays.copyOf(time, rows); }

    public double[] column(String name) {
        int i = names.indexOf(name);
        if (i < 0) throw new IllegalArgumentException("no metric '" + name + "'; known: " + names);
        return Arrays.copyOf(columns[i], rows);
    }

    /** The time of sample {@code row}, in seconds: for writers that stream the series without copying it. */
    public double timeAt(int row) { return time[row]; }

    /** The value of the {@code column}th metric (in {@link #names()} order) at sample {@code row}. */
    public double get(int column, int row) { return columns[column][row]; }

    public double value(String name, int row) {
        return columns[names.indexOf(name)][row];
    }

    public double max(String name) {
        int i = names.indexOf(name);
        double m = rows == 0 ? 0 : Double.NEGATIVE_INFINITY;
        for (int r = 0; r < rows; r++) m = Math.max(m, columns[i][r]);
        return m;
    }

    /** The mean of a metric over the samples (0 with none). */
    public double mean(String name) {
        int i = names.indexOf(name);
        double sum = 0;
        for (int r = 0; r < rows; r++) sum += columns[i][r];
        return rows == 0 ? 0 : sum / rows;
    }

    /** Value of a metric at the last sample taken at or before {@code seconds}. */
    public double at(String name, double seconds) {
        int i = names.indexOf(name);
        int r = Arrays.binarySearch(time, 0, rows, seconds);
        if (r < 0) r = -r - 2;
        if (r < 0) throw new IllegalArgumentException("no sample at or before " + seconds + " s");
        return columns[i][r];
    }
}
