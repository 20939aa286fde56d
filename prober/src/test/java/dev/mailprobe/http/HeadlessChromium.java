package dev.mailprobe.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real headless Chromium (Debian {@code chromium}, installed by scripts/install-test-deps) driven
 * over the Chrome DevTools Protocol from the JDK's own WebSocket client: set the viewport (a 400 px
 * phone or a desktop), load a page, evaluate a script in it (read the DOM, click), take a
 * full-page screenshot. One browser per test class; {@link #close()} ends it and its profile.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final Path EXE = Path.of("/usr/bin/chromium");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();

    private HeadlessChromium(Process process, WebSocket socket) {
        this.process = process;
        this.socket = socket;
    }

    /** Starts chromium with a fresh profile under {@code dir} and attaches to its first tab. */
    static HeadlessChromium start(Path dir) throws Exception {
        if (!Files.isExecutable(EXE)) {
            throw new IllegalStateException("chromium is missing: run scripts/install-test-deps (Debian package chromium)");
        }
        Path profile = Files.createTempDirectory(dir, "chromium-profile");
        Process p = new ProcessBuilder(EXE.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--hide-scrollbars", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                "--user-data-dir=" + profile, "about:blank")
                .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
        try {
            Path portFile = profile.resolve("DevToolsActivePort");
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!Files.exists(portFile) || Files.readAllLines(portFile).isEmpty()) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("chromium did not open its DevTools port: " + Files.readString(dir.resolve("chromium.log")));
                }
                Thread.sleep(50);
            }
            int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
            HttpClient http = HttpClient.newHttpClient();
            String pageUrl = null;
            while (pageUrl == null) {
                JsonArray targets = new JsonArray(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                for (Object t : targets) {
                    if ("page".equals(((JsonObject) t).getString("type"))) {
                        pageUrl = ((JsonObject) t).getString("webSocketDebuggerUrl");
                    }
                }
                if (pageUrl == null) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("chromium has no page target: " + targets);
                    }
                    Thread.sleep(50);
                }
            }
            HeadlessChromium[] self = new HeadlessChromium[1];
            StringBuilder partial = new StringBuilder();
            WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create(pageUrl), new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                    partial.append(data);
                    if (last) {
                        JsonObject message = new JsonObject(partial.toString());
                        partial.setLength(0);
                        Integer id = message.getInteger("id");
                        if (id != null && self[0] != null) {
                            CompletableFuture<JsonObject> f = self[0].pending.remove(id);
                            if (f != null) {
                                f.complete(message);
                            }
                        }
                    }
                    webSocket.request(1);
                    return null;
                }
            }).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            self[0] = new HeadlessChromium(p, ws);
            return self[0];
        } catch (Exception e) {
            p.destroyForcibly();
            throw e;
        }
    }

    /** One DevTools command; its {@code result}, or an AssertionError with the protocol's error. */
    JsonObject send(String method, JsonObject params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonObject> answer = new CompletableFuture<>();
        pending.put(id, answer);
        socket.sendText(new JsonObject().put("id", id).put("method", method).put("params", params).encode(), true).join();
        JsonObject message = answer.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (message.containsKey("error")) {
            throw new AssertionError(method + " failed: " + message.getJsonObject("error").encode());
        }
        return message.getJsonObject("result", new JsonObject());
    }

    /** Sets the viewport: {@code mobile} makes the page lay out as on a phone (meta viewport honoured). */
    void viewport(int width, int height, boolean mobile) throws Exception {
        send("Emulation.setDeviceMetricsOverride", new JsonObject().put("width", width).put("height", height)
                .put("deviceScaleFactor", 1).put("mobile", mobile));
    }

    void open(String url) throws Exception {
        send("Page.enable", new JsonObject());
        send("Page.navigate", new JsonObject().put("url", url));
    }

    /** Evaluates {@code expression} in the page (promises awaited) and returns its JSON value. */
    Object eval(String expression) throws Exception {
        JsonObject r = send("Runtime.evaluate", new JsonObject().put("expression", expression)
                .put("returnByValue", true).put("awaitPromise", true));
        if (r.containsKey("exceptionDetails")) {
            throw new AssertionError("script failed: " + r.getJsonObject("exceptionDetails").encode());
        }
        return r.getJsonObject("result").getValue("value");
    }

    /** Waits until {@code condition} (a JS boolean expression) holds in the page. */
    void await(String condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Object v;
            try {
                v = eval(condition);
            } catch (AssertionError e) {
                v = null; // page still loading
            }
            if (Boolean.TRUE.equals(v)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("page condition not met within " + timeout.toSeconds() + " s: " + condition
                        + "\npage text: " + eval("document.body ? document.body.innerText : ''"));
            }
            Thread.sleep(200);
        }
    }

    /** A PNG of the whole page (beyond the viewport) at the current width. */
    void screenshot(Path png) throws Exception {
        JsonObject metrics = send("Page.getLayoutMetrics", new JsonObject());
        JsonObject size = metrics.getJsonObject("cssContentSize", metrics.getJsonObject("contentSize"));
        JsonObject clip = new JsonObject().put("x", 0).put("y", 0).put("width", size.getDouble("width"))
                .put("height", size.getDouble("height")).put("scale", 1);
        String data = send("Page.captureScreenshot", new JsonObject().put("format", "png")
                .put("captureBeyondViewport", true).put("clip", clip)).getString("data");
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.write(png, Base64.getDecoder().decode(data));
    }

    @Override
    public void close() throws IOException {
        socket.abort();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        // the profile lives under the test's temporary directory, which JUnit removes
    }
}
