package hugesim.record;

import java.util.List;

/** One line of CSV as RFC 4180 writes it. */
public final class CsvLine {
    private CsvLine() {}

    /** A cell with a comma, quote or line break is quoted, quotes doubled; the line ends with a newline. */
    public static String of(List<String> cells) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) b.append(',');
            String c = cells.get(i);
            if (c.indexOf(',') >= 0 || c.indexOf('"') >= 0 || c.indexOf('\n') >= 0 || c.indexOf('\r') >= 0) {
                b.append('"').append(c.replace("\"", "\"\"")).append('"');
            } else b.append(c);
        }
        return b.append('\n').toString();
    }
}
