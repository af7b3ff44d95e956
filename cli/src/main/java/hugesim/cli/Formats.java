package hugesim.cli;

import hugesim.charts.PageblockMapFormat;
import hugesim.charts.ReservedVsUsedFormat;
import hugesim.cli.report.HtmlReport;
import hugesim.record.OutputFormat;
import hugesim.record.ResultJson;
import hugesim.record.SeriesCsv;
import hugesim.record.SummaryFiles;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** The output formats of {@code hugesim run}: adding one is a line here. */
final class Formats {
    private Formats() {}

    /** The formats that write files into the scenario's folder, in the order they write. */
    static List<OutputFormat> files(boolean charts, boolean report) {
        List<OutputFormat> f = new ArrayList<>();
        f.add(new ResultJson());
        f.add(new SeriesCsv());
        f.add(new SummaryFiles());
        if (charts) f.add(new ReservedVsUsedFormat());
        if (charts) f.add(new PageblockMapFormat());
        if (report) f.add((run, dir) -> HtmlReport.write(Main.version(), run.results(), dir));
        return f;
    }

    /** The formats printed once the files are in place. */
    static List<OutputFormat> printed(PrintStream out) {
        return List.of(new SummaryTable(out));
    }
}
