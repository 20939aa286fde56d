package dev.mailprobe.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.demo.DemoCluster;
import dev.mailprobe.demo.DemoOptions;
import dev.mailprobe.demo.FaultMode;
import dev.mailprobe.metrics.Exposition;
import dev.mailprobe.metrics.Promtool;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo as a user sees it: the prober probes every node and entry point, and faults show up. */
class DemoProbingTest {
    @TempDir
    static Path dir;

    private static Vertx vertx;
    private static DemoCluster cluster;
    private static Mailprobe mailprobe;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        cluster = DemoCluster.start(vertx, DemoOptions.defaults().withStorePath(dir.resolve("demo.db")));
        mailprobe = Mailprobe.start(vertx, cluster.config(), new Mailprobe.Options("127.0.0.1", 0, "test", cluster::mountApi))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        mailprobe.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        cluster.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void metricsHavePhaseTimingsForEveryProtocolAndPassPromtool() throws Exception {
        for (String protocol : List.of("smtp", "submission", "imap", "pop3")) {
            String series = "mailprobe_probe_duration_seconds_count{node=\"smtp-1\",phase=\"total\",protocol=\"" + protocol + "\"}";
            String node = protocol.equals("imap") || protocol.equals("pop3") ? "imap-1" : "smtp-1";
            String s = series.replace("smtp-1", node);
            awaitMetrics(text -> text.value(s).orElse(0) >= 1);
            for (String phase : List.of("connect", "greeting", "auth", "transaction", "quit")) {
                String p = s.replace("phase=\"total\"", "phase=\"" + phase + "\"");
                if (protocol.equals("smtp") && phase.equals("auth")) {
                    continue; // port-25 SMTP has no account: no auth phase
                }
                assertThat(Exposition.parse(metrics()).value(p).orElse(0)).as(p).isGreaterThanOrEqualTo(1);
            }
        }
        assertThat(Promtool.checkMetrics(metrics()).output()).isEmpty();
    }

    @Test
    void aCrashedImapNodeIsRefusedWhileTheMailboxEntryPointKeepsServingThroughTheOther() throws Exception {
        cluster.faults().set("imap-2", FaultMode.CRASH);
        try {
            String refused = "mailprobe_probes_total{node=\"imap-2\",protocol=\"imap\",result=\"refused\"}";
            awaitMetrics(text -> text.value(refused).orElse(0) >= 1);
            assertThat(Exposition.parse(metrics()).value("mailprobe_probe_success{node=\"imap-2\",protocol=\"imap\"}")).hasValue(0.0);
        } finally {
            cluster.faults().set("imap-2", FaultMode.NONE);
        }
    }

    private static void awaitMetrics(Predicate<Exposition> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (condition.test(Exposition.parse(metrics()))) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("condition not met within 30 s; metrics:\n" + metrics().lines()
                .filter(l -> l.startsWith("mailprobe_probe")).limit(80).reduce("", (a, b) -> a + b + "\n"));
    }

    private static String metrics() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + mailprobe.httpPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
