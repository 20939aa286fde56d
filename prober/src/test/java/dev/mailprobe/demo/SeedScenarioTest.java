package dev.mailprobe.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.health.DownEvent;
import dev.mailprobe.health.HealthEvents;
import dev.mailprobe.health.pattern.PeriodicitySearch;
import dev.mailprobe.runtime.Mailprobe;
import dev.mailprobe.store.Store;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed scenario, time-compressed: a hidden trigger every 3 s (the story's is every minute)
 * crashes random nodes; mailprobe sees the crashes only through its probes, stores DOWN events,
 * and the periodicity search over their onsets names the hidden period.
 */
class SeedScenarioTest {
    @TempDir
    Path dir;

    @Test
    void triggersFallOnTheHiddenGrid() {
        Duration period = Duration.ofMinutes(1);
        Duration phase = Duration.ofSeconds(17);
        assertThat(SeedScenario.nextTrigger(Instant.parse("2026-01-01T10:00:00Z"), period, phase))
                .isEqualTo(Instant.parse("2026-01-01T10:00:17Z"));
        assertThat(SeedScenario.nextTrigger(Instant.parse("2026-01-01T10:00:17Z"), period, phase))
                .isEqualTo(Instant.parse("2026-01-01T10:01:17Z"));
    }

    @Test
    void theCrashOnsetsMailprobeRecordsRevealTheHiddenPeriod() throws Exception {
        Vertx vertx = Vertx.vertx();
        Path storePath = dir.resolve("seed.db");
        DemoCluster cluster = DemoCluster.start(vertx, DemoOptions.defaults().withStorePath(storePath)
                .withProbeInterval(Duration.ofMillis(200)));
        Mailprobe mailprobe = Mailprobe.start(vertx, cluster.config(), new Mailprobe.Options("127.0.0.1", 0, "test", r -> {}))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        SeedScenario seed = new SeedScenario(vertx, cluster.faults(),
                new SeedScenario.Settings(Duration.ofSeconds(3), Duration.ofMillis(1100), 0.85, Duration.ofMillis(1200), 42));
        seed.start();
        Thread.sleep(60_000);
        seed.stop();
        mailprobe.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        cluster.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

        List<Instant> onsets;
        try (Store store = Store.open(storePath)) {
            onsets = new HealthEvents(store).events(Optional.empty(), Instant.EPOCH, Optional.empty()).stream()
                    .map(DownEvent::start).sorted().toList();
        }
        // most crashes are seen (one may fall on a node still recovering from the last)
        assertThat(onsets.size()).as("onsets %s for crashes %s", onsets, seed.crashes())
                .isGreaterThanOrEqualTo(Math.min(12, seed.crashes().size() - 2));
        PeriodicitySearch.Result result = PeriodicitySearch.search(onsets, new PeriodicitySearch.Options(
                Duration.ofSeconds(1), Duration.ofSeconds(20), 5, 3, 0.01));
        assertThat(result.found()).as("%s", result).isTrue();
        assertThat(result.periodSeconds()).isCloseTo(3.0, Percentage.withPercentage(2));
    }
}
