package dev.mailprobe.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.config.ConfigFixtures;
import dev.mailprobe.config.Protocol;
import dev.mailprobe.metrics.Exposition;
import dev.mailprobe.metrics.Promtool;
import dev.mailprobe.probe.Phase;
import dev.mailprobe.probe.ProbeResult;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wired runtime over HTTP: results published on the bus reach metrics and the status API. */
class MailprobeRuntimeTest {
    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();
    private final HttpClient http = HttpClient.newHttpClient();
    private Mailprobe mailprobe;

    @BeforeEach
    void start() throws Exception {
        mailprobe = Mailprobe.start(vertx, ConfigFixtures.small(dir.resolve("store.db")),
                        new Mailprobe.Options("127.0.0.1", 0, "test", router -> {}))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        mailprobe.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void healthAndReadinessAnswer200() throws Exception {
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        assertThat(get("/readyz").statusCode()).isEqualTo(200);
    }

    @Test
    void metricsAreServedAsPrometheusTextThatPromtoolAccepts() throws Exception {
        HttpResponse<String> r = get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertThat(r.body()).contains("mailprobe_build_info{").contains("jvm_memory_used_bytes").contains("process_cpu_usage");
        assertThat(Promtool.checkMetrics(r.body()).output()).isEmpty();
    }

    @Test
    void aPublishedResultReachesMetricsAndTheStatusApi() throws Exception {
        ProbeResult result = new ProbeResult("imap-1", false, Protocol.IMAP, "imap-1", Instant.now(), false,
                dev.mailprobe.probe.FailureReason.AUTH_FAILED, Phase.AUTH,
                Map.of(Phase.TOTAL, Duration.ofMillis(30)), 0, "NO [AUTHENTICATIONFAILED]", null, List.of(), "login rejected");
        vertx.eventBus().publish(ResultBus.PROBE_RESULTS, result);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        String metrics;
        do {
            metrics = get("/metrics").body();
            Thread.sleep(20);
        } while (Exposition.parse(metrics).value(AUTH_FAILED).orElse(0) < 1 && System.nanoTime() < deadline);
        assertThat(Exposition.parse(metrics).value(AUTH_FAILED)).hasValue(1.0);

        JsonObject status = new JsonObject(get("/api/status").body());
        JsonObject imap = status.getJsonArray("nodes").getJsonObject(1).getJsonArray("protocols").getJsonObject(0);
        assertThat(imap.getString("protocol")).isEqualTo("imap");
        assertThat(imap.getJsonObject("last").getString("result")).isEqualTo("auth_failed");
        assertThat(imap.getJsonObject("last").getString("failedPhase")).isEqualTo("auth");
    }

    @Test
    void theStatusPageIsServedAtTheRoot() throws Exception {
        HttpResponse<String> r = get("/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("<title>mailprobe status</title>").contains("/api/status");
    }

    private static final String AUTH_FAILED =
            "mailprobe_probes_total{cluster=\"test-cluster\",node=\"imap-1\",protocol=\"imap\",result=\"auth_failed\",vantage=\"test-vantage\"}";

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + mailprobe.httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
