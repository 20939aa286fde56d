package dev.mailprobe.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.config.Protocol;
import dev.mailprobe.schedule.ConnectionLimiter;
import dev.mailprobe.schedule.FixedRateScheduler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The probe load per node and the bound it must stay under, both exported per node. */
class ScheduleMetricsTest {

    @Test
    void eachScheduledNodeExportsItsOpenConnectionsAndItsConfiguredLimit() throws Exception {
        Vertx vertx = Vertx.vertx();
        MetricsRegistry registry = new MetricsRegistry("c", "v", "test");
        FixedRateScheduler scheduler = new FixedRateScheduler(vertx);
        try {
            ConnectionLimiter limiter = new ConnectionLimiter(1, Map.of("imap-2", 3));
            ScheduleMetrics metrics = new ScheduleMetrics(registry.registry(), limiter);
            metrics.register("imap-1", Protocol.IMAP, scheduler.schedule("imap-1/imap", Duration.ofHours(1), () -> Future.succeededFuture(true)));
            metrics.register("imap-2", Protocol.IMAP, scheduler.schedule("imap-2/imap", Duration.ofHours(1), () -> Future.succeededFuture(true)));
            ConnectionLimiter.Permit permit = limiter.acquire("imap-2").toCompletionStage().toCompletableFuture().get();

            Exposition e = Exposition.parse(registry.scrape());
            assertThat(e.value("mailprobe_probe_connections_limit{cluster=\"c\",node=\"imap-1\",vantage=\"v\"}")).hasValue(1.0);
            assertThat(e.value("mailprobe_probe_connections_limit{cluster=\"c\",node=\"imap-2\",vantage=\"v\"}")).hasValue(3.0);
            assertThat(e.value("mailprobe_probe_connections{cluster=\"c\",node=\"imap-2\",vantage=\"v\"}")).hasValue(1.0);
            assertThat(e.value("mailprobe_probe_connections{cluster=\"c\",node=\"imap-1\",vantage=\"v\"}")).hasValue(0.0);
            permit.release();
            Promtool.Outcome lint = Promtool.checkMetrics(registry.scrape());
            assertThat(lint.output()).doesNotContain("probe_connections");
        } finally {
            scheduler.stop();
            registry.close();
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }
}
