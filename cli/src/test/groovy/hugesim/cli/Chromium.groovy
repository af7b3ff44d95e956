package hugesim.cli

import com.fasterxml.jackson.databind.ObjectMapper

import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.net.http.WebSocket
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CompletionStage
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger

/**
 * A headless Chromium driven over the DevTools protocol with the JDK's own WebSocket client: opens a page,
 * records every request it makes, evaluates scripts in it and takes screenshots. Started as CI starts it
 * (as root: no sandbox), with a fresh profile and every background fetch of its own turned off, so that
 * the requests seen are the page's.
 */
class Chromium implements Closeable {
    static final List<String> NAMES = ['chromium', 'chromium-browser', 'google-chrome']
    static final long TIMEOUT_S = 60

    private final Process process
    private final WebSocket socket
    private final ObjectMapper json = new ObjectMapper()
    private final AtomicInteger ids = new AtomicInteger()
    private final Map<Integer, CompletableFuture<Map>> pending = new ConcurrentHashMap<>()
    /** Every event the page sent, in order: method and params. */
    final List<Map> events = new CopyOnWriteArrayList<>()

    /** The browser on PATH (or HUGESIM_CHROMIUM), or null. */
    static Path find() {
        String configured = System.getenv('HUGESIM_CHROMIUM')
        if (configured) return Paths.get(configured)
        for (String name : NAMES) {
            for (String dir : System.getenv('PATH').split(':')) {
                Path p = Paths.get(dir, name)
                if (Files.isExecutable(p)) return p
            }
        }
        null
    }

    Chromium(Path binary, Path profile, int width, int height) {
        process = new ProcessBuilder(binary.toString(), '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
                '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
                '--disable-default-apps', '--disable-extensions', '--hide-scrollbars', "--window-size=${width},${height}",
                "--user-data-dir=${profile}", '--remote-debugging-port=0', 'about:blank')
                .redirectErrorStream(true).redirectOutput(profile.resolveSibling('chromium.log').toFile()).start()
        // the browser writes its port into the profile once it listens
        Path portFile = profile.resolve('DevToolsActivePort')
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S)
        while (!(Files.exists(portFile) && Files.readAllLines(portFile).size() >= 2)) {
            if (!process.alive) throw new IllegalStateException("chromium exited with ${process.exitValue()}: " + profile.resolveSibling('chromium.log').text)
            if (System.nanoTime() > deadline) throw new IllegalStateException('chromium did not start its DevTools endpoint')
            Thread.sleep(50)
        }
        int port = Files.readAllLines(portFile)[0] as int
        HttpClient http = HttpClient.newHttpClient()
        List<Map> targets = json.readValue(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:${port}/json/list")).build(),
                HttpResponse.BodyHandlers.ofString()).body(), List)
        String ws = targets.find { it.type == 'page' }.webSocketDebuggerUrl
        socket = http.newWebSocketBuilder().buildAsync(URI.create(ws), new Listener()).get(TIMEOUT_S, TimeUnit.SECONDS)
    }

    /** Sends a DevTools command and waits for its result; a protocol error throws. */
    Map call(String method, Map params = [:]) {
        int id = ids.incrementAndGet()
        def reply = new CompletableFuture<Map>()
        pending[id] = reply
        socket.sendText(json.writeValueAsString([id: id, method: method, params: params]), true).get(TIMEOUT_S, TimeUnit.SECONDS)
        Map m = reply.get(TIMEOUT_S, TimeUnit.SECONDS)
        if (m.error) throw new IllegalStateException("${method}: ${m.error}")
        m.result as Map
    }

    /** Waits until an event of this method has arrived. */
    Map await(String method) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S)
        while (System.nanoTime() < deadline) {
            Map e = events.find { it.method == method }
            if (e) return e
            Thread.sleep(20)
        }
        throw new IllegalStateException("no ${method} within ${TIMEOUT_S} s")
    }

    /** Evaluates a script in the page and returns its value (JSON-like). */
    Object eval(String expression) {
        Map r = call('Runtime.evaluate', [expression: expression, returnByValue: true, awaitPromise: true])
        if (r.exceptionDetails) throw new IllegalStateException("script failed: ${r.exceptionDetails}")
        r.result.value
    }

    @Override
    void close() {
        try {
            socket?.abort()
        } finally {
            process.descendants().forEach { it.destroyForcibly() }
            process.destroyForcibly()
            process.waitFor(TIMEOUT_S, TimeUnit.SECONDS)
        }
    }

    private class Listener implements WebSocket.Listener {
        private final StringBuilder buffer = new StringBuilder()

        @Override
        CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            buffer.append(data)
            if (last) {
                Map m = json.readValue(buffer.toString(), Map)
                buffer.setLength(0)
                if (m.id != null) pending.remove(m.id as int)?.complete(m)
                else events.add(m)
            }
            ws.request(1)
            null
        }
    }
}
