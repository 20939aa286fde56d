package dev.mailprobe.rules;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Alertmanager (Debian {@code prometheus-alertmanager} 0.25) on 127.0.0.1 with a given
 * config, clustering off, for tests that post alerts and read back which ones it inhibits.
 */
final class AlertmanagerServer implements AutoCloseable {
    private final Process process;
    private final Path dir;
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private AlertmanagerServer(Process process, Path dir, URI base) {
        this.process = process;
        this.dir = dir;
        this.base = base;
    }

    static AlertmanagerServer start(Path config) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("mailprobe-alertmanager");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Process p = new ProcessBuilder(Amtool.executable("prometheus-alertmanager"),
                "--config.file=" + config,
                "--storage.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=")
                .redirectErrorStream(true).redirectOutput(dir.resolve("alertmanager.log").toFile()).start();
        AlertmanagerServer server = new AlertmanagerServer(p, dir, URI.create("http://127.0.0.1:" + port));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            if (!p.isAlive()) {
                String log = server.log();
                server.close();
                throw new IllegalStateException("alertmanager exited with " + p.exitValue() + ":\n" + log);
            }
            try {
                if (server.send(HttpRequest.newBuilder(server.base.resolve("/-/ready")).GET().build()).statusCode() == 200) {
                    return server;
                }
            } catch (UncheckedIOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                String log = server.log();
                server.close();
                throw new IllegalStateException("alertmanager not ready in 30 s:\n" + log);
            }
            Thread.sleep(100);
        }
    }

    /** POST /api/v2/alerts: each alert as its labels, firing now. */
    void post(Iterable<Map<String, String>> alerts) {
        JsonArray body = new JsonArray();
        for (Map<String, String> labels : alerts) {
            body.add(new JsonObject().put("labels", new JsonObject(new java.util.LinkedHashMap<>(labels))));
        }
        HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve("/api/v2/alerts"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("POST /api/v2/alerts -> " + r.statusCode() + ": " + r.body());
        }
    }

    /** GET /api/v2/alerts: every alert with its {@code status.state} and {@code status.inhibitedBy}. */
    JsonArray alerts() {
        HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve("/api/v2/alerts")).GET().build());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET /api/v2/alerts -> " + r.statusCode() + ": " + r.body());
        }
        return new JsonArray(r.body());
    }

    String log() {
        try {
            return Files.readString(dir.resolve("alertmanager.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}
