package hugesim.charts;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A swept parameter's values (DSL literals such as {@code 22.GB}, {@code 300.s}, {@code 0.4}) as numbers
 * for an axis: sizes in GiB, durations in seconds, rates in MiB/s; values that are not numbers are placed
 * at 0, 1, 2… and labelled as written.
 */
record AxisValues(String title, double[] x, boolean numeric, List<String> labels) {
    private static final Pattern UNIT = Pattern.compile("(-?\\d+(?:\\.\\d+)?)\\.([A-Za-z]+)");

    static AxisValues of(String name, List<String> values) {
        double[] x = new double[values.size()];
        String unit = null;
        boolean numeric = true;
        for (int i = 0; i < x.length && numeric; i++) {
            String v = values.get(i);
            Matcher m = UNIT.matcher(v);
            if (m.matches()) {
                double n = Double.parseDouble(m.group(1));
                String[] scaled = scale(m.group(2));
                if (scaled == null) { numeric = false; break; }
                x[i] = n * Double.parseDouble(scaled[0]);
                unit = scaled[1];
            } else {
                try {
                    x[i] = Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    numeric = false;
                }
            }
        }
        if (!numeric) for (int i = 0; i < x.length; i++) x[i] = i;
        return new AxisValues(name + (numeric && unit != null ? " (" + unit + ")" : ""), x, numeric, values);
    }

    /** The factor to the axis unit and the unit's name. */
    private static String[] scale(String u) {
        return switch (u) {
            case "B" -> new String[] {Double.toString(1.0 / (1L << 30)), "GiB"};
            case "KB" -> new String[] {Double.toString(1.0 / (1L << 20)), "GiB"};
            case "MB" -> new String[] {Double.toString(1.0 / (1L << 10)), "GiB"};
            case "GB" -> new String[] {"1", "GiB"};
            case "TB" -> new String[] {"1024", "GiB"};
            case "ns" -> new String[] {"1e-9", "s"};
            case "us" -> new String[] {"1e-6", "s"};
            case "ms" -> new String[] {"1e-3", "s"};
            case "s" -> new String[] {"1", "s"};
            case "min" -> new String[] {"60", "s"};
            case "h" -> new String[] {"3600", "s"};
            case "KBps" -> new String[] {Double.toString(1.0 / 1024), "MiB/s"};
            case "MBps" -> new String[] {"1", "MiB/s"};
            case "GBps" -> new String[] {"1024", "MiB/s"};
            default -> null;
        };
    }
}
