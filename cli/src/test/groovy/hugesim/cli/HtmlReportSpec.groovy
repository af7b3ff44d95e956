package hugesim.cli

import com.fasterxml.jackson.databind.ObjectMapper
import spock.lang.Requires
import spock.lang.Shared
import spock.lang.Specification
import spock.lang.TempDir

import javax.imageio.ImageIO
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths

/**
 * report.html as a reader sees it: the hot-upgrade scenario's report opened in a real headless Chromium.
 * Needs a Chromium on PATH (Debian package chromium; .ci/run installs it); without one these features are
 * skipped, unless HUGESIM_REPORT_CHECK=required (as .ci/run sets), when they fail.
 */
@Requires({ Chromium.find() != null || System.getenv('HUGESIM_REPORT_CHECK') == 'required' })
class HtmlReportSpec extends Specification {
    static final Path SCREENSHOT = Paths.get('target', 'report-screenshot.png')
    static final List<String> POLICIES = ['hugetlb(pool: 32G)', 'hugetlb(pool: 22G)',
                                          'reservedThp(reserve: 22G)', 'reservedThp(reserve: 22G, overcommit: true)']

    @Shared @TempDir Path dir
    @Shared Chromium browser
    @Shared String url
    @Shared String cacheBefore

    def setupSpec() {
        cacheBefore = System.getProperty('hugesim.cache')
        System.setProperty('hugesim.cache', dir.resolve('cache').toString())
        def run = RunCommandSpec.hugesim('run', RunCommandSpec.HOT_UPGRADE.toString(), '--out', dir.resolve('out').toString())
        assert run.code == 0: run.err
        Path binary = Chromium.find()
        assert binary != null: 'no chromium on PATH (Debian: apt-get install chromium), and HUGESIM_REPORT_CHECK=required'
        Path profile = Files.createDirectories(dir.resolve('profile'))
        browser = new Chromium(binary, profile, 1600, 1200)
        ['Network.enable', 'Page.enable', 'Runtime.enable', 'Log.enable'].each { browser.call(it) }
        url = dir.resolve('out/hot-upgrade/report.html').toUri().toString()
        browser.call('Page.navigate', [url: url])
        browser.await('Page.loadEventFired')
    }

    def cleanupSpec() {
        browser?.close()
        if (cacheBefore == null) System.clearProperty('hugesim.cache') else System.setProperty('hugesim.cache', cacheBefore)
    }

    List<Map> policies() {
        new ObjectMapper().readValue(browser.eval('''JSON.stringify(Array.from(document.querySelectorAll('article.policy')).map(a => {
            const visible = e => { if (!e) return false; const r = e.getBoundingClientRect();
                return r.width > 0 && r.height > 0 && e.checkVisibility({opacityProperty: true, visibilityProperty: true}); };
            const v = a.querySelector('.verdict'), svg = a.querySelector('figure.chart svg');
            return {policy: a.dataset.policy, verdict: v ? v.textContent : null, verdictVisible: visible(v),
                    chartVisible: visible(svg), chartWidth: svg ? svg.getBoundingClientRect().width : 0,
                    paths: svg ? svg.querySelectorAll('path').length : 0,
                    texts: svg ? Array.from(svg.querySelectorAll('text')).map(t => t.textContent) : []};
        }))''') as String, List)
    }

    def "every policy has its verdict and its chart, both visible"() {
        when:
        def shown = policies()

        then: 'the four policies, in the scenario order'
        shown*.policy == POLICIES

        and: 'each verdict is visible and says what the run says'
        shown.every { it.verdictVisible }
        shown[0].verdict == 'clean'
        shown[1].verdict.startsWith('1 failed call')
        shown[2].verdict.startsWith('1 failed call')
        shown[3].verdict == 'clean'

        and: 'each chart is drawn, visible, at a readable width, with its lines and axes'
        shown.every { it.chartVisible && it.chartWidth > 500 && it.paths > 10 }
        shown.every { ['reserved (set aside)', 'resident huge pages', 'swap used', 'used (promised), on top'].every(it.texts.&contains) }

        and: 'the moments of the upgrade on the time axis'
        shown.every { ['old starts', 'old idle', 'old exits'].every(it.texts.&contains) }

        and: 'the failed calls are labelled on the chart of their policy'
        shown[1].texts.contains('new: ENOMEM')
        shown[2].texts.contains('new: EAGAIN')
    }

    def "the page requests nothing but itself and runs without errors"() {
        when:
        def requests = browser.events.findAll { it.method == 'Network.requestWillBeSent' }*.params*.request*.url

        then:
        requests == [url]
        browser.events.findAll { it.method == 'Runtime.exceptionThrown' } == []
        browser.events.findAll { it.method == 'Log.entryAdded' && it.params.entry.level == 'error' } == []
    }

    def "hovering a chart shows every line's value at that time"() {
        given: 'the pointer at 450.5 s over the first chart, where hugetlb(pool: 32G) holds both heaps'
        Map at = new ObjectMapper().readValue(browser.eval('''(() => {
            const fig = document.querySelector('article.policy figure.chart');
            fig.scrollIntoView({block: 'center'});
            const p = JSON.parse(fig.dataset.plot), box = fig.querySelector('svg').getBoundingClientRect();
            const scale = box.width / p.width;
            const x = p.left + (450.5 - p.xMin) / (p.xMax - p.xMin) * (p.right - p.left);
            return JSON.stringify({x: box.left + x * scale, y: box.top + (p.top + p.bottom) / 2 * scale});
        })()''') as String, Map)

        when:
        browser.call('Input.dispatchMouseEvent', [type: 'mouseMoved', x: at.x, y: at.y])
        Map tip = new ObjectMapper().readValue(browser.eval('''JSON.stringify((() => {
            const t = document.querySelector('article.policy figure.chart .tip');
            return {visible: t.checkVisibility(), text: t.innerText};
        })())''') as String, Map)

        then: 'the sample under the pointer (a pointer position is whole CSS pixels, about 2 s here) and its four values'
        tip.visible
        def lines = tip.text.readLines()
        lines[0] ==~ /4(4[89]|5[0-2])\.00 s/
        lines.drop(1) == ['reserved: 32.00 GiB', 'used: 32.00 GiB', 'resident: 32.00 GiB', 'swap used: 0.00 GiB']
    }

    def "a screenshot of the whole page is saved and is not blank"() {
        when:
        browser.eval('window.scrollTo(0, 0)')
        Map shot = browser.call('Page.captureScreenshot', [format: 'png', captureBeyondViewport: true])
        Files.createDirectories(SCREENSHOT.parent)
        Files.write(SCREENSHOT, Base64.decoder.decode(shot.data as String))
        def image = ImageIO.read(SCREENSHOT.toFile())
        Set<Integer> colours = []
        long white = 0, pixels = 0
        for (int y = 0; y < image.height; y += 2) {
            for (int x = 0; x < image.width; x += 2) {
                int rgb = image.getRGB(x, y) & 0xFFFFFF
                colours << rgb
                if (rgb == 0xFFFFFF) white++
                pixels++
            }
        }

        then: 'the full page, with text, lines and coloured verdicts on it'
        image.width == 1600
        image.height > 1200
        colours.size() > 200
        white / pixels < 0.97
        white / pixels > 0.30
    }
}
