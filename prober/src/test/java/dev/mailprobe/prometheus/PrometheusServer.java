package dev.mailprobe.prometheus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A real Prometheus server (Debian {@code prometheus} 2.42) on 127.0.0.1, for tests that need
 * the real thing: rules evaluated by the real engine, alerts that really fire, panel queries that
 * really return data. Usually obtained through {@link RealPrometheus}; one per test JVM.
 *
 * <p>It loads every {@code alerts/rules/*.yml} of the project, scrapes and evaluates every 5 s,
 * and discovers its targets from files ({@code file_sd_configs}), so a test adds the prober it
 * started with {@link #scrape} and removes it again by closing the returned {@link Target}.
 * Tests share the server: give each target a label value no other test uses (e.g.
 * {@code cluster="slo-demo-test"}) and filter every query by it. The mailprobe demo does not set
 * {@code cluster} or {@code vantage} itself, so such a target label becomes the series label the
 * recording rules group by.
 */
public final class PrometheusServer implements AutoCloseable {
    /** Scrape and rule evaluation interval. */
    public static final Duration INTERVAL = Duration.ofSeconds(5);

    private final Process process;
    private final Path dir;
    private final Path log;
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PrometheusServer(Process process, Path dir, Path log, URI base) {
        this.process = process;
        this.dir = dir;
        this.log = log;
        this.base = base;
    }

    /** The project's root directory (surefire sets {@code mailprobe.projectRoot}). */
    public static Path projectRoot() {
        return Path.of(System.getProperty("mailprobe.projectRoot", "..")).toAbsolutePath().normalize();
    }

    /**
     * Starts a server with the rule files under {@code projectRoot/alerts/rules/} and waits until
     * it is ready (at most 60 s).
     *
     * @throws IllegalStateException when the binary is missing, a rule file does not load, or the
     *                               server does not become ready; the message has its log's tail
     */
    public static PrometheusServer start(Path projectRoot) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("mailprobe-prometheus");
            Files.createDirectories(dir.resolve("targets"));
            int port = freePort();
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, """
                    global:
                      scrape_interval: 5s
                      scrape_timeout: 4s
                      evaluation_interval: 5s
                    rule_files:
                      - %s
                    scrape_configs:
                      - job_name: mailprobe
                        file_sd_configs:
                          - files: ['%s']
                            refresh_interval: 5s
                    """.formatted(projectRoot.resolve("alerts/rules/*.yml"), dir.resolve("targets/*.json")));
            Path log = dir.resolve("prometheus.log");
            Process p = new ProcessBuilder(executable(),
                    "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("data"),
                    "--storage.tsdb.retention.time=1d",
                    "--web.listen-address=127.0.0.1:" + port,
                    "--web.enable-lifecycle",
                    "--query.lookback-delta=1m",
                    "--log.level=info")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            PrometheusServer server = new PrometheusServer(p, dir, log, URI.create("http://127.0.0.1:" + port));
            server.awaitReady(Duration.ofSeconds(60));
            return server;
        } catch (IOException e) {
            deleteQuietly(dir);
            throw new UncheckedIOException("cannot start prometheus: " + e.getMessage(), e);
        }
    }

    /** e.g. {@code http://127.0.0.1:39211}. */
    public URI url() {
        return base;
    }

    /**
     * Starts scraping {@code hostPort} (e.g. {@code 127.0.0.1:8080}, path {@code /metrics}) with
     * the given target labels, and waits until its first scrape succeeded (at most 30 s).
     *
     * @param name   a file-name-safe name unique among the live targets of this server
     * @param labels target labels added to every series scraped from it
     * @return closing it stops scraping (Prometheus then marks the series stale)
     */
    public Target scrape(String name, String hostPort, Map<String, String> labels) {
        if (!name.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("target name must be file-name safe: " + name);
        }
        Path file = dir.resolve("targets").resolve(name + ".json");
        JsonArray groups = new JsonArray().add(new JsonObject()
                .put("targets", new JsonArray().add(hostPort))
                .put("labels", new JsonObject(new java.util.LinkedHashMap<>(labels))));
        writeAtomically(file, groups.encodePrettily());
        Target target = new Target(file, hostPort);
        await("target " + hostPort + " scraped successfully", Duration.ofSeconds(30), () -> {
            JsonArray active = get("/api/v1/targets?state=active").getJsonObject("data").getJsonArray("activeTargets");
            return active.stream().map(JsonObject.class::cast).anyMatch(t ->
                    hostPort.equals(t.getJsonObject("labels").getString("instance")) && "up".equals(t.getString("health")));
        });
        return target;
    }

    /** Instant query now; returns {@code data.result} (a vector is an array of {metric, value}). */
    public JsonArray query(String promql) {
        return get("/api/v1/query?query=" + enc(promql)).getJsonObject("data").getJsonArray("result");
    }

    /** Instant query at a given time. */
    public JsonArray query(String promql, Instant at) {
        return get("/api/v1/query?query=" + enc(promql) + "&time=" + at.getEpochSecond())
                .getJsonObject("data").getJsonArray("result");
    }

    /** Range query; returns {@code data.result} (a matrix: arrays of {metric, values}). */
    public JsonArray queryRange(String promql, Instant start, Instant end, Duration step) {
        return get("/api/v1/query_range?query=" + enc(promql) + "&start=" + start.getEpochSecond()
                + "&end=" + end.getEpochSecond() + "&step=" + Math.max(1, step.toSeconds()))
                .getJsonObject("data").getJsonArray("result");
    }

    /** The single value of an instant query that returns exactly one sample, else empty. */
    public java.util.OptionalDouble scalar(String promql) {
        JsonArray result = query(promql);
        if (result.size() != 1) {
            return java.util.OptionalDouble.empty();
        }
        return java.util.OptionalDouble.of(Double.parseDouble(result.getJsonObject(0).getJsonArray("value").getString(1)));
    }

    /** Waits until {@code query(promql)} satisfies {@code condition}; fails with the last result. */
    public JsonArray awaitQuery(String promql, Predicate<JsonArray> condition, Duration timeout) {
        JsonArray[] last = {null};
        await("query " + promql + " to match (last result: %s)", timeout, () -> {
            last[0] = query(promql);
            return condition.test(last[0]);
        }, () -> String.valueOf(last[0]));
        return last[0];
    }

    /** {@code /api/v1/alerts}: the pending and firing alerts, each with labels, annotations, state. */
    public JsonArray alerts() {
        return get("/api/v1/alerts").getJsonObject("data").getJsonArray("alerts");
    }

    /** {@code /api/v1/rules}: the loaded rule groups with their health and last error. */
    public JsonArray ruleGroups() {
        return get("/api/v1/rules").getJsonObject("data").getJsonArray("groups");
    }

    /** Rereads the configuration and the rule files ({@code POST /-/reload}). */
    public void reload() {
        HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve("/-/reload"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("prometheus reload failed: " + r.statusCode() + " " + r.body() + "\n" + logTail());
        }
    }

    /** GET of an API path; the decoded JSON body; fails on a non-200 status or an API error. */
    public JsonObject get(String pathAndQuery) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve(pathAndQuery)).GET().build());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + pathAndQuery + " -> " + r.statusCode() + ": " + r.body());
        }
        JsonObject body = new JsonObject(r.body());
        if (!"success".equals(body.getString("status"))) {
            throw new IllegalStateException("GET " + pathAndQuery + " -> " + body.encode());
        }
        return body;
    }

    /** The last lines of the server's log, for failure messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
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
        deleteQuietly(dir);
    }

    /** A scraped target; closing it removes it from service discovery. */
    public final class Target implements AutoCloseable {
        private final Path file;
        private final String hostPort;

        private Target(Path file, String hostPort) {
            this.file = file;
            this.hostPort = hostPort;
        }

        public String instance() {
            return hostPort;
        }

        @Override
        public void close() {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void awaitReady(Duration timeout) {
        await("prometheus ready on " + base, timeout, () -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited with " + process.exitValue() + ":\n" + logTail());
            }
            try {
                return send(HttpRequest.newBuilder(base.resolve("/-/ready")).GET().build()).statusCode() == 200;
            } catch (UncheckedIOException e) {
                return false;
            }
        });
        // a rule file that does not parse makes prometheus exit at start; one that evaluates badly shows here
        JsonArray groups = ruleGroups();
        for (Object g : groups) {
            for (Object r : ((JsonObject) g).getJsonArray("rules")) {
                JsonObject rule = (JsonObject) r;
                if ("err".equals(rule.getString("health"))) {
                    throw new IllegalStateException("rule " + rule.getString("name") + " fails: " + rule.getString("lastError"));
                }
            }
        }
    }

    private interface Check {
        boolean ok() throws RuntimeException;
    }

    private void await(String what, Duration timeout, Check check) {
        await(what, timeout, check, () -> "");
    }

    private void await(String what, Duration timeout, Check check, java.util.function.Supplier<String> detail) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException lastError = null;
        while (System.nanoTime() < deadline) {
            try {
                if (check.ok()) {
                    return;
                }
                lastError = null;
            } catch (IllegalStateException e) {
                if (!process.isAlive()) {
                    throw e;
                }
                lastError = e;
            } catch (RuntimeException e) {
                lastError = e;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
        throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for "
                + what.formatted(detail.get()) + (lastError == null ? "" : " (last error: " + lastError.getMessage() + ")")
                + "\nprometheus log:\n" + logTail());
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

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void writeAtomically(Path file, String content) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, content);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String executable() {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path candidate = Path.of(d, "prometheus");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException("prometheus not found on PATH: run scripts/install-test-deps (Debian package prometheus)");
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }
}
