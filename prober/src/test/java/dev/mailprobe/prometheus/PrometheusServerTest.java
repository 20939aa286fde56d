package dev.mailprobe.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.demo.DemoCluster;
import dev.mailprobe.demo.DemoOptions;
import dev.mailprobe.runtime.Mailprobe;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared real-Prometheus fixture does what the end-to-end tests rely on: it scrapes a running
 * demo prober it was pointed at, labels its series with the test's own target label, and
 * evaluates the shipped recording rules over them.
 */
@RealPrometheus
class PrometheusServerTest {

    @Test
    void scrapesTheDemoAndEvaluatesTheShippedRecordingRules(PrometheusServer prometheus, @TempDir Path dir) throws Exception {
        Vertx vertx = Vertx.vertx();
        DemoCluster cluster = DemoCluster.start(vertx, DemoOptions.defaults().withStorePath(dir.resolve("p.db"))
                .withProbeInterval(Duration.ofMillis(500)));
        Mailprobe mailprobe = Mailprobe.start(vertx, cluster.config(), new Mailprobe.Options("127.0.0.1", 0, "test", r -> {}))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        String label = "cluster=\"fixture-test\"";
        try (PrometheusServer.Target target = prometheus.scrape("fixture-test",
                "127.0.0.1:" + mailprobe.httpPort(), Map.of("cluster", "fixture-test"))) {
            JsonArray info = prometheus.query("mailprobe_build_info{" + label + "}");
            assertThat(info).hasSize(1);
            assertThat(info.getJsonObject(0).getJsonObject("metric").getString("instance")).isEqualTo(target.instance());

            // two scrapes are needed before rate() has a value; the rules run every 5 s
            JsonArray ratio = prometheus.awaitQuery("slo:sli_error:ratio_rate5m{sloth_slo=\"access\"," + label + "}",
                    r -> !r.isEmpty(), Duration.ofSeconds(40));
            JsonObject sample = ratio.getJsonObject(0);
            assertThat(sample.getJsonObject("metric").getString("sloth_id")).isEqualTo("mailprobe-access");
            assertThat(Double.parseDouble(sample.getJsonArray("value").getString(1))).isBetween(0.0, 1.0);
        } finally {
            mailprobe.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            cluster.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
