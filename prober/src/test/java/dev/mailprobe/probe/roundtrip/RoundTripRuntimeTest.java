package dev.mailprobe.probe.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.demo.DemoCluster;
import dev.mailprobe.demo.DemoOptions;
import dev.mailprobe.runtime.Mailprobe;
import dev.mailprobe.runtime.ResultBus;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wired runtime schedules round trips, publishes results on the bus and counts them in /metrics. */
class RoundTripRuntimeTest {
    @TempDir
    Path dir;

    @Test
    void demoRoundTripsReachTheBusAndTheMetrics() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (DemoCluster demo = DemoCluster.start(vertx, DemoOptions.defaults().withStorePath(dir.resolve("mp.db")))) {
            MailprobeConfig config = RoundTripFixtures.withRoundTrip(demo.config(), Duration.ofSeconds(2), Duration.ofSeconds(4));
            List<RoundTripResult> seen = new CopyOnWriteArrayList<>();
            Mailprobe mp = Mailprobe.start(vertx, config, new Mailprobe.Options("127.0.0.1", 0, "test", r -> {}))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            vertx.eventBus().<RoundTripResult>localConsumer(ResultBus.ROUNDTRIP_RESULTS, m -> seen.add(m.body()));
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                while (System.nanoTime() < deadline
                        && seen.stream().map(r -> r.sendNode() + "->" + r.fetchNode()).distinct().count() < 5) {
                    Thread.sleep(100);
                }
                assertThat(seen.stream().map(r -> r.sendNode() + "->" + r.fetchNode()).distinct())
                        .containsExactlyInAnyOrder("smtp-1->imap-1", "smtp-1->imap-2", "smtp-2->imap-1", "smtp-2->imap-2",
                                "mx->mailbox");
                assertThat(seen).extracting(RoundTripResult::result).containsOnly(Outcome.DELIVERED);
                String metrics = mp.metrics().scrape();
                assertThat(metrics).contains("mailprobe_roundtrips_total{fetch_node=\"mailbox\",result=\"delivered\",send_node=\"mx\"}")
                        .contains("mailprobe_roundtrip_seconds_bucket{fetch_node=\"mailbox\",send_node=\"mx\",le=\"2.0\"}");
                assertThat(metrics).doesNotContain("mailprobe_roundtrips_total{fetch_node=\"mailbox\",result=\"delivered\",send_node=\"mx\"} 0.0");
            } finally {
                mp.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
