package hugesim.cli.report;

import hugesim.charts.ReservedVsUsedChart;
import hugesim.charts.ReservedVsUsedChart.PolicySvg;
import hugesim.charts.Verdict;
import hugesim.record.RunResult;
import j2html.tags.DomContent;
import j2html.tags.specialized.ArticleTag;
import j2html.tags.specialized.HtmlTag;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static j2html.TagCreator.*;

/**
 * {@code report.html}: one self-contained page per scenario run to read and pass around. The scenario,
 * every policy side by side with its verdict and chart, the summary table, a timeline per process, the
 * machine as each policy booted it, and what reproduces the run (version, seed, parameters). Charts are
 * inline SVG, style and the hover script inline; a Content-Security-Policy forbids every request, so the
 * page shows the same offline, from a mail attachment or a CI artifact.
 *
 * <p>Built with j2html: typed tags in Java, every text escaped on output; nothing is compiled at run time.
 */
public final class HtmlReport {
    public static final String FILE = "report.html";

    /** No fetch of any kind: scripts, styles and images are inline or data: URLs. */
    static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

    private static final String CSS = resource("report.css");
    private static final String JS = resource("report.js");

    private HtmlReport() {}

    /** Writes {@code dir/report.html} for one scenario's runs (one per policy, in this order). */
    public static void write(String version, List<RunResult> results, Path dir) throws IOException {
        Files.writeString(dir.resolve(FILE), render(version, results), StandardCharsets.UTF_8);
    }

    static String render(String version, List<RunResult> results) throws IOException {
        if (results == null || results.isEmpty()) throw new IllegalArgumentException("no results to report");
        RunResult first = results.get(0);
        List<PolicySvg> charts = ReservedVsUsedChart.policySvgs(results);
        HtmlTag page = html(
                head(
                        meta().withCharset("utf-8"),
                        meta().attr("http-equiv", "Content-Security-Policy").withContent(CSP),
                        meta().withName("viewport").withContent("width=device-width, initial-scale=1"),
                        meta().withName("generator").withContent(version),
                        title("hugesim: " + first.scenario()),
                        style(rawHtml(CSS))),
                body(
                        header(
                                h1(first.scenario()),
                                iff(first.description() != null && !first.description().isBlank(),
                                        p(first.description()).withClass("description")),
                                p(version + " \u00b7 seed " + first.seed() + " \u00b7 replication " + first.replication()
                                        + " \u00b7 " + results.size() + (results.size() == 1 ? " policy" : " policies"))
                                        .withClass("meta")),
                        section(h2("Policies"), div(each(results, (i, r) -> policy(r, charts.get(i), i)))
                                .withClass("policies")).withId("policies"),
                        section(h2("Summary"), div(SummaryRows.build(results)).withClass("scroll")).withId("summary"),
                        section(h2("Timeline"), Timeline.of(results)).withId("timeline"),
                        section(h2("Machine as booted"), div(MachineTable.build(results)).withClass("scroll")).withId("machine"),
                        section(h2("Reproduce"), reproduce(version, first)).withId("reproduce"),
                        script(rawHtml(JS)))
        ).withLang("en");
        return "<!DOCTYPE html>\n" + page.render() + "\n";
    }

    private static ArticleTag policy(RunResult r, PolicySvg chart, int index) {
        boolean clean = r.summary() == null || r.summary().clean();
        String cmdline = r.machine() == null ? null : (String) r.machine().get("cmdline");
        return article(
                h3(r.policy()),
                p(Verdict.of(r.summary())).withClasses("verdict", clean ? "clean" : "failed"),
                p(text("boots with "), code(cmdline == null || cmdline.isBlank() ? "(no parameters)" : cmdline))
                        .withClass("boots"),
                ChartData.of(r, chart, "p" + index))
                .withClasses("policy", clean ? "clean" : "failed")
                .withId("policy-" + r.policyKey())
                .withData("policy", r.policy());
    }

    private static DomContent reproduce(String version, RunResult r) {
        List<DomContent> items = new ArrayList<>(List.of(
                dt("version"), dd(version),
                dt("seed"), dd(String.valueOf(r.seed())),
                dt("replication"), dd(String.valueOf(r.replication())),
                dt("random draws"), dd(r.randomDraws() == 0 ? "none: the seed does not change this run" : String.valueOf(r.randomDraws()))));
        Map<String, String> params = r.parameters() == null ? Map.of() : r.parameters();
        params.forEach((k, v) -> items.addAll(List.of(dt(k), dd(code(v)))));
        String sets = params.entrySet().stream().map(e -> " --set " + e.getKey() + "=" + e.getValue()).reduce("", String::concat);
        return div(dl(items.toArray(DomContent[]::new)).withClass("params"),
                p(text("Rerun: "), code("hugesim run FILE --seed " + r.seed() + " --replication " + r.replication() + sets)));
    }

    private static String resource(String name) {
        try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
